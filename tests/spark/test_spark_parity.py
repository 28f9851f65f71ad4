"""The same dbt project built on DuckDB and on Spark gives the same marts (issue 13, docs/SCALE.md).

One lake, two builds: the demo snapshots of every source (a few thousand records each) plus the real shared
WoS exports, OpenAlex works and ROR dump, so the marts hold two WoS states, two OpenAlex states, a PATSTAT
edition and the watch list. ``dbt build`` runs the models, the unit tests and the data tests on each engine
(run_dbt raises on any failure). Every mart must then have the same columns, types and rows on both:
EXCEPT ALL both ways, doubles to 9 significant digits, the build stamps left out. The expected rows are
the DuckDB build's, which the reference tests (tests/reference) check against independent computations.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from stiwatch import ingest
from stiwatch.config import COUNTED_SOURCES, Settings
from stiwatch.dbt_runner import run_dbt
from stiwatch.demo import generate
from stiwatch.demo.indicators import write_demo_lists
from stiwatch.indicators.step import prepare_watch_list
from stiwatch.institutions.resolve import resolve_institutions
from stiwatch.publish.release import build_release
from stiwatch.warehouse_reader import ALIAS, warehouse
from warehouse_compare import assert_same_catalogs

pytestmark = [pytest.mark.spark, pytest.mark.slow]

DEMO_RECORDS = 2000
# Older than the demo snapshots: the demo states are current and the real ones kept beside them (a real
# state after the demo's would be held back by the plausibility gate: far fewer records).
SHARED_SNAPSHOT = "2024-06-01_shared"
OPENALEX_WORK_FOLDERS = ("jsonl", "api_pages", "list_2022_schema")


def _land_shared(settings: Settings, shared: Path) -> None:
    files = {
        "wos": sorted(p for p in (shared / "wos").rglob("*") if p.is_file()),
        "openalex": sorted(
            p
            for folder in OPENALEX_WORK_FOLDERS
            for p in (shared / "openalex" / folder).glob("*")
            if p.is_file()
        ),
        "ror": [shared / "ror" / "ror_records_v2_schema.jsonl.gz"],
    }
    for source, paths in files.items():
        target = settings.landing_dir / source / SHARED_SNAPSHOT
        target.mkdir(parents=True)
        for path in paths:
            shutil.copyfile(path, target / f"{path.parent.name}__{path.name}")


def _unit_tests_passed(target_path: Path) -> int:
    results = json.loads((target_path / "run_results.json").read_text(encoding="utf-8"))["results"]
    unit_tests = [r for r in results if r["unique_id"].startswith("unit_test.")]
    failed = [r["unique_id"] for r in unit_tests if r["status"] != "pass"]
    assert failed == []
    return len(unit_tests)


@pytest.fixture(scope="module")
def builds(
    shared_data: Path, java: str, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Settings, Settings, dict[str, int]]:
    root = tmp_path_factory.mktemp("parity")
    # first_year 1900 and no scope filter: the shared OpenAlex works (1992-2010, mostly outside the AI
    # scope) and old WoS records reach the marts too; the scope match is still computed and reported.
    duck = Settings(
        data_dir=root, warehouse_path=root / "warehouse.duckdb", first_year=1900, scope_filter="off"
    )
    spark = dataclasses.replace(duck, engine="spark")
    generate(duck.landing_dir, records=DEMO_RECORDS)
    write_demo_lists(duck.landing_dir)
    _land_shared(duck, shared_data)
    for source in COUNTED_SOURCES:
        ingest.ingest_source(duck, source)
    resolve_institutions(duck)
    prepare_watch_list(duck)
    unit_tests = {}
    for settings in (duck, spark):
        target = root / f"dbt_target_{settings.engine}"
        run_dbt(settings, "build", "--target-path", str(target))
        unit_tests[settings.engine] = _unit_tests_passed(target)
    return duck, spark, unit_tests


def test_unit_and_data_tests_pass_on_both_engines(builds: tuple[Settings, Settings, dict[str, int]]) -> None:
    _, _, unit_tests = builds
    assert unit_tests["duckdb"] == unit_tests["spark"] > 0


def test_every_mart_has_the_same_columns_and_rows_on_both_engines(
    builds: tuple[Settings, Settings, dict[str, int]],
) -> None:
    duck, spark, _ = builds
    with duckdb.connect() as con:
        con.execute(f"attach '{duck.warehouse_path}' as duckdb_build (read_only)")
        warehouse(spark).attach(con)
        marts = assert_same_catalogs(con, "duckdb_build", ALIAS)
        assert "fct_region_pair_output" in marts and "fct_watch_list" in marts
        # Not an empty match: the real files and every demo source are in the compared rows.
        for source in ("wos", "openalex"):
            counted = con.execute(
                f"""select count(*) from {ALIAS}.fct_region_output
                    where source = ? and snapshot_id = ? and publications > 0""",
                [source, SHARED_SNAPSHOT],
            ).fetchone()[0]
            assert counted > 0, source
        assert con.execute(f"select count(*) from {ALIAS}.fct_copatent_output").fetchone()[0] > 0
        assert con.execute(f"select count(*) from {ALIAS}.fct_watch_list").fetchone()[0] > 0


def test_the_serving_release_is_the_same_from_either_engine(
    builds: tuple[Settings, Settings, dict[str, int]], tmp_path: Path
) -> None:
    duck, spark, _ = builds
    for settings in (duck, spark):
        build_release(warehouse(settings), tmp_path / settings.engine)
    with duckdb.connect() as con:
        for engine in ("duckdb", "spark"):
            con.execute(f"attach '{tmp_path / engine / 'serving.duckdb'}' as release_{engine} (read_only)")
        assert_same_catalogs(con, "release_duckdb", "release_spark")
