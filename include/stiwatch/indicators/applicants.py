"""PATSTAT applicants -> indicator-list entries, for co-patents in the watch list.

Listed companies (Huawei, Hikvision, CETC institutes) file patents but are often not in ROR, so an entry
flags patents by its names, not by its institution key: the current entries of every list (resolved to ROR
or not) are indexed as a registry of their own (name as display name, aliases as aliases, the entry's
country) and each distinct applicant name of the lake's PATSTAT editions whose reported country is one of
the entries' countries is resolved through the same ``Matcher`` as affiliations and entries (normalised,
abbreviated, prefix ... fuzzy; the alias seed left out: it names ROR institutions, not entries). The name is
the one the patent intermediates use (han_name, else psn_name, else person_name, trimmed), so dbt joins on
it. A match counts at ``indicator_min_score`` or above, like an entry's own resolution.

Written to ``lake/indicators/applicant_matches.parquet`` (``APPLICANT_MATCH_SCHEMA``: matched names only;
``method`` is ``applicant:<matcher method>``). Reads only name and country columns of tls206, distinct, in
DuckDB: one Python resolution per distinct name, as for affiliation strings.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from stiwatch.atomic_io import write_parquet_atomic
from stiwatch.institutions.matcher import Matcher
from stiwatch.institutions.registry import Registry
from stiwatch.sources.indicators import SPEC

APPLICANT_MATCH_SCHEMA = pa.schema(
    [
        ("applicant_name", pa.string()),  # as in int_patent_family_persons.applicant_name
        ("country_code", pa.string()),  # reported person_ctry_code (upper case)
        ("entry_id", pa.string()),
        ("method", pa.string()),  # applicant:<matcher method>
        ("score", pa.float64()),
    ]
)

# The applicant name of int_patent_family_persons / stg_patstat__persons, per distinct (name, country).
_NAMES_SQL = """
SELECT DISTINCT
    coalesce(nullif(trim(han_name), ''), nullif(trim(psn_name), ''), nullif(trim(person_name), ''))
        AS applicant_name,
    upper(trim(person_ctry_code)) AS country_code
FROM read_parquet($pattern, union_by_name = true)
WHERE upper(trim(person_ctry_code)) IN (SELECT unnest($countries))
  AND coalesce(nullif(trim(han_name), ''), nullif(trim(psn_name), ''), nullif(trim(person_name), ''))
      IS NOT NULL
ORDER BY applicant_name, country_code
"""


def applicant_matches_path(lake_dir: Path) -> Path:
    return lake_dir / SPEC.name / "applicant_matches.parquet"


def entry_registry(entries: list[dict[str, object]]) -> Registry:
    """The current entries as a registry: entry id for ROR id, name as display name, aliases as aliases."""
    organizations = {"ror_id": [], "display_name": [], "country_code": [], "country_name": []}
    names = {"ror_id": [], "name": [], "name_type": []}
    for entry in entries:
        organizations["ror_id"].append(entry["entry_id"])
        organizations["display_name"].append(entry["name"])
        organizations["country_code"].append(entry["country_code"])
        organizations["country_name"].append(None)
        texts = [("display", entry["name"])]
        texts += [("alias", alias) for alias in str(entry["aliases"] or "").split("; ") if alias]
        for name_type, text in texts:
            names["ror_id"].append(entry["entry_id"])
            names["name"].append(text)
            names["name_type"].append(name_type)
    return Registry(
        organizations=pa.table(organizations, schema=pa.schema([(c, pa.string()) for c in organizations])),
        names=pa.table(names, schema=pa.schema([(c, pa.string()) for c in names])),
        successors=pa.table({"ror_id": pa.array([], pa.string()), "successor_id": pa.array([], pa.string())}),
        inputs=(),
    )


def match_applicants(lake_dir: Path, entries: list[dict[str, object]], min_score: float) -> Path:
    """Resolve the lake's PATSTAT applicant names to ``entries`` (current ones); write the matches."""
    rows: list[dict[str, object]] = []
    countries = sorted({str(entry["country_code"]).upper() for entry in entries if entry["country_code"]})
    pattern = lake_dir / "patstat" / "snapshot=*" / "tls206_person" / "*.parquet"
    if countries and any(pattern.parent.parent.parent.glob("snapshot=*/tls206_person/*.parquet")):
        matcher = Matcher(entry_registry(entries))
        with duckdb.connect() as con:
            names = con.execute(_NAMES_SQL, {"pattern": str(pattern), "countries": countries}).fetchall()
        for name, country in names:
            match = matcher.resolve(name, country, organisation_first=True)
            if match.resolved and match.confidence >= min_score:
                rows.append(
                    {
                        "applicant_name": name,
                        "country_code": country,
                        "entry_id": match.ror_id,
                        "method": f"applicant:{match.method}",
                        "score": match.confidence,
                    }
                )
    target = applicant_matches_path(lake_dir)
    write_parquet_atomic(pa.Table.from_pylist(rows, schema=APPLICANT_MATCH_SCHEMA), target)
    return target
