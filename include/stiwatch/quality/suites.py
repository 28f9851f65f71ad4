"""The expectation suites, as code: their thresholds come from settings, their columns from the dbt YAML.

GX checks what dbt cannot: the lake tables as delivered (before any model reads them), value ranges and
seed membership of the mart columns, the coverage thresholds and the completeness findings. What `dbt
build` already enforces on the marts (contract NOT NULL and primary keys, unique / unique_combination
tests, the share sums of dbt/tests/, expression tests on a column) is not repeated here.

Every expectation has a plain-words ``description`` (what the summary page shows when it fails) and a
``severity``: ``critical`` means the numbers would be wrong (a broken key, a share above 1, an unknown
region): publishing stops; ``warning`` means an analyst should know (thin years, unmapped strings).
Lake suites read views over the Parquet files; mart suites read copies of the marts (see batches.py).
"""

from __future__ import annotations

import csv
import glob
from dataclasses import dataclass

import great_expectations.expectations as gxe
import yaml

from stiwatch.config import DBT_PROJECT_DIR, SEEDS_DIR, Settings
from stiwatch.lake_schema import AFFILIATIONS, CATEGORIES, PUBLICATIONS
from stiwatch.quality.results import CRITICAL, WARNING
from stiwatch.sources.patstat.schema import LAKE_COLUMNS as PATSTAT_COLUMNS
from stiwatch.sources.wos.addresses import FORM_COUNTRY, FORM_US_STATE_ZIP

# Regions a mart may hold besides the named regions of seed `regions` (METHOD.md "Regions").
EXTRA_REGIONS = ("OTHER", "UNKNOWN")
REGION_COLUMNS = ("region", "region_a", "region_b")
# GX's own output: a model in the marts YAML, but nothing to validate.
NOT_VALIDATED = ("dq_results",)


@dataclass(frozen=True)
class SuiteSpec:
    name: str
    table: str
    expectations: tuple[gxe.Expectation, ...]


def _critical(expectation: type[gxe.Expectation], description: str, **kwargs: object) -> gxe.Expectation:
    return expectation(description=description, severity=CRITICAL, **kwargs)


def _warning(expectation: type[gxe.Expectation], description: str, **kwargs: object) -> gxe.Expectation:
    return expectation(description=description, severity=WARNING, **kwargs)


def _rows(description: str, severity: str, query: str) -> gxe.Expectation:
    """An expectation that fails when the SQL (over ``{batch}``) returns any row."""
    return gxe.UnexpectedRowsExpectation(
        description=description, severity=severity, unexpected_rows_query=query
    )


def known_country_codes() -> list[str]:
    """ISO codes the project knows (country seeds), plus UNKNOWN: anything else is suspicious."""
    codes = {"UNKNOWN"}
    for seed, column in (("wos_country_names.csv", "country_code"), ("regions.csv", "country_code")):
        with (SEEDS_DIR / seed).open(encoding="utf-8") as handle:
            codes.update(row[column] for row in csv.DictReader(handle) if row[column])
    return sorted(codes)


# ---------------------------------------------------------------- lake
def _schema(table: str, columns: list[str]) -> gxe.Expectation:
    return _critical(
        gxe.ExpectTableColumnsToMatchSet,
        f"{table} has every column of the lake contract (docs/ARCHITECTURE.md)",
        column_set=columns,
        exact_match=False,
    )


def _not_null(table: str, column: str) -> gxe.Expectation:
    return _critical(gxe.ExpectColumnValuesToNotBeNull, f"{table}.{column} is never empty", column=column)


def _quarantined_if_null(table: str) -> gxe.Expectation:
    """Rows of a record without an id: a warning, since the record is quarantined (dq_quarantine)."""
    return _warning(
        gxe.ExpectColumnValuesToNotBeNull,
        f"{table}.record_id is never empty (a record without an id is quarantined, see dq_quarantine)",
        column="record_id",
    )


def _unique(table: str, columns: list[str], why: str) -> gxe.Expectation:
    if len(columns) == 1:
        return _critical(
            gxe.ExpectColumnValuesToBeUnique, f"{table}: one row per {columns[0]} ({why})", column=columns[0]
        )
    return _critical(
        gxe.ExpectCompoundColumnsToBeUnique,
        f"{table}: one row per {', '.join(columns)} ({why})",
        column_list=columns,
    )


def _matches(column: str, regex: str, description: str) -> gxe.Expectation:
    # GX's ExpectColumnValuesToMatchRegex raises "Regex is not supported for dialect duckdb": the same
    # check as SQL with DuckDB's regexp_full_match.
    return _rows(
        description,
        CRITICAL,
        f"select * from {{batch}} where {column} is not null and not regexp_full_match({column}, '{regex}')",
    )


def _publication_lake(view: str) -> list[gxe.Expectation]:
    table = view.split("__")[-1]
    if table == "publications":
        return [
            _schema(view, PUBLICATIONS.names),
            # A record without an id or with an implausible year is not a reason to stop publishing: dbt
            # quarantines it (stg_lake__quarantine; reported from mart dq_quarantine). The record's position
            # is written by the ingest itself: a part without it is broken, not a bad record.
            _not_null(view, "source_file"),
            _not_null(view, "record_seq"),
            _unique(
                view, ["snapshot_id", "source_file", "record_seq"], "a record number appears once per file"
            ),
        ]
    if table == "affiliations":
        return [
            _schema(view, AFFILIATIONS.names),
            _quarantined_if_null(view),
            _unique(
                view, ["snapshot_id", "source_file", "record_id", "affiliation_seq"], "affiliation numbers"
            ),
            _critical(
                gxe.ExpectColumnValuesToBeBetween,
                f"{view}.n_authors is at least 1",
                column="n_authors",
                min_value=1,
            ),
            *(_wos_country_facts(view) if view.split("__")[1] == "wos" else _delivered_country_codes(view)),
        ]
    if table == "categories":
        schemes = ["wos_category", "wos_research_area", "openalex_subfield", "openalex_topic"]
        return [
            _schema(view, CATEGORIES.names),
            _quarantined_if_null(view),
            _critical(
                gxe.ExpectColumnValuesToBeInSet,
                f"{view}.scheme is a known scheme",
                column="scheme",
                value_set=schemes,
            ),
        ]
    return [_not_null(view, "record_id"), _not_null(view, "merge_into_id")]  # merged_ids


PATSTAT_KEYS = {
    "tls201_appln": ["snapshot_id", "appln_id"],
    "tls206_person": ["snapshot_id", "person_id"],
    "tls207_pers_appln": ["snapshot_id", "person_id", "appln_id"],
}


def _delivered_country_codes(view: str) -> list[gxe.Expectation]:
    """Country codes a source delivers (OpenAlex): present, well formed, known to the seeds."""
    return [
        _not_null(view, "country_code"),
        _matches(
            "country_code", "[A-Z][A-Z]|UNKNOWN", f"{view}.country_code is a two-letter ISO code or UNKNOWN"
        ),
        _warning(
            gxe.ExpectColumnValuesToBeInSet,
            f"{view}.country_code is a country the seeds know (wos_country_names, regions) or UNKNOWN",
            column="country_code",
            value_set=known_country_codes(),
        ),
    ]


def _wos_country_facts(view: str) -> list[gxe.Expectation]:
    """WoS addresses carry the parser's structural country facts; their ISO code is decided in dbt
    (int_wos_affiliations_coded), whose unmapped strings dq_country_mapping reports. Parts ingested before
    country_form existed carry their ingest-time country_code instead."""
    return [
        _critical(
            gxe.ExpectColumnValuesToBeInSet,
            f"{view}.country_form is a form the address parser writes",
            column="country_form",
            value_set=[FORM_COUNTRY, FORM_US_STATE_ZIP],
        ),
        _rows(
            f"{view}: every address has a country_form (or, ingested before it existed, a country_code)",
            CRITICAL,
            "select * from {batch} where country_form is null and country_code is null",
        ),
    ]


def _patstat_lake(view: str) -> list[gxe.Expectation]:
    table = view.split("__")[-1]
    columns = ["snapshot_id", "source_file", *PATSTAT_COLUMNS[table]]
    expectations = [_schema(view, columns), _not_null(view, PATSTAT_COLUMNS[table][0])]
    if table in PATSTAT_KEYS:
        expectations.append(_unique(view, PATSTAT_KEYS[table], "PATSTAT primary key within an edition"))
    if table == "tls201_appln":
        expectations += [
            _not_null(view, "docdb_family_id"),
            _critical(
                gxe.ExpectColumnValuesToBeBetween,
                f"{view}.appln_filing_year is a year (9999 = unknown, excluded by the marts)",
                column="appln_filing_year",
                min_value=1900,
                max_value=9999,
            ),
        ]
    if table == "tls206_person":
        expectations.append(
            _matches(
                "person_ctry_code",
                "[A-Z][A-Z]| *",
                f"{view}.person_ctry_code is a two-letter code or blank (blank = unknown, reported)",
            )
        )
    if table == "tls230_appln_techn_field":
        expectations.append(
            _critical(
                gxe.ExpectColumnValuesToBeBetween,
                f"{view}.weight is within [0, 1]",
                column="weight",
                min_value=0,
                max_value=1,
            )
        )
    return expectations


def _institution_matches(view: str) -> list[gxe.Expectation]:
    return [
        _not_null(view, "institution_key"),
        _unique(view, ["organisation", "country_code"], "each organisation text is resolved once"),
        _matches(
            "country_code", "[A-Z][A-Z]|UNKNOWN", f"{view}.country_code is a two-letter ISO code or UNKNOWN"
        ),
    ]


def lake_suites(views: tuple[str, ...]) -> list[SuiteSpec]:
    specs = []
    for view in views:
        source = view.split("__")[1]
        if source == "patstat":
            expectations = _patstat_lake(view)
        elif source == "institutions":
            expectations = _institution_matches(view)
        else:
            expectations = _publication_lake(view)
        specs.append(SuiteSpec(view, view, tuple(expectations)))
    return specs


# ---------------------------------------------------------------- marts
def mart_models() -> dict[str, dict]:
    """Mart name -> its dbt YAML entry (columns, types, constraints, unique_combination tests)."""
    models = {}
    for path in sorted(
        glob.glob(str(DBT_PROJECT_DIR / "models" / "marts" / "**" / "_*.yml"), recursive=True)
    ):
        with open(path, encoding="utf-8") as handle:
            for model in (yaml.safe_load(handle) or {}).get("models", []):
                models[model["name"]] = model
    return models


def _expression_tests(model: dict) -> list[str]:
    """The expressions of the model's ``expression_is_true`` tests (dbt runs them in ``dbt build``)."""
    return [
        str(test["expression_is_true"]["arguments"]["expression"])
        for test in model.get("data_tests", [])
        if isinstance(test, dict) and "expression_is_true" in test
    ]


def _model_expectations(name: str, model: dict) -> list[gxe.Expectation]:
    expectations = []
    expressions = _expression_tests(model)
    for column in model.get("columns", []):
        column_name, data_type = column["name"], column.get("data_type", "")
        if data_type == "bigint":
            expectations.append(
                _critical(
                    gxe.ExpectColumnValuesToBeBetween,
                    f"{name}.{column_name} is a count: never negative",
                    column=column_name,
                    min_value=0,
                )
            )
        if column_name.startswith("share_") and not any(column_name in e for e in expressions):
            expectations.append(
                _critical(
                    gxe.ExpectColumnValuesToBeBetween,
                    f"{name}.{column_name} is a share: within [0, 1]",
                    column=column_name,
                    min_value=0,
                    max_value=1,
                )
            )
        if column_name in REGION_COLUMNS:
            extra = ", ".join(f"'{r}'" for r in EXTRA_REGIONS)
            expectations.append(
                _rows(
                    f"{name}.{column_name} is a region of seed regions (or {', '.join(EXTRA_REGIONS)})",
                    CRITICAL,
                    f"select * from {{batch}} where {column_name} not in (select region from regions) "
                    f"and {column_name} not in ({extra})",
                )
            )
    return expectations


def completeness_expectations() -> list[gxe.Expectation]:
    """The finding "incomplete years" (METHOD.md "Completeness"): reported as warnings, never hidden."""
    return [
        _rows(
            "Provisional or incomplete years of the newest snapshots (their numbers are lower bounds)",
            WARNING,
            "select source, snapshot_id, year, observed_count, completeness_note from {batch} "
            "where is_current_snapshot and (is_provisional or is_incomplete) order by source, year",
        ),
        _rows(
            "No year outside the publication lag falls well below the trend of the three years before it",
            WARNING,
            "select source, snapshot_id, year, observed_count, completeness_note from {batch} "
            "where is_incomplete and not is_provisional order by source, snapshot_id, year",
        ),
    ]


def delivery_expectations() -> dict[str, list[gxe.Expectation]]:
    """Bad deliveries handled without stopping the rest (README "When a delivery is bad"): a held state is
    already out of the marts and a quarantined record out of the counts, so both are reported as warnings
    (the other sources publish); the summary page lists them first."""
    return {
        "dq_state_plausibility": [
            _rows(
                "No delivery is held back by the plausibility gate (no records, or a drop beyond "
                "STIWATCH_GATE_*; `stiwatch accept` approves a real drop)",
                WARNING,
                "select source, snapshot_id, gate_note from {batch} where is_held "
                "order by source, snapshot_id",
            )
        ],
        "dq_quarantine": [
            _rows(
                "No record is quarantined (implausible year, no id, a differing duplicate)",
                WARNING,
                "select source, snapshot_id, source_file, record_seq, rule, detail from {batch} "
                "order by source, snapshot_id, source_file, record_seq",
            )
        ],
    }


def publication_checks(settings: Settings) -> dict[str, list[gxe.Expectation]]:
    """Coverage of the publication sources per year of the newest snapshots (warnings; see settings)."""

    def over(share_sql: str, source_filter: str, limit: float, description: str) -> gxe.Expectation:
        return _rows(
            f"{description} at most {limit:.0%} per year",
            WARNING,
            f"select source, snapshot_id, pub_year, share from (select *, {share_sql} as share "
            f"from {{batch}} "
            f"where is_current_snapshot and {source_filter}) where share > {limit} order by source, pub_year",
        )

    return {
        "dq_publication_coverage": [
            over(
                "publications_without_affiliations / nullif(publications, 0)",
                "source = 'wos'",
                settings.dq_max_share_without_addresses,
                "Web of Science records without addresses (C1):",
            ),
            over(
                "unknown_country_affiliations / nullif(affiliations, 0)",
                "source = 'wos'",
                settings.dq_max_share_unmapped_countries,
                "Web of Science addresses with an unmapped country:",
            ),
            over(
                "(publications_without_affiliations + publications_with_unknown_country_only)"
                " / nullif(publications, 0)",
                "source = 'openalex'",
                settings.dq_max_share_openalex_without_country,
                "OpenAlex works without any institution country:",
            ),
            over(
                "publications_out_of_scope / nullif(publications + publications_out_of_scope, 0)",
                "true",
                settings.dq_max_share_out_of_scope,
                "Records outside the big-data scope (dropped by the filter):",
            ),
        ],
        "dim_institution": [
            _rows(
                f"Affiliations resolved to a known institution (ROR or alias seed): at least "
                f"{settings.dq_min_institution_resolution:.0%}",
                WARNING,
                "select * from (select sum(n_affiliations) filter (where is_resolved) / sum(n_affiliations) "
                f"as resolution_rate from {{batch}}) "
                f"where resolution_rate < {settings.dq_min_institution_resolution}",
            )
        ],
    }


def mart_suites(settings: Settings, tables: tuple[str, ...]) -> list[SuiteSpec]:
    models = mart_models()
    extra = publication_checks(settings)
    extra["dq_year_completeness"] = completeness_expectations()
    extra.update(delivery_expectations())
    specs = []
    for name in tables:
        if name not in models or name in NOT_VALIDATED:
            continue  # a seed copied for the comparisons, or GX's own output
        expectations = _model_expectations(name, models[name]) + extra.get(name, [])
        specs.append(SuiteSpec(f"mart__{name}", name, tuple(expectations)))
    return specs
