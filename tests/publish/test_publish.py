"""Publishing: every mart reaches the release unchanged, `current` switches atomically, failures roll back."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import threading
from pathlib import Path

import duckdb
import pytest

from stiwatch.config import Settings
from stiwatch.publish import PublishError, current_release, publish
from stiwatch.publish import release as release_module
from stiwatch.publish.layout import current_link, releases_dir

from .conftest import EXPECTED_MARTS, run_sql

NEW_YEAR = """
insert into fct_region_output values ('wos', '2025-03-01_b', date '2025-03-01', true, 2024, 'CN', 3, 'v1');
insert into dim_country values ('FR', 'EU27/AC');
"""


def rows(path: Path, table: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(f"select * from {table} order by all").fetchall()


def test_release_holds_every_mart_with_the_warehouse_rows(settings: Settings, warehouse: Path) -> None:
    release = publish(settings)

    assert current_release(settings) == release
    assert os.readlink(current_link(settings)) == f"releases/{release.name}"  # relative: valid in any mount
    serving = release / "serving.duckdb"
    with duckdb.connect(str(serving), read_only=True) as con:
        tables = {
            name for (name,) in con.execute("select table_name from information_schema.tables").fetchall()
        }
    # Every mart, plus the changelog against the previous release (empty here: the first release).
    assert tables == EXPECTED_MARTS | {"fct_release_changes"}
    assert {p.stem for p in (release / "parquet").glob("*.parquet")} == EXPECTED_MARTS | {
        "fct_release_changes"
    }
    for mart in EXPECTED_MARTS:
        assert rows(serving, mart) == rows(warehouse, mart)
        with duckdb.connect() as con:
            exported = con.execute(
                f"select * from read_parquet('{release}/parquet/{mart}.parquet') order by all"
            )
            assert exported.fetchall() == rows(warehouse, mart)

    meta = json.loads((release / "release.json").read_text())
    assert meta["release_id"] == release.name
    assert meta["row_counts"] == {
        "dim_country": 1,
        "dim_snapshot": 3,
        "dq_results": 1,
        "fct_copatent_output": 2,
        "fct_region_output": 3,
        "fct_release_changes": 0,
    }
    assert meta["snapshots"] == {
        "patstat": [{"snapshot_id": "2024_autumn", "as_of": "2024-08-01", "is_current": True}],
        "wos": [
            {"snapshot_id": "2024-01-10_a", "as_of": "2024-01-10", "is_current": False},
            {"snapshot_id": "2025-03-01_b", "as_of": "2025-03-01", "is_current": True},
        ],
    }
    assert meta["settings"] == {"scope_version": ["v1"], "include_utility_models": [False]}
    assert meta["serving_file"]["sha256"] == hashlib.sha256(serving.read_bytes()).hexdigest()
    assert (
        stat.S_IMODE(serving.stat().st_mode) == 0o444
    )  # read-only on disk (root ignores it; BI users don't)


def test_a_reader_of_the_old_release_keeps_its_data_after_the_switch(
    settings: Settings, warehouse: Path
) -> None:
    first = publish(settings)
    with duckdb.connect(str(current_link(settings) / "serving.duckdb"), read_only=True) as old_reader:
        run_sql(warehouse, NEW_YEAR)
        second = publish(settings)

        assert second != first
        assert current_release(settings) == second
        assert old_reader.execute("select count(*) from fct_region_output").fetchone() == (3,)
    assert len(rows(current_link(settings) / "serving.duckdb", "fct_region_output")) == 4
    assert len(rows(first / "serving.duckdb", "fct_region_output")) == 3


def test_readers_during_a_publish_see_one_whole_release(settings: Settings, warehouse: Path) -> None:
    publish(settings)
    run_sql(warehouse, NEW_YEAR)
    consistent_states = {(3, 1), (4, 2)}  # (fct_region_output, dim_country) rows before / after
    seen: set[tuple[int, int]] = set()
    errors: list[BaseException] = []

    def publish_in_background() -> None:
        try:
            publish(settings)
        except BaseException as error:  # surfaced below: a thread's exception is otherwise lost
            errors.append(error)

    publisher = threading.Thread(target=publish_in_background)
    publisher.start()
    while publisher.is_alive() or not seen:
        with duckdb.connect(str(current_link(settings) / "serving.duckdb"), read_only=True) as con:
            (facts,) = con.execute("select count(*) from fct_region_output").fetchone()
            (countries,) = con.execute("select count(*) from dim_country").fetchone()
        seen.add((facts, countries))
    publisher.join()

    assert not errors
    assert seen <= consistent_states
    assert len(rows(current_link(settings) / "serving.duckdb", "fct_region_output")) == 4


def test_a_failure_during_the_build_leaves_the_previous_release_current(
    settings: Settings, warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = publish(settings)
    run_sql(warehouse, NEW_YEAR)
    real_count = release_module._checked_row_count

    def fail_on_the_last_mart(con, mart, parquet_path):  # type: ignore[no-untyped-def]
        if mart == "fct_region_output":
            raise OSError("disk full (injected)")
        return real_count(con, mart, parquet_path)

    monkeypatch.setattr(release_module, "_checked_row_count", fail_on_the_last_mart)

    with pytest.raises(OSError, match="injected"):
        publish(settings)

    assert current_release(settings) == first
    assert [p.name for p in releases_dir(settings).iterdir()] == [first.name]  # partial build removed
    assert len(rows(current_link(settings) / "serving.duckdb", "fct_region_output")) == 3


def test_a_mart_that_cannot_be_read_fails_the_publish_and_keeps_current(
    settings: Settings, warehouse: Path
) -> None:
    first = publish(settings)
    run_sql(warehouse, "create table gone as select 1 as x; create view fct_zz_broken as select * from gone;")
    run_sql(warehouse, "drop table gone")

    with pytest.raises(duckdb.CatalogException, match="gone"):
        publish(settings)

    assert current_release(settings) == first
    assert [p.name for p in releases_dir(settings).iterdir()] == [first.name]


def test_old_releases_are_pruned_after_the_switch(settings: Settings, warehouse: Path) -> None:
    published = [publish(settings, keep_releases=2) for _ in range(4)]

    assert sorted(p.name for p in releases_dir(settings).iterdir()) == sorted(p.name for p in published[2:])
    assert current_release(settings) == published[-1]


def test_missing_warehouse_is_named(settings: Settings) -> None:
    with pytest.raises(PublishError, match=r"warehouse\.duckdb: no warehouse to publish"):
        publish(settings)
    assert current_release(settings) is None


def test_a_warehouse_without_marts_is_refused(settings: Settings) -> None:
    settings.warehouse_path.parent.mkdir(parents=True)
    run_sql(settings.warehouse_path, "create table stg_only as select 1 as x")
    with pytest.raises(PublishError, match="no tables named fct_\\*/dim_\\*/dq_\\*"):
        publish(settings)


@pytest.mark.parametrize(("raw", "expected"), [("", 3), ("1", 1), ("5", 5)])
def test_keep_releases_setting(raw: str, expected: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STIWATCH_SERVING_KEEP_RELEASES", raw)
    assert Settings.from_env().serving_keep_releases == expected


@pytest.mark.parametrize("raw", ["0", "three"])
def test_keep_releases_rejects_nonsense(raw: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STIWATCH_SERVING_KEEP_RELEASES", raw)
    with pytest.raises(ValueError, match="STIWATCH_SERVING_KEEP_RELEASES"):
        Settings.from_env()


def test_release_metadata_comes_from_dim_snapshot(settings: Settings, warehouse: Path) -> None:
    """A snapshot without a row in any fact (an OpenAlex pull with nothing in scope) is still in the
    release, with its settings: the metadata is dim_snapshot's, not inferred from mart columns."""
    run_sql(
        warehouse,
        "insert into dim_snapshot values "
        "('openalex', '2025-05-01_api', date '2025-05-01', true, 0, 'v2', null)",
    )
    meta = json.loads((publish(settings) / "release.json").read_text())
    assert meta["snapshots"]["openalex"] == [
        {"snapshot_id": "2025-05-01_api", "as_of": "2025-05-01", "is_current": True}
    ]
    assert meta["settings"] == {"scope_version": ["v1", "v2"], "include_utility_models": [False]}


def test_a_warehouse_without_dim_snapshot_is_not_published(settings: Settings, warehouse: Path) -> None:
    run_sql(warehouse, "drop table dim_snapshot")
    with pytest.raises(PublishError, match=r"dim_snapshot is missing.*dbt build"):
        publish(settings)
    assert current_release(settings) is None
