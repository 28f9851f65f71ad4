"""Bases and deltas of real OpenAlex works, through the real ingest and dbt, against the reference.

The lake (all OpenAlex, ``first_year`` 1990, scope filter off so the reference counts every work):
  2025-01-01_base   full: the 100 real works of ../shared/data/openalex/jsonl
  2025-02-01_delta  delta (base resolved by the landing rule): a saved API page of five base works with
                    changed affiliations and a later updated_date, and merged_ids/works moving W2012599372
                    into W1995613650 (the base work W2012599372 leaves the state)
  2025-03-01_delta  delta naming its base: W2046950934 changed again, two more works changed
  2025-04-01_full   full: the real API page json_chunk_3 (50 works, W2012599372 among them): a new base
The warehouse is built after each delivery (``build_warehouse``, incremental after the first); after the
second delta a copy of the lake is built with --full-refresh for comparison. Expected values come from
``reference.bibliometrics`` over the folded works (``openalex_deliveries.fold``), never from the SQL.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from stiwatch import build_plan, ingest, landing, review
from stiwatch.config import Settings
from stiwatch.dbt_runner import build_warehouse, run_dbt
from warehouse_compare import assert_same_marts, query

from .bibliometrics import Paper, openalex_papers, pair_output, region_output
from .openalex_deliveries import (
    fold,
    moved,
    without_authorship,
    works_by_id,
    write_api_page,
    write_merged_ids,
    write_snapshot_meta,
)

FIRST_YEAR = 1990
BASE, DELTA1, DELTA2, FULL2 = "2025-01-01_base", "2025-02-01_delta", "2025-03-01_delta", "2025-04-01_full"
MERGED_AWAY, MERGED_INTO = "W2012599372", "W1995613650"
REGIONS = ("EU27/AC", "CN", "US")


@dataclass
class Marts:
    """One state's region output ((year, region) -> (full, fractional)), pair output and works counted."""

    regions: dict[tuple[int, str], tuple[int, float]]
    pairs: dict[tuple[int, str], tuple[int, int]]
    publications: int = 0  # every work of the state, any year (dq_publication_coverage)


def reference(papers: dict[str, Paper]) -> Marts:
    return Marts(region_output(papers, FIRST_YEAR), pair_output(papers, FIRST_YEAR), len(papers))


def built_marts(warehouse: Path) -> dict[str, Marts]:
    """State id -> its OpenAlex marts, as built (only non-zero rows, like the reference)."""
    regions = query(
        warehouse,
        f"""select snapshot_id, pub_year, region, publications, publications_fractional from fct_region_output
            where source = 'openalex' and region in {REGIONS} and publications > 0""",
    )
    pairs = query(
        warehouse,
        """select snapshot_id, pub_year, region_pair, copublications, trilateral_copublications
           from fct_region_pair_output where source = 'openalex' and copublications > 0""",
    )
    totals = query(
        warehouse,
        """select snapshot_id, sum(publications) from dq_publication_coverage
           where source = 'openalex' group by snapshot_id""",
    )
    marts = {state: Marts({}, {}, total) for state, total in totals}
    for state, year, region, full, fractional in regions:
        marts[state].regions[(year, region)] = (full, fractional)
    for state, year, pair, n, tri in pairs:
        marts[state].pairs[(year, pair)] = (n, tri)
    return marts


def assert_matches(actual: Marts, expected: Marts) -> None:
    assert sorted(actual.regions) == sorted(expected.regions)
    for key, (full, fractional) in expected.regions.items():
        assert actual.regions[key][0] == full, key
        assert actual.regions[key][1] == pytest.approx(fractional, abs=1e-9), key
    assert actual.pairs == expected.pairs
    assert actual.publications == expected.publications


def eu_total(marts: Marts) -> int:
    return sum(full for (_, region), (full, _) in marts.regions.items() if region == "EU27/AC")


def current_state(warehouse: Path) -> list[tuple]:
    return query(
        warehouse,
        """select distinct snapshot_id from fct_region_output
           where source = 'openalex' and is_current_snapshot""",
    )


@dataclass
class Lake:
    """The deliveries' papers (for the reference) and the marts seen after each build."""

    papers: dict[str, dict[str, Paper]]
    manifests: dict[str, dict]
    built: dict[str, dict[str, Marts]]  # newest delivery when built -> state id -> marts
    current: dict[str, list[tuple]]
    incremental_after_delta2: Path
    rebuilt_after_delta2: Path
    root: Path


def _deltas(shared: Path, folder1: Path, folder2: Path) -> tuple[Path, Path]:
    """Write the two deltas of real base works into their folders; return their API page files."""
    base = works_by_id(sorted((shared / "openalex" / "jsonl").glob("*")))
    feb, mar = "2026-02-01T00:00:00", "2026-03-01T00:00:00"  # later than every base version
    delta1 = [
        moved(base["W1799019926"], "IT", "CN", feb),  # 2005 IT+GB+US: now CN too
        moved(base["W2046950934"], "DE", "CN", feb),  # 2008 GB+DE: now GB+CN
        without_authorship(base["W4233487268"], "SE", feb),  # 2004 US+SE: now US only
        moved(base["W2051551894"], "CN", "US", feb),  # 2008 CN: now CN+US
        moved(base["W2013849440"], "AT", "US", feb),  # 2005 AT+GB: now GB+US
    ]
    delta2 = [
        moved(delta1[1], "CN", "US", mar),  # W2046950934 again: GB+US
        moved(base["W1505414920"], "US", "DE", mar),  # 2009 US+CN: now DE+CN
        moved(base["W4250078337"], "US", "CN", mar),  # 2003 US: now CN+US
    ]
    page1 = write_api_page(folder1 / "page-000001.json", delta1)
    write_merged_ids(folder1 / "merged_ids" / "works" / "2025-01-20.csv", [(MERGED_AWAY, MERGED_INTO)])
    write_snapshot_meta(folder1, "2025-02-01", landing.DELTA)
    page2 = write_api_page(folder2 / "page-000001.json", delta2)
    write_snapshot_meta(folder2, "2025-03-01", landing.DELTA, base=BASE)
    return page1, page2


def _land_copies(files: list[Path], folder: Path) -> None:
    folder.mkdir(parents=True)
    for path in files:
        shutil.copyfile(path, folder / path.name)


@pytest.fixture(scope="module")
def lake(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Lake:
    root = tmp_path_factory.mktemp("openalex_states")
    settings = Settings(
        data_dir=root, warehouse_path=root / "warehouse.duckdb", first_year=FIRST_YEAR, scope_filter="off"
    )
    openalex_landing = settings.landing_dir / "openalex"
    base_files = sorted((shared_data / "openalex" / "jsonl").glob("*"))
    full2_file = shared_data / "openalex" / "api_pages" / "openalexpro_json_chunk_3_results_page_1.json"
    # The second delta waits outside the landing zone until its turn (landed, it would be ingested).
    parked = root / "parked" / DELTA2
    page1, page2 = _deltas(shared_data, openalex_landing / DELTA1, parked)
    _land_copies(base_files, openalex_landing / BASE)
    papers = {
        BASE: openalex_papers(base_files),
        DELTA1: openalex_papers([page1]),
        DELTA2: openalex_papers([page2]),
        FULL2: openalex_papers([full2_file]),
    }
    built, current = {}, {}
    target = ("--target-path", str(root / "dbt_target"))

    def ingest_and_build(newest: str, accept: bool = False) -> None:
        assert ingest.ingest_source(settings, "openalex") == [newest]
        if accept:  # a person approves the drop the plausibility gate would hold back (README)
            review.accept(settings.lake_dir, "openalex", newest, by="test")
        # A later delivery only extends the built list: incremental, else the comparison below is moot.
        assert not build_plan.plan_build(settings).full_refresh
        build_warehouse(settings, *target)
        built[newest] = built_marts(settings.warehouse_path)
        current[newest] = current_state(settings.warehouse_path)

    assert ingest.ingest_source(settings, "openalex") == [BASE, DELTA1]  # they land together
    build_warehouse(settings, *target)
    built[DELTA1] = built_marts(settings.warehouse_path)
    current[DELTA1] = current_state(settings.warehouse_path)

    shutil.move(parked, openalex_landing / DELTA2)
    ingest_and_build(DELTA2)
    incremental = root / "after_delta2.duckdb"
    shutil.copyfile(settings.warehouse_path, incremental)
    rebuilt = Settings(
        data_dir=root / "rebuilt", warehouse_path=root / "rebuilt" / "warehouse.duckdb",
        first_year=FIRST_YEAR, scope_filter="off",
    )  # fmt: skip
    shutil.copytree(settings.lake_dir, rebuilt.lake_dir)
    run_dbt(rebuilt, "build", "--target-path", str(root / "dbt_target_rebuilt"), full_refresh=True)

    _land_copies([full2_file], openalex_landing / FULL2)
    write_snapshot_meta(openalex_landing / FULL2, "2025-04-01", landing.FULL)
    # The new base holds 50 works where the state it replaces holds 99: a real replacement, accepted.
    ingest_and_build(FULL2, accept=True)
    manifests = {m["snapshot_id"]: m for m in landing.ingested_manifests(settings.lake_dir, "openalex")}
    return Lake(papers, manifests, built, current, incremental, rebuilt.warehouse_path, root)


@pytest.mark.slow
def test_the_deltas_land_as_deltas_onto_the_base(lake: Lake) -> None:
    kinds = {sid: (m["kind"], m["base"], m["records"]) for sid, m in lake.manifests.items()}
    assert kinds == {
        BASE: ("full", BASE, 100),
        DELTA1: ("delta", BASE, 5 + 1),  # five works and one merged id
        DELTA2: ("delta", BASE, 3),
        FULL2: ("full", FULL2, 50),
    }
    # The papers hold what the test planted (guards the reference against a silent fixture mistake).
    assert len(lake.papers[BASE]) == 100 and MERGED_AWAY in lake.papers[BASE]
    assert len(lake.papers[DELTA1]) == 5 and len(lake.papers[DELTA2]) == 3
    assert MERGED_AWAY in lake.papers[FULL2]


@pytest.mark.slow
def test_current_state_is_the_base_folded_with_the_delta(lake: Lake) -> None:
    p = lake.papers
    marts = lake.built[DELTA1]
    assert sorted(marts) == [BASE, DELTA1]
    assert lake.current[DELTA1] == [(DELTA1,)]
    assert_matches(marts[DELTA1], reference(fold(p[BASE], p[DELTA1], merged_away=[MERGED_AWAY])))
    assert_matches(marts[BASE], reference(p[BASE]))  # the base state is still there, base-only


@pytest.mark.slow
def test_no_state_is_the_delta_alone(lake: Lake) -> None:
    p = lake.papers
    delta_alone = reference(p[DELTA1])
    for state, marts in lake.built[DELTA1].items():
        assert marts.regions != delta_alone.regions, state
        assert marts.pairs != delta_alone.pairs, state
        assert marts.publications in (100, 99), state  # the base's works (less the merged one), not 5
    # Three delta works are EU27/AC (W1799019926, W2046950934, W2013849440, as in the base); the folded
    # state has the base's 25 less W4233487268 (its SE authorship dropped) and W2012599372 (CH, merged).
    assert eu_total(delta_alone) == 3
    assert eu_total(reference(p[BASE])) == 25
    assert eu_total(lake.built[DELTA1][DELTA1]) == 23


@pytest.mark.slow
def test_a_second_delta_folds_on_top(lake: Lake) -> None:
    p = lake.papers
    marts = lake.built[DELTA2]
    assert sorted(marts) == [BASE, DELTA1, DELTA2]
    assert lake.current[DELTA2] == [(DELTA2,)]
    merged = [MERGED_AWAY]
    assert_matches(marts[DELTA2], reference(fold(p[BASE], p[DELTA1], p[DELTA2], merged_away=merged)))
    assert_matches(marts[DELTA1], reference(fold(p[BASE], p[DELTA1], merged_away=merged)))
    assert_matches(marts[BASE], reference(p[BASE]))


@pytest.mark.slow
def test_incremental_build_matches_a_full_rebuild(lake: Lake) -> None:
    assert_same_marts(lake.incremental_after_delta2, lake.rebuilt_after_delta2)


@pytest.mark.slow
def test_a_new_full_snapshot_starts_a_new_base(lake: Lake) -> None:
    p = lake.papers
    marts = lake.built[FULL2]
    # keep_snapshots 3: the first base's own state leaves the marts, its deltas' states stay.
    assert sorted(marts) == [DELTA1, DELTA2, FULL2]
    assert lake.current[FULL2] == [(FULL2,)]
    assert_matches(marts[FULL2], reference(p[FULL2]))  # the old merge and deltas do not apply
    assert_matches(marts[DELTA2], reference(fold(p[BASE], p[DELTA1], p[DELTA2], merged_away=[MERGED_AWAY])))


@pytest.mark.slow
def test_refresh_builds_leave_the_unit_tests_out(lake: Lake) -> None:
    # build_warehouse is the refresh's build: data tests run, unit tests are for CI (make test).
    results = json.loads((lake.root / "dbt_target" / "run_results.json").read_text("utf-8"))["results"]
    kinds = {r["unique_id"].split(".", 1)[0] for r in results}
    assert "test" in kinds and "model" in kinds and "unit_test" not in kinds
