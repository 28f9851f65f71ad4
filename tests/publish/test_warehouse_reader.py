"""One reader for the warehouse, whichever engine built it (stiwatch.warehouse_reader).

The Spark layout is made here the way dbt-spark writes it (``<warehouse dir>/stiwatch.db/<table>/`` with
Parquet part files, ``_SUCCESS`` and ``.crc`` files) by exporting a small DuckDB warehouse table by table;
both readers must then give the same rows, and a release published from either is the same.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from stiwatch.config import Settings
from stiwatch.publish.release import build_release
from stiwatch.quality.batches import build_validation_database
from stiwatch.summary import summarize
from stiwatch.warehouse_reader import (
    ALIAS,
    SCHEMA,
    SPARK_DATABASE,
    WarehouseLayoutError,
    WarehouseMissingError,
    open_warehouse,
    warehouse,
)

from .conftest import EXPECTED_MARTS, WAREHOUSE_V1, run_sql

# Every table and view of WAREHOUSE_V1 with its row count, counted by hand from the SQL.
V1_ROWS = {
    "fct_region_output": 3,
    "fct_copatent_output": 2,
    "dim_country": 1,
    "dim_snapshot": 3,
    "dq_results": 1,
    "int_not_a_mart": 1,
    "stg_not_a_mart": 1,
}


@pytest.fixture
def duckdb_settings(settings: Settings) -> Settings:
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    run_sql(settings.warehouse_path, WAREHOUSE_V1)
    return settings


def _as_spark(duckdb_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Export every table to Spark's layout beside the DuckDB file; settings now choosing Spark."""
    database = duckdb_settings.spark_warehouse_dir / f"{SPARK_DATABASE}.db"
    with duckdb.connect(str(duckdb_settings.warehouse_path), read_only=True) as con:
        for table in V1_ROWS:
            folder = database / table
            folder.mkdir(parents=True)
            con.execute(
                f"copy \"{table}\" to '{folder / 'part-00000-abc-c000.snappy.parquet'}' (format parquet)"
            )
            (folder / "_SUCCESS").write_text("")
            (folder / ".part-00000-abc-c000.snappy.parquet.crc").write_bytes(b"\x00crc")
    (database / "_temporary").mkdir()  # a Spark job's scratch folder: not a table
    monkeypatch.setenv("STIWATCH_ENGINE", "spark")
    return Settings.from_env()


@pytest.fixture
def spark_settings(duckdb_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    return _as_spark(duckdb_settings, monkeypatch)


def _rows(settings: Settings, table: str) -> list[tuple]:
    with open_warehouse(settings) as con:
        return sorted(con.execute(f'select * from {ALIAS}.{SCHEMA}."{table}"').fetchall(), key=repr)


def test_both_engines_list_the_same_tables(
    duckdb_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert warehouse(duckdb_settings).tables() == sorted(V1_ROWS)
    assert warehouse(_as_spark(duckdb_settings, monkeypatch)).tables() == sorted(V1_ROWS)


def test_spark_parquet_reads_the_same_rows_as_the_duckdb_file(
    duckdb_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from_duckdb = {table: _rows(duckdb_settings, table) for table in V1_ROWS}
    spark = _as_spark(duckdb_settings, monkeypatch)
    assert {table: len(rows) for table, rows in from_duckdb.items()} == V1_ROWS
    for table in V1_ROWS:
        assert _rows(spark, table) == from_duckdb[table], table


def test_a_release_from_spark_output_equals_one_from_the_duckdb_file(
    duckdb_settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from_duckdb = build_release(warehouse(duckdb_settings), tmp_path / "duckdb-release")
    from_spark = build_release(warehouse(_as_spark(duckdb_settings, monkeypatch)), tmp_path / "spark-release")
    assert set(from_spark.row_counts) == EXPECTED_MARTS
    assert from_spark.row_counts == {mart: V1_ROWS[mart] for mart in EXPECTED_MARTS}
    assert from_spark.row_counts == from_duckdb.row_counts
    assert from_spark.snapshots == from_duckdb.snapshots
    with duckdb.connect() as con:
        for mart in EXPECTED_MARTS:
            files = [
                str(tmp_path / f"{kind}-release" / "parquet" / f"{mart}.parquet")
                for kind in ("duckdb", "spark")
            ]
            for first, second in (files, files[::-1]):
                query = f"from read_parquet('{first}') except all from read_parquet('{second}')"
                (extra,) = con.execute(f"select count(*) from ({query})").fetchone()
                assert extra == 0, mart


def test_the_quality_step_copies_the_marts_from_spark_output(
    spark_settings: Settings, tmp_path: Path
) -> None:
    tables = build_validation_database(spark_settings, tmp_path / "validation.duckdb")
    # The marts (fct_/dim_/dq_) are copied; the intermediate table and the staging view are not.
    assert set(tables.warehouse_tables) == EXPECTED_MARTS
    with duckdb.connect(str(tables.database), read_only=True) as con:
        assert con.execute("select count(*) from fct_region_output").fetchone() == (3,)


def test_the_summary_falls_back_to_the_spark_output_before_a_release(spark_settings: Settings) -> None:
    # WAREHOUSE_V1's co-patent mart lacks the `basis` column the summary reads: leave it out here.
    shutil.rmtree(spark_settings.spark_warehouse_dir / "stiwatch.db" / "fct_copatent_output")
    text = summarize(spark_settings)
    assert f"warehouse (not yet published): {spark_settings.spark_warehouse_dir / 'stiwatch.db'}" in text
    marts = [line.split() for line in text.splitlines() if line.endswith(" rows")]
    assert marts == [
        ["dim_country", "1", "rows"],
        ["dim_snapshot", "3", "rows"],
        ["dq_results", "1", "rows"],
        ["fct_region_output", "3", "rows"],
    ]
    assert "int_not_a_mart" not in text


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_nothing_built_yet_says_what_to_run(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    monkeypatch.setenv("STIWATCH_ENGINE", engine)
    empty = warehouse(Settings.from_env())
    assert not empty.built
    with pytest.raises(
        WarehouseMissingError, match=rf"no warehouse built on {engine} yet; run `stiwatch refresh`"
    ):
        empty.require()
    with pytest.raises(WarehouseMissingError):
        summarize(Settings.from_env())


def test_a_partitioned_table_folder_is_refused_naming_it(spark_settings: Settings) -> None:
    folder = spark_settings.spark_warehouse_dir / "stiwatch.db" / "fct_region_output"
    (folder / "pub_year=2022").mkdir()
    with pytest.raises(WarehouseLayoutError, match=rf"{folder}: partition folders \['pub_year=2022'\]"):
        warehouse(spark_settings).tables()


def test_a_delta_table_is_refused_not_half_read(spark_settings: Settings) -> None:
    folder = spark_settings.spark_warehouse_dir / "stiwatch.db" / "dim_country"
    (folder / "_delta_log").mkdir()
    with (
        pytest.raises(WarehouseLayoutError, match=rf"{folder}: a Delta table"),
        open_warehouse(spark_settings),
    ):
        pass


def test_a_table_folder_without_parquet_files_is_refused(spark_settings: Settings) -> None:
    folder = spark_settings.spark_warehouse_dir / "stiwatch.db" / "dq_results"
    for file in folder.glob("*.parquet"):
        file.unlink()
    with pytest.raises(WarehouseLayoutError, match=rf"{folder}: a table folder without Parquet files"):
        warehouse(spark_settings).tables()


def test_the_duckdb_warehouse_is_attached_read_only(duckdb_settings: Settings) -> None:
    with open_warehouse(duckdb_settings) as con, pytest.raises(duckdb.Error, match="read-only"):
        con.execute("create table warehouse.main.t as select 1")
