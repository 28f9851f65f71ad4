"""Snapshot states, keep_snapshots and incremental refreshes, over hand-made lake deliveries.

OpenAlex (METHOD.md "Snapshots, bases and deltas"; every work has the default in-scope AI text/topic):
  oa-base   full, as of 2025-01-01, works updated 2024-12-01:
              W1 2021 CN+DE   W2 2021 CN+US   W3 2021 DE+US   W4 2022 CN+FR   W5 2022 US
  oa-delta1 delta of oa-base, as of 2025-02-01; merged_ids W4 -> W1:
              W1 2021 US (updated 2024-11-01: older than the base's version, loses)
              W2 2021 CN+DE, W3 2021 US (changed affiliations), W6 2022 CN+DE (new); W5 absent: kept
  oa-delta2 delta of oa-base, as of 2025-03-01:
              W5 2022 DE (same updated_date as the base: the later delivery wins)
              W6 2022 CN+US (changed again), W7 2023 CN+DE (new)
  oa-full2  full, as of 2025-04-01 (a new base: only itself): W1 2021 CN+FR, W4 2022 CN+DE
WoS: four exports wos-1 .. wos-4 (as of 2024-01..04), export k holding k records 2020 CN+DE.

The warehouse is built first over wos-1..3 and oa-base..oa-delta2 (three states each, all kept), then
incrementally after wos-4 and oa-full2 land: with keep_snapshots 3, wos-1 and the oa-base state leave
the marts (oa-base still feeds the two delta states).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pytest
from lake_fixtures import Address, Record, write_file_parts, write_manifest, write_merged_ids

from stiwatch import build_plan
from stiwatch.config import DBT_PROJECT_DIR, Settings
from stiwatch.dbt_runner import run_dbt
from stiwatch.lake_index import lake_manifests
from warehouse_compare import assert_same_marts, mart_tables

CN, DE, FR, US = (Address(c, c) for c in ("CN", "DE", "FR", "US"))
DEC, NOV = date(2024, 12, 1), date(2024, 11, 1)
PART = "part_000.jsonl"
MERGED = "merged_ids/works/2025-01-20.csv.gz"


def write_openalex(lake_dir: Path, snapshot_id: str, as_of: str, works: list[Record], base: str | None,
                   merged: list[tuple[str, str]] | None = None) -> None:  # fmt: skip
    write_file_parts(lake_dir, "openalex", snapshot_id, PART, works)
    files = {PART: len(works)}
    if merged:
        write_merged_ids(lake_dir, snapshot_id, MERGED, merged)
        files[MERGED] = len(merged)
    write_manifest(lake_dir, "openalex", snapshot_id, as_of, files, base=base)


LATER = "2024-10-01T10:00:00+00:00"  # an ingest after the fixtures' default ingested_at


def write_wos(lake_dir: Path, k: int) -> None:
    records = [Record(f"WOS:{k}{i}", 2020, [CN, DE]) for i in range(k)]
    write_file_parts(lake_dir, "wos", f"wos-{k}", "export.txt", records)
    write_manifest(lake_dir, "wos", f"wos-{k}", f"2024-0{k}-01", {"export.txt": k})


def write_oa_base(lake_dir: Path) -> None:
    base = [
        Record("W1", 2021, [CN, DE], DEC),
        Record("W2", 2021, [CN, US], DEC),
        Record("W3", 2021, [DE, US], DEC),
        Record("W4", 2022, [CN, FR], DEC),
        Record("W5", 2022, [US], DEC),
    ]
    write_openalex(lake_dir, "oa-base", "2025-01-01", base, base=None)


def write_oa_delta1(lake_dir: Path) -> None:
    delta1 = [
        Record("W1", 2021, [US], NOV),
        Record("W2", 2021, [CN, DE], date(2025, 1, 15)),
        Record("W3", 2021, [US], date(2025, 1, 15)),
        Record("W6", 2022, [CN, DE], date(2025, 1, 20)),
    ]
    write_openalex(lake_dir, "oa-delta1", "2025-02-01", delta1, base="oa-base", merged=[("W4", "W1")])


def write_oa_delta2(lake_dir: Path) -> None:
    delta2 = [
        Record("W5", 2022, [DE], DEC),
        Record("W6", 2022, [CN, US], date(2025, 2, 15)),
        Record("W7", 2023, [CN, DE], date(2025, 2, 20)),
    ]
    write_openalex(lake_dir, "oa-delta2", "2025-03-01", delta2, base="oa-base")


def write_first_deliveries(lake_dir: Path) -> None:
    for k in (1, 2, 3):
        write_wos(lake_dir, k)
    write_oa_base(lake_dir)
    write_oa_delta1(lake_dir)
    write_oa_delta2(lake_dir)


def write_later_deliveries(lake_dir: Path) -> None:
    write_wos(lake_dir, 4)
    full2 = [Record("W1", 2021, [CN, FR], date(2025, 3, 1)), Record("W4", 2022, [CN, DE], date(2025, 3, 1))]
    write_openalex(lake_dir, "oa-full2", "2025-04-01", full2, base=None)


# (state, year, region) -> publications (full counting); every other region-year of a state is 0.
EXPECTED_REGIONS = {
    # oa-base: 2021 CN W1 W2, EU W1 W3, US W2 W3; 2022 CN W4, EU W4 (FR), US W5
    ("oa-base", 2021, "CN"): 2, ("oa-base", 2021, "EU27/AC"): 2, ("oa-base", 2021, "US"): 2,
    ("oa-base", 2022, "CN"): 1, ("oa-base", 2022, "EU27/AC"): 1, ("oa-base", 2022, "US"): 1,
    # oa-delta1 = W1 CN+DE (base), W2 CN+DE, W3 US, W5 US (base), W6 CN+DE; W4 merged away
    ("oa-delta1", 2021, "CN"): 2, ("oa-delta1", 2021, "EU27/AC"): 2, ("oa-delta1", 2021, "US"): 1,
    ("oa-delta1", 2022, "CN"): 1, ("oa-delta1", 2022, "EU27/AC"): 1, ("oa-delta1", 2022, "US"): 1,
    # oa-delta2 = W1 W2 W3 as in oa-delta1, W5 DE, W6 CN+US, W7 CN+DE; W4 still merged away
    ("oa-delta2", 2021, "CN"): 2, ("oa-delta2", 2021, "EU27/AC"): 2, ("oa-delta2", 2021, "US"): 1,
    ("oa-delta2", 2022, "CN"): 1, ("oa-delta2", 2022, "EU27/AC"): 1, ("oa-delta2", 2022, "US"): 1,
    ("oa-delta2", 2023, "CN"): 1, ("oa-delta2", 2023, "EU27/AC"): 1,
    # oa-full2 = W1 CN+FR, W4 CN+DE (a new base: the old merge does not apply)
    ("oa-full2", 2021, "CN"): 1, ("oa-full2", 2021, "EU27/AC"): 1,
    ("oa-full2", 2022, "CN"): 1, ("oa-full2", 2022, "EU27/AC"): 1,
}  # fmt: skip
EXPECTED_PAIRS = {
    ("oa-base", 2021, "CN-EU27/AC"): 1, ("oa-base", 2021, "CN-US"): 1, ("oa-base", 2021, "EU27/AC-US"): 1,
    ("oa-base", 2022, "CN-EU27/AC"): 1,
    ("oa-delta1", 2021, "CN-EU27/AC"): 2, ("oa-delta1", 2022, "CN-EU27/AC"): 1,
    ("oa-delta2", 2021, "CN-EU27/AC"): 2, ("oa-delta2", 2022, "CN-US"): 1,
    ("oa-delta2", 2023, "CN-EU27/AC"): 1,
    ("oa-full2", 2021, "CN-EU27/AC"): 1, ("oa-full2", 2022, "CN-EU27/AC"): 1,
}  # fmt: skip


def settings_for(root: Path) -> Settings:
    return Settings(data_dir=root, warehouse_path=root / "warehouse.duckdb")


def build(settings: Settings, *, full_refresh: bool = False) -> None:
    run_dbt(
        settings, "build", "--target-path", str(settings.data_dir / "dbt_target"), full_refresh=full_refresh
    )


def rows(settings: Settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return con.execute(sql).fetchall()


def openalex_counts(settings: Settings, states: tuple[str, ...]) -> tuple[dict, dict]:
    in_list = ", ".join(f"'{s}'" for s in states)
    regions = rows(
        settings,
        f"""select snapshot_id, pub_year, region, publications from fct_region_output
            where source = 'openalex' and snapshot_id in ({in_list}) and region in ('CN', 'EU27/AC', 'US')""",
    )
    pairs = rows(
        settings,
        f"""select snapshot_id, pub_year, region_pair, copublications from fct_region_pair_output
            where source = 'openalex' and snapshot_id in ({in_list})""",
    )
    return {r[:3]: r[3] for r in regions}, {r[:3]: r[3] for r in pairs}


def assert_counts(settings: Settings, states: tuple[str, ...]) -> None:
    regions, pairs = openalex_counts(settings, states)
    assert {k[0] for k in regions} == set(states)
    for key, value in regions.items():
        assert value == EXPECTED_REGIONS.get(key, 0), key
    for key, value in pairs.items():
        assert value == EXPECTED_PAIRS.get(key, 0), key
    assert {k for k, v in pairs.items() if v} == {k for k in EXPECTED_PAIRS if k[0] in states}


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = settings_for(tmp_path_factory.mktemp("states"))
    write_first_deliveries(settings.lake_dir)
    build(settings)
    return settings


def test_deltas_fold_into_their_base(first_build: Settings) -> None:
    assert_counts(first_build, ("oa-base", "oa-delta1", "oa-delta2"))
    current = rows(
        first_build, "select distinct snapshot_id from fct_region_output where is_current_snapshot"
    )
    assert sorted(current) == [("oa-delta2",), ("wos-3",)]


def test_states_list_their_members(first_build: Settings) -> None:
    members = rows(
        first_build,
        """select state_id, list(member_snapshot_id order by member_order) from int_snapshot_states
           where source = 'openalex' group by state_id order by state_id""",
    )
    assert members == [
        ("oa-base", ["oa-base"]),
        ("oa-delta1", ["oa-base", "oa-delta1"]),
        ("oa-delta2", ["oa-base", "oa-delta1", "oa-delta2"]),
    ]


def test_unit_tests_run_in_the_test_suites_builds(first_build: Settings) -> None:
    # Refreshes leave the unit tests out (dbt_runner.REFRESH_BUILD_FLAGS); `make test` runs them here.
    results = json.loads((first_build.data_dir / "dbt_target" / "run_results.json").read_text("utf-8"))
    unit = [r["status"] for r in results["results"] if r["unique_id"].startswith("unit_test.")]
    assert len(unit) >= 10 and set(unit) == {"pass"}


@pytest.fixture(scope="module")
def refreshed(first_build: Settings, tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Settings]:
    """The first warehouse after an incremental build over the later deliveries, and a full rebuild."""
    settings = first_build
    # Markers in built rows: computing those versions (or the base's scope match) again would erase them.
    with duckdb.connect(str(settings.warehouse_path)) as con:
        con.execute(
            """update int_publications_by_version set doi = 'built-before'
               where snapshot_id in ('oa-delta2', 'wos-3')"""
        )
        con.execute(
            "update int_publication_scope set scope_version = 'built-before' where snapshot_id = 'oa-base'"
        )
    write_later_deliveries(settings.lake_dir)
    build(settings)
    rebuilt = settings_for(tmp_path_factory.mktemp("rebuilt"))
    shutil.copytree(settings.lake_dir, rebuilt.lake_dir)
    build(rebuilt, full_refresh=True)
    return settings, rebuilt


def test_new_full_snapshot_starts_a_new_base(refreshed: tuple[Settings, Settings]) -> None:
    incremental, _ = refreshed
    assert_counts(incremental, ("oa-delta1", "oa-delta2", "oa-full2"))
    current = rows(
        incremental, "select distinct snapshot_id from fct_region_output where is_current_snapshot"
    )
    assert sorted(current) == [("oa-full2",), ("wos-4",)]


def test_only_the_newest_states_are_kept_in_every_mart(refreshed: tuple[Settings, Settings]) -> None:
    incremental, _ = refreshed
    tables = mart_tables(incremental.warehouse_path)
    assert "fct_region_output" in tables
    for table in tables:
        columns = {c for (c,) in rows(incremental, f"select column_name from (describe {table})")}
        if "snapshot_id" not in columns:
            continue
        states = {s for (s,) in rows(incremental, f"select distinct snapshot_id from {table}")}
        assert not states & {"wos-1", "oa-base"}, table
    wos = rows(incremental, "select distinct snapshot_id from fct_region_output where source = 'wos'")
    assert sorted(wos) == [("wos-2",), ("wos-3",), ("wos-4",)]
    # The incremental tables lost the dropped states too (post-hook), the lake kept every delivery.
    assert rows(
        incremental, "select count(*) from int_publications where snapshot_id in ('wos-1', 'oa-base')"
    ) == [(0,)]
    # A version table keeps a delivery while a kept state reads it: oa-base's five works (oa-delta1 and
    # oa-delta2 fold onto them), not wos-1's.
    by_delivery = rows(
        incremental,
        """select snapshot_id, count(*) from int_publications_by_version
           where snapshot_id in ('wos-1', 'oa-base') group by all""",
    )
    assert by_delivery == [("oa-base", 5)]
    assert (incremental.lake_dir / "wos" / "snapshot=wos-1" / "_manifest.json").exists()


def test_incremental_build_matches_a_full_rebuild(refreshed: tuple[Settings, Settings]) -> None:
    incremental, rebuilt = refreshed
    assert_same_marts(incremental.warehouse_path, rebuilt.warehouse_path)


def test_incremental_build_did_not_rebuild_old_states(refreshed: tuple[Settings, Settings]) -> None:
    incremental, _ = refreshed
    marked = rows(
        incremental,
        """select snapshot_id, count(*) from int_publications_by_version
           where doi = 'built-before' group by all""",
    )
    # oa-delta2 delivered 3 versions (W5 W6 W7), wos-3 3 records; no new delivery is marked.
    assert sorted(marked) == [("oa-delta2", 3), ("wos-3", 3)]
    # Read per state, the marked versions are those the states hold: all of oa-delta2's win in its state.
    marked_states = rows(
        incremental,
        "select snapshot_id, count(*) from int_publications where doi = 'built-before' group by all",
    )
    assert sorted(marked_states) == [("oa-delta2", 3), ("wos-3", 3)]
    scope = rows(
        incremental,
        """select snapshot_id, count(*) from int_publication_scope
           where scope_version = 'built-before' group by all""",
    )
    assert scope == [("oa-base", 5)]  # the base's five versions were matched once, by the first build
    new_rows = rows(incremental, "select count(*) from int_publication_scope where snapshot_id = 'oa-full2'")
    assert new_rows == [(2,)]


@pytest.fixture(scope="module")
def carried(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Settings]:
    """One delta per refresh, each state's fold carried forward from the one before it, and a full rebuild.

    keep_snapshots 2: the third build drops the oa-base state while it carries oa-delta1 forward. The
    doi of oa-delta1's versions is marked after its build: a work whose version in oa-delta2 is
    oa-delta1's shows the mark there (the version was computed once), the others do not.
    """
    settings = replace(settings_for(tmp_path_factory.mktemp("carried")), keep_snapshots=2)
    write_wos(settings.lake_dir, 1)
    write_oa_base(settings.lake_dir)
    build(settings)
    write_oa_delta1(settings.lake_dir)  # supersedes W2 W3, loses W1's tie, merges W4 away, adds W6
    build(settings)
    with duckdb.connect(str(settings.warehouse_path)) as con:
        con.execute("update int_publications_by_version set doi = 'carried' where snapshot_id = 'oa-delta1'")
    write_oa_delta2(settings.lake_dir)  # W5 wins a tie on updated_date, W6 changes again, W7 is new
    build(settings)
    rebuilt = replace(settings_for(tmp_path_factory.mktemp("carried_rebuilt")), keep_snapshots=2)
    shutil.copytree(settings.lake_dir, rebuilt.lake_dir)
    build(rebuilt, full_refresh=True)
    return settings, rebuilt


@pytest.mark.slow
def test_carried_states_count_as_folded(carried: tuple[Settings, Settings]) -> None:
    incremental, _ = carried
    assert_counts(incremental, ("oa-delta1", "oa-delta2"))
    states = rows(
        incremental, "select distinct snapshot_id from int_affiliations_regioned where source = 'openalex'"
    )
    assert sorted(states) == [("oa-delta1",), ("oa-delta2",)]  # oa-base dropped out (keep_snapshots 2)


@pytest.mark.slow
def test_a_state_reads_the_versions_computed_when_they_were_delivered(
    carried: tuple[Settings, Settings],
) -> None:
    incremental, _ = carried
    marked = rows(
        incremental,
        """select record_id, version_snapshot_id, doi = 'carried' from int_publications
           where snapshot_id = 'oa-delta2' order by record_id""",
    )
    # W1: the base's version (oa-delta1's is older); W2 W3: oa-delta1's, marked; W5 W6 W7: oa-delta2's.
    assert marked == [
        ("W1", "oa-base", False),
        ("W2", "oa-delta1", True),
        ("W3", "oa-delta1", True),
        ("W5", "oa-delta2", False),
        ("W6", "oa-delta2", False),
        ("W7", "oa-delta2", False),
    ]


@pytest.mark.slow
def test_carried_states_match_a_full_rebuild(carried: tuple[Settings, Settings]) -> None:
    incremental, rebuilt = carried
    assert_same_marts(incremental.warehouse_path, rebuilt.warehouse_path)


def test_fingerprint_flips_on_settings_and_seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dbt_copy = tmp_path / "dbt"
    shutil.copytree(DBT_PROJECT_DIR, dbt_copy, ignore=shutil.ignore_patterns("target", "logs"))
    monkeypatch.setattr(build_plan, "DBT_PROJECT_DIR", dbt_copy)
    settings = settings_for(tmp_path / "data")
    write_wos(settings.lake_dir, 1)
    assert build_plan.plan_build(settings).full_refresh  # no warehouse yet
    settings.warehouse_path.touch()
    assert build_plan.plan_build(settings).full_refresh  # no record of a build
    build_plan.plan_frozen_build(settings)  # the build reads the lake as it is now
    build_plan.record_build(settings)
    assert not build_plan.plan_build(settings).full_refresh  # unchanged
    write_wos(settings.lake_dir, 2)  # a later delivery: still incremental
    assert not build_plan.plan_build(settings).full_refresh
    assert build_plan.plan_build(replace(settings, first_year=2015)).full_refresh  # a dbt var
    assert build_plan.plan_build(replace(settings, keep_snapshots=5)).full_refresh
    seed = dbt_copy / "seeds" / "regions.csv"
    seed.write_text(seed.read_text(encoding="utf-8") + "XX,Testland,OTHER,,false,test\n", encoding="utf-8")
    assert build_plan.plan_build(settings).full_refresh  # a seed file
    build_plan.plan_frozen_build(settings)  # the build reads the lake as it is now
    build_plan.record_build(settings)
    assert not build_plan.plan_build(settings).full_refresh
    # A correction re-ingested under the same id (a new ingested_at) changes a built state: rebuild.
    write_manifest(settings.lake_dir, "wos", "wos-2", "2024-02-01", {"export.txt": 2}, ingested_at=LATER)
    assert build_plan.plan_build(settings).full_refresh
    build_plan.plan_frozen_build(settings)  # the build reads the lake as it is now
    build_plan.record_build(settings)
    # A delivery landing before one already built changes that state: rebuild.
    write_file_parts(settings.lake_dir, "wos", "wos-0", "export.txt", [Record("WOS:0", 2020, [CN])])
    write_manifest(settings.lake_dir, "wos", "wos-0", "2023-12-01", {"export.txt": 1})
    assert build_plan.plan_build(settings).full_refresh


def test_a_full_precedes_a_delta_of_the_same_day_whatever_the_ids(tmp_path: Path) -> None:
    # "2026-11-29_api" sorts before "2026-11-29_api_full" but is a delta on top of that full.
    lake = tmp_path / "lake"
    write_manifest(lake, "openalex", "2026-11-29_api_full", "2026-11-29", {"p.jsonl": 1})
    write_manifest(
        lake, "openalex", "2026-11-29_api", "2026-11-29", {"p.jsonl": 1}, base="2026-11-29_api_full"
    )
    order = [entry.split("@")[0] for entry in build_plan.deliveries(lake_manifests(lake))["openalex"]]
    assert order == ["2026-11-29_api_full", "2026-11-29_api"]


@pytest.mark.slow
def test_carried_sensitive_topics_match_a_full_rebuild(carried: tuple[Settings, Settings]) -> None:
    # Every fixture work's primary topic is subfield 1702, a term of the artificial_intelligence topic
    # (seed sensitive_topic_terms): each EU27/AC-CN co-publication of a state has that row. In oa-delta2:
    # W1 (the base's CN+DE) and W2 (oa-delta1's CN+DE) copied from oa-delta1, W7 (CN+DE) computed; W6 is
    # CN+US there.
    sql = """select record_id, topic_id, matched_by from int_publication_sensitive_topics
             where snapshot_id = 'oa-delta2' order by record_id"""
    incremental, rebuilt = carried
    expected = [(w, "artificial_intelligence", "category") for w in ("W1", "W2", "W7")]
    assert rows(incremental, sql) == expected
    assert rows(rebuilt, sql) == expected
