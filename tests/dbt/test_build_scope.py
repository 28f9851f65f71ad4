"""What an incremental build leaves out (stiwatch.build_plan.BuildPlan.exclude), and that it changes nothing.

Deliveries: WoS export wos-1 (2 records 2020 CN+DE), OpenAlex base oa-base (W1 CN+DE, W2 CN+US) and a
generated PATSTAT edition (200 families). The warehouse is built, then an OpenAlex delta oa-delta1 lands
(W2 now CN+DE, W3 new DE+US) and the refresh's build (dbt_runner.build_warehouse) runs incrementally: it
must leave out the seeds and the models tagged source_wos and source_patstat, with their tests, and its
marts must equal a full rebuild over the same lake.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import pytest
from lake_fixtures import Address, Record, land_patstat_edition, write_file_parts, write_manifest

from stiwatch import build_plan, review
from stiwatch.config import SOURCES, Settings
from stiwatch.dbt_runner import build_warehouse, run_dbt
from warehouse_compare import assert_same_marts

CN, DE, US = (Address(c, c) for c in ("CN", "DE", "US"))
EDITION = "2023_autumn"
DEC, JAN = date(2024, 12, 1), date(2025, 1, 15)
# Every-source models a source_<name> model may read, always through a filter on its own source's name.
LAKE_VIEWS = {
    "stg_lake__snapshots", "stg_lake__snapshot_files", "stg_lake__quarantine", "int_served_snapshots",
    "int_year_completeness",
}  # fmt: skip


def settings_for(root: Path) -> Settings:
    return Settings(data_dir=root, warehouse_path=root / "warehouse.duckdb")


def write_openalex(
    lake_dir: Path, snapshot_id: str, as_of: str, works: list[Record], base: str | None
) -> None:
    write_file_parts(lake_dir, "openalex", snapshot_id, "part_000.jsonl", works)
    write_manifest(lake_dir, "openalex", snapshot_id, as_of, {"part_000.jsonl": len(works)}, base=base)


def write_first_deliveries(settings: Settings) -> None:
    wos = [Record(f"WOS:{i}", 2020, [CN, DE]) for i in range(2)]
    write_file_parts(settings.lake_dir, "wos", "wos-1", "export.txt", wos)
    write_manifest(settings.lake_dir, "wos", "wos-1", "2024-01-01", {"export.txt": len(wos)})
    base = [Record("W1", 2021, [CN, DE], DEC), Record("W2", 2021, [CN, US], DEC)]
    write_openalex(settings.lake_dir, "oa-base", "2025-01-01", base, base=None)
    land_patstat_edition(settings, EDITION, n_families=200, seed=5)


def write_delta(settings: Settings) -> None:
    delta = [Record("W2", 2021, [CN, DE], JAN), Record("W3", 2021, [DE, US], JAN)]
    write_openalex(settings.lake_dir, "oa-delta1", "2025-02-01", delta, base="oa-base")


def target_args(settings: Settings) -> tuple[str, str]:
    return ("--target-path", str(settings.data_dir / "dbt_target"))


def dbt_json(settings: Settings, name: str) -> dict:
    return json.loads((settings.data_dir / "dbt_target" / name).read_text("utf-8"))


def rows(settings: Settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return con.execute(sql).fetchall()


Scoped = tuple[Settings, Settings, build_plan.BuildPlan, set[str]]


@pytest.fixture(scope="module")
def scoped(tmp_path_factory: pytest.TempPathFactory) -> Scoped:
    """The warehouse after the scoped incremental build, a full rebuild, that build's plan and what ran."""
    settings = settings_for(tmp_path_factory.mktemp("scoped"))
    write_first_deliveries(settings)
    build_warehouse(settings, *target_args(settings))
    write_delta(settings)
    plan = build_plan.plan_build(settings)
    build_warehouse(settings, *target_args(settings))
    ran = {result["unique_id"] for result in dbt_json(settings, "run_results.json")["results"]}
    rebuilt = settings_for(tmp_path_factory.mktemp("scoped_rebuilt"))
    shutil.copytree(settings.lake_dir, rebuilt.lake_dir)
    run_dbt(rebuilt, "build", *target_args(rebuilt), full_refresh=True)
    return settings, rebuilt, plan, ran


@pytest.mark.slow
def test_an_openalex_delta_leaves_out_the_other_sources_and_the_seeds(scoped: Scoped) -> None:
    settings, _, plan, ran = scoped
    assert not plan.full_refresh
    assert set(plan.unchanged_sources) == {"wos", "patstat"}
    assert set(plan.exclude) == {"resource_type:seed", "tag:source_wos", "tag:source_patstat"}
    nodes = dbt_json(settings, "manifest.json")["nodes"]

    def tags(unique_id: str) -> set[str]:
        return set(nodes[unique_id]["tags"]) if unique_id in nodes else set()

    assert not {n for n in ran if n.startswith("seed.")}
    assert not {n for n in ran if tags(n) & {"source_wos", "source_patstat"}}
    # Tests go with their models: none over a seed or a left-out model ran.
    for test in (n for n in ran if n.startswith("test.")):
        for parent in nodes[test]["depends_on"]["nodes"]:
            assert not parent.startswith("seed.") and not tags(parent) & {"source_wos", "source_patstat"}
    assert "model.stiwatch.int_publications_by_version" in ran
    assert "model.stiwatch.stg_openalex__publications" in ran
    assert "model.stiwatch.fct_copatent_output" not in ran


@pytest.mark.slow
def test_the_scoped_build_matches_a_full_rebuild(scoped: Scoped) -> None:
    settings, rebuilt, _, _ = scoped
    assert_same_marts(settings.warehouse_path, rebuilt.warehouse_path)
    # The left-out marts are not empty: the comparison covers what the build did not touch.
    assert rows(settings, "select sum(copatent_families) from fct_copatent_output")[0][0] > 0
    assert rows(settings, "select count(*) from fct_region_output where source = 'wos'")[0][0] > 0
    # oa-delta1: W1 CN+DE (base), W2 CN+DE (delta), W3 DE+US: two CN-EU27/AC co-publications in 2021.
    pairs = rows(
        settings,
        """select copublications from fct_region_pair_output where source = 'openalex'
           and snapshot_id = 'oa-delta1' and pub_year = 2021 and region_pair = 'CN-EU27/AC'""",
    )
    assert pairs == [(2,)]


@pytest.mark.slow
def test_tagged_models_read_only_their_source(scoped: Scoped) -> None:
    # A model tagged source_<name> is left out when <name> has nothing new: each model it reads must be
    # tagged the same, built from seeds alone, or an every-source lake view it filters by <name>; never
    # reference data (institutions, indicator lists), which changes without a delivery.
    settings, _, _, _ = scoped
    nodes = dbt_json(settings, "manifest.json")["nodes"]
    models = {uid: node for uid, node in nodes.items() if node["resource_type"] == "model"}

    def constant(uid: str) -> bool:  # built from seeds alone: staging reads the lake or reference data
        parents = models[uid]["depends_on"]["nodes"]
        return not models[uid]["name"].startswith("stg_") and all(
            p.startswith("seed.") or (p in models and constant(p)) for p in parents
        )

    tagged = 0
    for node in models.values():
        sources = [t.removeprefix("source_") for t in node["tags"] if t.startswith("source_")]
        if not sources:
            continue
        tagged += 1
        assert len(sources) == 1 and sources[0] in SOURCES, (node["name"], sources)
        for parent in (p for p in node["depends_on"]["nodes"] if p in models):
            name = models[parent]["name"]
            if build_plan.source_tag(sources[0]) in models[parent]["tags"] or constant(parent):
                continue
            assert name in LAKE_VIEWS, f"{node['name']} (source_{sources[0]}) reads {name}"
            assert f"'{sources[0]}'" in node["raw_code"], f"{node['name']} must filter {name} by its source"
    assert tagged >= 20


def test_a_verdict_alone_makes_its_source_changed(tmp_path: Path) -> None:
    # stiwatch accept rewrites a manifest without a new delivery: that source's models must run again.
    settings = settings_for(tmp_path)
    write_first_deliveries(settings)
    settings.warehouse_path.touch()
    build_plan.plan_frozen_build(settings)  # the build reads the lake as it is now
    build_plan.record_build(settings)
    assert set(build_plan.plan_build(settings).unchanged_sources) == set(SOURCES)
    review.accept(settings.lake_dir, "patstat", EDITION, by="analyst")
    plan = build_plan.plan_build(settings)
    assert not plan.full_refresh
    assert set(plan.unchanged_sources) == {"wos", "openalex"}
    assert "tag:source_patstat" not in plan.exclude


def test_a_record_without_source_digests_leaves_nothing_out_but_seeds(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    write_first_deliveries(settings)
    settings.warehouse_path.touch()
    build_plan.plan_frozen_build(settings)  # the build reads the lake as it is now
    build_plan.record_build(settings)
    record = build_plan.record_path(settings)
    payload = json.loads(record.read_text("utf-8"))
    del payload["sources"]  # a record written before the digests existed
    record.write_text(json.dumps(payload), encoding="utf-8")
    plan = build_plan.plan_build(settings)
    assert not plan.full_refresh and plan.unchanged_sources == ()
    assert plan.exclude == ("resource_type:seed",)


def test_a_full_rebuild_leaves_nothing_out(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    write_first_deliveries(settings)
    plan = build_plan.plan_build(settings)  # no warehouse yet
    assert plan.full_refresh and plan.exclude == ()


def duplicate_row(settings: Settings, table: str, snapshot_id: str) -> None:
    with duckdb.connect(str(settings.warehouse_path)) as con:
        con.execute(f"insert into {table} select * from {table} where snapshot_id = ? limit 1", [snapshot_id])


def halve_a_weight(settings: Settings, table: str, snapshot_id: str) -> None:
    """One publication's fractional weights no longer add up to 1."""
    with duckdb.connect(str(settings.warehouse_path)) as con:
        con.execute(
            f"""update {table} set fractional_weight = fractional_weight / 2
                where snapshot_id = $state
                  and record_id = (select min(record_id) from {table} where snapshot_id = $state)""",
            {"state": snapshot_id},
        )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("table", "fault", "failing_test"),
    [
        ("int_publications_by_version", duplicate_row, "unique_combination_int_publications_by_version"),
        (
            "int_publication_regions_by_version",
            halve_a_weight,
            "weights_sum_to_one_int_publication_regions_by_version",
        ),
    ],
)
def test_data_tests_of_an_incremental_build_check_the_rows_it_wrote(
    scoped: Scoped,
    tmp_path_factory: pytest.TempPathFactory,
    table: str,
    fault: Callable[[Settings, str, str], None],
    failing_test: str,
) -> None:
    # macros/utils/test_scope.sql: in an incremental build, a uniqueness test whose columns hold the
    # model's key (here the delivery holding a version), or a weights test whose groups do, reads only the
    # deliveries the build record does not list. On a copy of the scoped data root, with the record as
    # before oa-delta1 was built: a fault in oa-base's versions passes (they were checked when they were
    # built), one in oa-delta1's fails the build.
    settings = scoped[0]
    copy = settings_for(tmp_path_factory.mktemp("scope_copy"))
    shutil.copytree(settings.data_dir, copy.data_dir, dirs_exist_ok=True)
    record = json.loads(copy.build_record_path.read_text("utf-8"))
    openalex = record["deliveries"]["openalex"]
    record["deliveries"]["openalex"] = [entry for entry in openalex if entry.startswith("oa-base@")]
    copy.build_record_path.write_text(json.dumps(record), encoding="utf-8")
    select = ("--select", table, *target_args(copy))

    fault(copy, table, "oa-base")
    run_dbt(copy, "build", *select)  # passes: the old state's rows are not read again
    with pytest.raises(RuntimeError, match=failing_test):
        run_dbt(copy, "test", *select)  # dbt test, run by hand, checks every row
    fault(copy, table, "oa-delta1")
    with pytest.raises(RuntimeError, match=failing_test):
        run_dbt(copy, "build", *select)


@pytest.mark.slow
def test_a_delivery_published_during_a_build_waits_for_the_next(tmp_path: Path) -> None:
    # The transform DAG plans (freezing the lake's manifests), then runs dbt: a WoS export published in
    # between must not reach that build, nor its record, or the next refresh would find nothing new.
    settings = settings_for(tmp_path / "live")
    write_first_deliveries(settings)
    build_warehouse(settings, *target_args(settings))
    plan = build_plan.plan_frozen_build(settings)
    assert set(plan.unchanged_sources) == set(SOURCES)
    write_file_parts(settings.lake_dir, "wos", "wos-2", "export.txt", [Record("WOS:9", 2021, [CN, US])])
    write_manifest(settings.lake_dir, "wos", "wos-2", "2024-06-01", {"export.txt": 1})
    run_dbt(settings, "build", "--exclude", *plan.exclude, *target_args(settings), freeze_lake=False)
    build_plan.record_build(settings)
    assert [
        entry.split("@")[0]
        for entry in json.loads(build_plan.record_path(settings).read_text())["deliveries"]["wos"]
    ] == ["wos-1"]
    assert rows(settings, "select distinct snapshot_id from fct_region_output where source = 'wos'") == [
        ("wos-1",)
    ]
    # The next refresh takes it, incrementally, and ends where a full rebuild over the same lake does.
    after = build_plan.plan_build(settings)
    assert not after.full_refresh and "wos" not in after.unchanged_sources
    build_warehouse(settings, *target_args(settings))
    assert ("wos-2",) in rows(
        settings, "select distinct snapshot_id from fct_region_output where source = 'wos'"
    )
    rebuilt = settings_for(tmp_path / "rebuilt")
    shutil.copytree(settings.lake_dir, rebuilt.lake_dir)
    run_dbt(rebuilt, "build", *target_args(rebuilt), full_refresh=True)
    assert_same_marts(settings.warehouse_path, rebuilt.warehouse_path)
