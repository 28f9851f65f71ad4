"""A warehouse shaped by the mart contracts (dbt/models/marts/**/_*__models.yml), filled with chosen rows.

Columns and types come from the contracts, so the report is tested against the tables dbt really builds;
a row lists only the columns a test cares about, the others are NULL. Expected values in the tests are
counted from the rows below, not from the report's code.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import yaml

from stiwatch.config import DBT_PROJECT_DIR

HOSTILE_NAME = "<script>alert(1)</script> Univ"
FLAG_COLUMNS = (("is_provisional", "boolean"), ("is_incomplete", "boolean"))
YEARLY_MARTS = ("fct_region_output", "fct_region_pair_output", "fct_copatent_output", "fct_copatent_sectors")

WOS_OLD = {"source": "wos", "snapshot_id": "2024-01-10_old", "snapshot_as_of": date(2024, 1, 10)}
WOS = {"source": "wos", "snapshot_id": "2025-03-01_cur", "snapshot_as_of": date(2025, 3, 1)}
OPENALEX = {"source": "openalex", "snapshot_id": "2025-06-01", "snapshot_as_of": date(2025, 6, 1)}
PATSTAT = {"source": "patstat", "edition_id": "2024_autumn", "edition_as_of": date(2024, 8, 1)}
SETTINGS = {
    "first_year": 2011,
    "cn_includes_hk_mo": True,
    "scope_version": "v1",
    "scope_filter": "per_source",
}
PAIRS = ("CN-EU27/AC", "CN-US", "EU27/AC-US")


def contract_columns() -> dict[str, list[tuple[str, str]]]:
    """Mart name -> [(column, data_type)] from the dbt contracts (YAML anchors resolved by the loader),
    with a type that depends on the engine rendered for DuckDB, as dbt renders it."""
    marts: dict[str, list[tuple[str, str]]] = {}
    for path in sorted((DBT_PROJECT_DIR / "models" / "marts").rglob("_*__models.yml")):
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", []):
            columns = model.get("columns", [])
            marts[model["name"]] = [(c["name"], _duckdb_type(c["data_type"])) for c in columns]
    return marts


def _duckdb_type(data_type: str) -> str:
    return jinja2.Template(data_type).render(target={"type": "duckdb"})


def _current(snapshot: dict[str, Any], current: bool = True) -> dict[str, Any]:
    key = "is_current_edition" if "edition_id" in snapshot else "is_current_snapshot"
    return {**snapshot, key: current}


def _publication_rows() -> dict[str, list[dict[str, Any]]]:
    pair_rows, region_rows = [], []
    for snapshot, years in ((WOS, range(2022, 2026)), (OPENALEX, range(2023, 2026))):
        for year in years:
            for i, pair in enumerate(PAIRS):
                pair_rows.append(
                    {**_current(snapshot), **SETTINGS, "pub_year": year, "region_pair": pair,
                     "copublications": 100 + 10 * i + year % 10}
                )  # fmt: skip
            for i, region in enumerate(("EU27/AC", "CN", "US", "OTHER")):
                region_rows.append(
                    {**_current(snapshot), **SETTINGS, "pub_year": year, "region": region,
                     "publications": 1000 + 100 * i + year % 10}
                )  # fmt: skip
    pair_rows.append({**_current(WOS_OLD, False), **SETTINGS, "pub_year": 2023, "region_pair": "CN-US",
                      "copublications": 5})  # fmt: skip
    institutions = [
        {**_current(WOS), "period": "all", "side": "EU27/AC", "variant": "excluding_uk",
         "institution_rank": rank, "institution_key": f"k{rank}", "institution_name": name,
         "institution_country": country, "copublications": n,
         "main_partner_name": "Chinese Academy of Sciences", "main_partner_copublications": 3}
        for rank, name, country, n in ((1, HOSTILE_NAME, "DE", 40), (2, "Delft Univ Technol", "NL", 30),
                                       (3, "ETH Zurich", "CH", 20))
    ]  # fmt: skip
    institutions.append(
        {**_current(WOS), "period": "all", "side": "EU27/AC", "variant": "all", "institution_rank": 1,
         "institution_key": "gb", "institution_name": "Oxford Test Univ", "institution_country": "GB",
         "copublications": 99}
    )  # fmt: skip
    fields = [
        {**_current(snapshot), **SETTINGS, "period": "all", "region_pair": "CN-EU27/AC", "field_group": group,
         "share_of_pair": share}
        for snapshot in (WOS, OPENALEX)
        for group, share in (("AI & image processing", 0.5), ("Networking & telecommunications", 0.3),
                             ("Other / unmapped", 0.2))
    ]  # fmt: skip
    # Expected final co-publications of the current WoS state's as-of year 2025 (as of March: lag 3): the
    # three pairs drawn; a region row (measure publications) is not drawn on the co-publication figure.
    nowcast = [
        {**_current(WOS), **SETTINGS, "pub_year": 2025, "lag_months": 3, "measure": measure, "series": series,
         "observed_count": observed, "nowcast_count": observed / 0.18, "nowcast_lower": observed / 0.18 - 50,
         "nowcast_upper": observed / 0.18 + 50, "completion_share": 0.18, "nowcast_method": "default_curve"}
        for measure, series, observed in (
            *(("copublications", pair, 105 + 10 * i) for i, pair in enumerate(PAIRS)),
            ("publications", "CN", 1105))
    ]  # fmt: skip
    return {
        "fct_publication_nowcast": nowcast,
        "fct_region_pair_output": pair_rows,
        "fct_region_output": region_rows,
        "fct_top_institutions": institutions,
        "fct_field_shares": fields,
    }


def _patent_rows() -> dict[str, list[dict[str, Any]]]:
    edition = _current(PATSTAT)
    output = [
        {**edition, "filing_year": year, "region_pair": pair, "basis": "applicant",
         "copatent_families": offset + year % 10}
        for year in range(2018, 2024)
        for pair, offset in (("CN-EU27/AC", 20), ("CN-US", 40))
    ]  # fmt: skip
    sectors = [
        {**edition, "filing_year": year, "basis": "applicant", "field_id": field, "sector": sector,
         "copatent_families_fractional": 2.5}
        for year in range(2020, 2024)
        for field, sector in ((1, "Electrical engineering"), (2, "Electrical engineering"),
                              (10, "Instruments"))
    ]  # fmt: skip
    applicants = [
        {**edition, "side": side, "applicant_rank": rank, "applicant_name": name, "country_codes": countries,
         "copatent_families": n, "is_intra_group": intra}
        for side, rank, name, countries, n, intra in (
            ("EU27/AC", 1, "SIEMENS AG", "DE", 12, False), ("EU27/AC", 2, "NOKIA OYJ", "FI", 7, True),
            ("CN", 1, "HUAWEI TECH CO LTD", "CN", 15, False), ("CN", 2, "NOKIA SHANGHAI BELL", "CN", 7, True))
    ]  # fmt: skip
    # Expected final counts of the provisional years 2022 and 2023: four drawn (applicant basis), one not.
    nowcast = [
        {**edition, "filing_year": year, "lag_years": 2024 - year, "region_pair": pair, "basis": basis,
         "observed_copatent_families": observed, "nowcast_copatent_families": observed / share,
         "nowcast_lower": observed / share - 5, "nowcast_upper": observed / share + 5,
         "completion_share": share, "nowcast_method": "default_curve"}
        for year, share in ((2022, 0.75), (2023, 0.35))
        for pair, basis, observed in (("CN-EU27/AC", "applicant", 20 + year % 10),
                                      ("CN-US", "applicant", 40 + year % 10),
                                      *((("CN-US", "inventor", 9),) if year == 2023 else ()))
    ]  # fmt: skip
    return {"fct_copatent_output": output, "fct_copatent_sectors": sectors, "fct_top_applicants": applicants,
            "fct_copatent_nowcast": nowcast}  # fmt: skip


COMPLETENESS_COLUMNS = {"is_provisional", "is_incomplete", "completeness_ratio"}


def _snapshot_rows() -> dict[str, list[dict[str, Any]]]:
    """dim_snapshot: every snapshot above with its settings (publishing reads release.json from it)."""
    publications = [
        {**snapshot, "is_current": current, **SETTINGS}
        for snapshot, current in ((WOS_OLD, False), (WOS, True), (OPENALEX, True))
    ]
    edition = {
        "source": "patstat", "snapshot_id": PATSTAT["edition_id"], "snapshot_as_of": PATSTAT["edition_as_of"],
        "is_current": True, "first_year": SETTINGS["first_year"],
        "cn_includes_hk_mo": SETTINGS["cn_includes_hk_mo"], "include_utility_models": False,
        "impute_countries": False, "patent_scope": "ai_big_data",
    }  # fmt: skip
    return {"dim_snapshot": [*publications, edition]}


def flags_for(row: dict[str, Any]) -> dict[str, bool]:
    """The completeness flags planted in the 'with flags' warehouse."""
    year = row.get("pub_year", row.get("filing_year"))
    if "edition_id" in row:
        return {"is_provisional": year == 2023, "is_incomplete": year == 2022}
    incomplete = row["source"] == "openalex" and year == 2024 and row.get("region_pair") == "CN-US"
    return {"is_provisional": year == 2025, "is_incomplete": incomplete}


def build_warehouse(path: Path, *, with_flags: bool, marts: tuple[str, ...] | None = None) -> None:
    """Create the marts (all, or ``marts``) with contract columns (+ completeness flags) and the rows."""
    contracts = contract_columns()
    rows = {**_publication_rows(), **_patent_rows(), **_snapshot_rows()}
    with duckdb.connect(str(path)) as con:
        for mart, mart_rows in rows.items():
            if marts is not None and mart not in marts and mart != "dim_snapshot":  # every release has it
                continue
            # The contracts carry the completeness columns now; the "without flags" warehouse stands for a
            # release built before them, so they are dropped and, with flags, planted from flags_for().
            columns = [(n, t) for n, t in contracts[mart] if n not in COMPLETENESS_COLUMNS]
            if with_flags and mart in YEARLY_MARTS:
                columns += FLAG_COLUMNS
                mart_rows = [{**row, **flags_for(row)} for row in mart_rows]
            unknown = {key for row in mart_rows for key in row} - {name for name, _ in columns}
            assert not unknown, f"fixture columns {unknown} are not in the contract of {mart}"
            con.execute(f"create table {mart} ({', '.join(f'{n} {t}' for n, t in columns)})")
            placeholders = ", ".join("?" for _ in columns)
            con.executemany(
                f"insert into {mart} values ({placeholders})",
                [[row.get(name) for name, _ in columns] for row in mart_rows],
            )
