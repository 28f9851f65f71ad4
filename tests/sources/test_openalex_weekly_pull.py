"""The weekly pull over a local server replaying the real API pages: a full first, then a delta that
folds into it, through the real ingest and dbt, against the independent reference.

The first pull (no from_updated_date) gets the real pages of ../shared/data/openalex/api_pages as a cursor
chain; the second, incremental one (from_updated_date in the filter) gets one page of four of those works
with changed affiliations and today's updated_date. The current figures must be the folded state's, not
the four works'. Each pull is built (the second build incremental); ``first_year`` 1990 and the scope
filter off, so the reference counts every work.
"""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from reference.bibliometrics import openalex_papers, pair_output, region_output
from reference.openalex_deliveries import fold, moved, without_authorship, works_by_id, write_api_page
from stiwatch import build_plan, ingest, landing
from stiwatch.config import Settings
from stiwatch.dbt_runner import build_warehouse
from stiwatch.sources.openalex.client import pull_incremental
from warehouse_compare import query

FIRST_YEAR = 1990
FILTERS = "primary_topic.subfield.id:1702|1707"
FIRST, SECOND = "2026-12-01_api", "2026-12-02_api"


def _page(path: Path) -> dict:
    raw = path.read_bytes()
    return json.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)


class WeeklyOpenAlex:
    """Serves the corpus as a cursor chain, or only the delta page when asked for works updated since."""

    def __init__(self, pages: list[Path], delta_page: Path) -> None:
        self.pages = [_page(path) for path in pages]
        for i, page in enumerate(self.pages, start=1):
            page["meta"]["next_cursor"] = f"cursor-{i + 1}" if i < len(self.pages) else None
        self.delta = delta_page.read_bytes()
        self.filters: list[str] = []

    def __call__(self, request: Request) -> Response:
        args = request.args.to_dict()
        self.filters.append(args["filter"])
        if "from_updated_date:" in args["filter"]:
            return Response(self.delta, content_type="application/json")
        index = 0 if args["cursor"] == "*" else int(args["cursor"].removeprefix("cursor-")) - 1
        return Response(json.dumps(self.pages[index]), content_type="application/json")


def _changed_works(pages: list[Path]) -> list[dict]:
    works = works_by_id(pages)
    today = f"{date.today().isoformat()}T06:00:00"  # updated since the first pull, as the API returns them
    return [
        moved(works["W1799019926"], "IT", "CN", today),  # 2005 IT+GB+US: now CN too
        moved(works["W2046950934"], "DE", "CN", today),  # 2008 GB+DE: now GB+CN
        moved(works["W1505414920"], "US", "DE", today),  # 2009 US+CN: now DE+CN
        without_authorship(works["W4233487268"], "SE", today),  # 2004 US+SE: now US only
    ]


def _marts(warehouse: Path, state: str) -> tuple[dict, dict]:
    regions = query(
        warehouse,
        f"""select pub_year, region, publications, publications_fractional from fct_region_output
            where source = 'openalex' and snapshot_id = '{state}'
              and region in ('EU27/AC', 'CN', 'US') and publications > 0""",
    )
    pairs = query(
        warehouse,
        f"""select pub_year, region_pair, copublications, trilateral_copublications
            from fct_region_pair_output
            where source = 'openalex' and snapshot_id = '{state}' and copublications > 0""",
    )
    return {(y, r): (n, f) for y, r, n, f in regions}, {(y, p): (n, t) for y, p, n, t in pairs}


def _assert_reference(warehouse: Path, state: str, papers: dict) -> None:
    regions, pairs = _marts(warehouse, state)
    expected = region_output(papers, FIRST_YEAR)
    assert sorted(regions) == sorted(expected)
    for key, (full, fractional) in expected.items():
        assert regions[key][0] == full, key
        assert regions[key][1] == pytest.approx(fractional, abs=1e-9), key
    assert pairs == pair_output(papers, FIRST_YEAR)
    total = query(
        warehouse,
        f"""select sum(publications) from dq_publication_coverage
            where source = 'openalex' and snapshot_id = '{state}'""",
    )
    assert total == [(len(papers),)]  # every work of the state, any year: the whole corpus


@pytest.mark.slow
def test_weekly_delta_pull_folds_into_the_first_pull(
    shared_data: Path, httpserver: HTTPServer, tmp_path: Path
) -> None:
    pages = sorted((shared_data / "openalex" / "api_pages").glob("*"))
    delta_page = write_api_page(tmp_path / "served" / "delta.json", _changed_works(pages))
    api = WeeklyOpenAlex(pages, delta_page)
    httpserver.expect_request("/works").respond_with_handler(api)
    settings = Settings(
        data_dir=tmp_path / "data", warehouse_path=tmp_path / "data" / "warehouse.duckdb",
        first_year=FIRST_YEAR, scope_filter="off", openalex_base_url=httpserver.url_for("/"),
    )  # fmt: skip

    base, delta = openalex_papers(pages), openalex_papers([delta_page])
    target = ("--target-path", str(tmp_path / "dbt_target"))

    pull_incremental(settings, FIRST, FILTERS, sleep=lambda _: None)
    assert ingest.ingest_source(settings, "openalex") == [FIRST]
    build_warehouse(settings, *target)
    _assert_reference(settings.warehouse_path, FIRST, base)
    # A week later, on the same warehouse (both pulls run today here: the id orders them).
    pull_incremental(settings, SECOND, FILTERS, sleep=lambda _: None)
    assert ingest.ingest_source(settings, "openalex") == [SECOND]
    assert not build_plan.plan_build(settings).full_refresh
    build_warehouse(settings, *target)

    assert api.filters == [FILTERS] * len(pages) + [f"{FILTERS},from_updated_date:{date.today().isoformat()}"]
    manifests = {sid: landing.read_manifest(settings.lake_dir, "openalex", sid) for sid in (FIRST, SECOND)}
    assert {sid: (m["kind"], m["base"], m["records"]) for sid, m in manifests.items()} == {
        FIRST: ("full", FIRST, 225),
        SECOND: ("delta", FIRST, 4),
    }
    current = query(
        settings.warehouse_path,
        """select distinct snapshot_id from fct_region_output
           where source = 'openalex' and is_current_snapshot""",
    )
    assert current == [(SECOND,)]
    _assert_reference(settings.warehouse_path, SECOND, fold(base, delta))
    _assert_reference(settings.warehouse_path, FIRST, base)  # the first pull's state is untouched
    # Whole, not the delta's few works: three of them are EU27/AC; the corpus has 52, W1505414920 joins
    # (US -> DE) and W4233487268 leaves (its SE authorship dropped).
    regions, _ = _marts(settings.warehouse_path, SECOND)
    assert sum(n for (_, r), (n, _) in region_output(delta, FIRST_YEAR).items() if r == "EU27/AC") == 3
    assert sum(n for (_, r), (n, _) in region_output(base, FIRST_YEAR).items() if r == "EU27/AC") == 52
    assert sum(n for (_, r), (n, _) in regions.items() if r == "EU27/AC") == 52
