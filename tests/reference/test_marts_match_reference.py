"""The marts built from the real shared files agree exactly with the independent reference computation.

All real WoS exports form one WoS snapshot (overlapping UTs count once) and all real OpenAlex works files
one OpenAlex snapshot (a work in several files counts once). ``first_year`` is set to 1900 here so the
old records (back to 1934) are compared too, not only the brief's 2011 onwards. The scope filter is off:
the reference counts every record (the scope itself is tested on hand-made fixtures in tests/dbt).
"""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from stiwatch import ingest
from stiwatch.config import SEEDS_DIR, Settings
from stiwatch.dbt_runner import run_dbt

from .bibliometrics import field_shares, openalex_papers, pair_output, region_output, wos_papers

FIRST_YEAR = 1900
OPENALEX_WORK_FOLDERS = ("jsonl", "api_pages", "list_2022_schema")


def _real_files(shared: Path) -> dict[str, list[Path]]:
    return {
        "wos": sorted(p for p in (shared / "wos").rglob("*") if p.is_file()),
        "openalex": sorted(
            p
            for folder in OPENALEX_WORK_FOLDERS
            for p in (shared / "openalex" / folder).glob("*")
            if p.is_file()
        ),
    }


@pytest.fixture(scope="module")
def real_warehouse(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, dict]:
    root = tmp_path_factory.mktemp("real")
    settings = Settings(
        data_dir=root, warehouse_path=root / "warehouse.duckdb", first_year=FIRST_YEAR, scope_filter="off"
    )
    files = _real_files(shared_data)
    for source, paths in files.items():
        target = settings.landing_dir / source / "2026-11-01_shared"
        target.mkdir(parents=True)
        for path in paths:
            shutil.copyfile(path, target / f"{path.parent.name}__{path.name}")
        ingest.ingest_source(settings, source)
    run_dbt(settings, "build")
    return settings, files


def _query(settings: Settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.mark.slow
@pytest.mark.parametrize("source", ["wos", "openalex"])
def test_region_output_matches_reference(real_warehouse: tuple[Settings, dict], source: str) -> None:
    settings, files = real_warehouse
    reader = wos_papers if source == "wos" else openalex_papers
    expected = region_output(reader(files[source]), FIRST_YEAR)
    rows = _query(
        settings,
        f"""select pub_year, region, publications, publications_fractional from fct_region_output
            where source = '{source}' and region in ('EU27/AC', 'CN', 'US') and publications > 0""",
    )
    actual = {(year, region): (full, frac) for year, region, full, frac in rows}
    assert sorted(actual) == sorted(expected)
    for key, (full, frac) in expected.items():
        assert actual[key][0] == full, key
        assert actual[key][1] == pytest.approx(frac, abs=1e-9), key


@pytest.mark.slow
@pytest.mark.parametrize("source", ["wos", "openalex"])
def test_region_pair_output_matches_reference(real_warehouse: tuple[Settings, dict], source: str) -> None:
    settings, files = real_warehouse
    reader = wos_papers if source == "wos" else openalex_papers
    expected = pair_output(reader(files[source]), FIRST_YEAR)
    rows = _query(
        settings,
        f"""select pub_year, region_pair, copublications, trilateral_copublications
            from fct_region_pair_output where source = '{source}' and copublications > 0""",
    )
    actual = {(year, pair): (n, tri) for year, pair, n, tri in rows}
    assert actual == expected
    assert sum(n for n, _ in expected.values()) > 0, "the real files must contain co-publications"


def _wos_category_groups() -> dict[str, str]:
    """The WoS rows of the field-group seed (configuration, read here without the SQL)."""
    with (SEEDS_DIR / "category_field_groups.csv").open(newline="", encoding="utf-8") as f:
        return {
            row["category_id"].strip().lower(): row["field_group_id"]
            for row in csv.DictReader(f)
            if row["scheme"] == "wos_category"
        }


@pytest.mark.slow
def test_field_shares_match_reference(real_warehouse: tuple[Settings, dict]) -> None:
    settings, files = real_warehouse
    expected = field_shares(wos_papers(files["wos"]), _wos_category_groups(), FIRST_YEAR)
    totals: dict[tuple[int | None, str], float] = defaultdict(float)
    for (year, pair, _), fractional in expected.items():
        totals[(year, pair)] += fractional  # a paper's weights sum to 1: the pair's co-publications
    rows = _query(
        settings,
        """select pub_year, region_pair, field_group_id, pair_copublications, copublications_fractional,
                  share_of_pair
           from fct_field_shares where source = 'wos' and copublications_fractional > 0""",
    )
    actual = {(year, pair, group): (total, n, share) for year, pair, group, total, n, share in rows}
    assert sorted(actual, key=str) == sorted(expected, key=str)
    for key, fractional in expected.items():
        total, n, share = actual[key]
        assert total == pytest.approx(totals[key[:2]], abs=1e-9), key
        assert n == pytest.approx(fractional, abs=1e-9), key
        assert share == pytest.approx(fractional / totals[key[:2]], abs=1e-9), key
    all_years_cn_eu = {g: v for (y, p, g), v in expected.items() if y is None and p == "CN-EU27/AC"}
    assert sum(all_years_cn_eu.values()) > 10, "the real files must hold CN-EU27/AC co-publications"
