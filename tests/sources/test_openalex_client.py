"""The OpenAlex API client against a local HTTP server replaying the real saved pages as a cursor chain.

The pages of ../shared/data/openalex/api_pages are served in file-name order; page i's meta.next_cursor is
rewritten to ``cursor-<i+1>`` (null on the last), so a pull must land every page exactly once, in order.
"""

from __future__ import annotations

import gzip
import json
import logging
from datetime import date
from pathlib import Path

import pytest
import requests
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from stiwatch import ingest, landing
from stiwatch.config import Settings
from stiwatch.sources.openalex import client
from stiwatch.sources.openalex.client import OpenAlexPullError, pull_incremental, pull_works

API_KEY = "sekrit-key-123"
MAILTO = "team@example.org"
FILTERS = "primary_topic.subfield.id:1702|1707,publication_year:>2010"
SNAPSHOT = "2026-05-01_api"


@pytest.fixture
def served_pages(shared_data: Path) -> list[bytes]:
    pages = []
    paths = sorted((shared_data / "openalex" / "api_pages").glob("*"))
    for i, path in enumerate(paths, start=1):
        raw = path.read_bytes()
        page = json.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)
        page["meta"]["next_cursor"] = f"cursor-{i + 1}" if i < len(paths) else None
        pages.append(json.dumps(page).encode("utf-8"))
    assert len(pages) >= 2
    return pages


def work_ids(body: bytes) -> list[str]:
    return [work["id"] for work in json.loads(body)["results"]]


class FakeOpenAlex:
    """Serves the pages by cursor; ``faults[cursor]`` lists responses to give before the page itself."""

    def __init__(self, pages: list[bytes]) -> None:
        self.pages = pages
        self.faults: dict[str, list[Response]] = {}
        self.failing_from: str | None = None
        self.requests: list[dict[str, str]] = []

    def __call__(self, request: Request) -> Response:
        args = request.args.to_dict()
        self.requests.append(args)
        cursor = args["cursor"]
        if cursor == self.failing_from:
            return Response("database unavailable", status=503)
        if self.faults.get(cursor):
            return self.faults[cursor].pop(0)
        index = 0 if cursor == "*" else int(cursor.removeprefix("cursor-")) - 1
        return Response(self.pages[index], content_type="application/json")

    def cursors(self) -> list[str]:
        return [r["cursor"] for r in self.requests]


@pytest.fixture
def api(httpserver: HTTPServer, served_pages: list[bytes]) -> FakeOpenAlex:
    fake = FakeOpenAlex(served_pages)
    httpserver.expect_request("/works").respond_with_handler(fake)
    return fake


@pytest.fixture
def api_settings(settings: Settings, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("STIWATCH_OPENALEX_BASE_URL", httpserver.url_for("/"))
    monkeypatch.setenv("STIWATCH_OPENALEX_MAILTO", MAILTO)
    monkeypatch.setenv("STIWATCH_OPENALEX_API_KEY", API_KEY)
    return Settings.from_env()


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def landed_pages(folder: Path) -> list[bytes]:
    return [gzip.decompress(p.read_bytes()) for p in sorted(folder.glob("page-*.json.gz"))]


def test_pull_lands_every_page_once_in_order_through_429_and_500(
    api: FakeOpenAlex, api_settings: Settings, served_pages: list[bytes], caplog: pytest.LogCaptureFixture
) -> None:
    api.faults["cursor-2"] = [Response("slow down", status=429, headers={"Retry-After": "7"})]
    api.faults["cursor-3"] = [Response("boom", status=500)]
    sleeps = Sleeps()
    caplog.set_level(logging.DEBUG)

    folder = pull_works(api_settings, SNAPSHOT, FILTERS, date(2024, 1, 15), None, sleep=sleeps)

    n = len(served_pages)
    assert [p.name for p in sorted(folder.glob("page-*"))] == [
        f"page-{i:06d}.json.gz" for i in range(1, n + 1)
    ]
    assert landed_pages(folder) == served_pages  # byte for byte, in order
    landed_ids = [i for body in landed_pages(folder) for i in work_ids(body)]
    source_ids = [i for body in served_pages for i in work_ids(body)]
    assert len(landed_ids) == len(source_ids) and set(landed_ids) == set(source_ids)

    expected_cursors = ["*", "cursor-2", "cursor-2", "cursor-3", "cursor-3"] + [
        f"cursor-{i}" for i in range(4, n + 1)
    ]
    assert api.cursors() == expected_cursors
    for sent in api.requests:
        assert sent["mailto"] == MAILTO and sent["api_key"] == API_KEY and sent["per_page"] == "200"
        assert sent["filter"] == FILTERS + ",from_updated_date:2024-01-15"
    assert sleeps[0] == 7.0  # Retry-After honoured
    assert len(sleeps) == 2 and 1.0 <= sleeps[1] <= 2.0  # first backoff step plus jitter

    assert (folder / landing.PULL_COMPLETE).exists()
    assert json.loads((folder / landing.SNAPSHOT_META).read_text())["as_of"] == date.today().isoformat()
    # Every log line of the client side (ours and urllib3's); werkzeug is the test server.
    client_side = [r.getMessage() for r in caplog.records if not r.name.startswith("werkzeug")]
    assert any("api_key=***" in line for line in client_side)
    assert not any(API_KEY in line for line in client_side)


def test_a_completed_pull_is_ingested_like_saved_pages(
    api: FakeOpenAlex, api_settings: Settings, served_pages: list[bytes]
) -> None:
    pull_works(api_settings, SNAPSHOT, FILTERS, None, None, sleep=Sleeps())
    assert "from_updated_date" not in api.requests[0]["filter"]
    assert ingest.ingest_source(api_settings, "openalex") == [SNAPSHOT]
    manifest = landing.read_manifest(api_settings.lake_dir, "openalex", SNAPSHOT)
    assert {f["format"] for f in manifest["files"]} == {"openalex_api_page"}
    assert manifest["records"] == sum(len(work_ids(body)) for body in served_pages)
    assert manifest["as_of"] == date.today().isoformat()


def test_max_pages_then_rerun_resumes_from_saved_cursor(
    api: FakeOpenAlex, api_settings: Settings, served_pages: list[bytes]
) -> None:
    folder = pull_works(api_settings, SNAPSHOT, FILTERS, None, max_pages=2, sleep=Sleeps())
    assert len(landed_pages(folder)) == 2
    assert not (folder / landing.PULL_COMPLETE).exists()
    state = json.loads((folder / landing.PULL_STATE).read_text())
    assert (state["next_cursor"], state["pages_written"]) == ("cursor-3", 2)
    # An unfinished pull is invisible to the ingest.
    assert ingest.plan(api_settings, "openalex") == []

    api.requests.clear()
    pull_works(api_settings, SNAPSHOT, FILTERS, None, None, sleep=Sleeps())
    assert api.cursors() == [f"cursor-{i}" for i in range(3, len(served_pages) + 1)]
    assert landed_pages(folder) == served_pages
    assert (folder / landing.PULL_COMPLETE).exists()

    api.requests.clear()
    pull_works(api_settings, SNAPSHOT, FILTERS, None, None, sleep=Sleeps())  # complete: nothing to do
    assert api.requests == []


def test_permanent_failure_then_rerun_resumes(
    api: FakeOpenAlex, api_settings: Settings, served_pages: list[bytes]
) -> None:
    api.failing_from = "cursor-3"
    sleeps = Sleeps()
    with pytest.raises(OpenAlexPullError, match=r"page 3 .* failed 6 times .*HTTP 503.* resume") as caught:
        pull_works(api_settings, SNAPSHOT, FILTERS, None, None, sleep=sleeps)
    assert API_KEY not in str(caught.value)
    assert api.cursors() == ["*", "cursor-2"] + ["cursor-3"] * client.MAX_ATTEMPTS
    assert len(sleeps) == client.MAX_ATTEMPTS - 1
    assert sleeps == sorted(sleeps)  # exponential: never shorter than the previous wait
    folder = api_settings.landing_dir / "openalex" / SNAPSHOT
    assert len(landed_pages(folder)) == 2

    api.failing_from = None
    api.requests.clear()
    pull_works(api_settings, SNAPSHOT, FILTERS, None, None, sleep=Sleeps())
    assert api.cursors()[0] == "cursor-3" and "*" not in api.cursors() and "cursor-2" not in api.cursors()
    assert landed_pages(folder) == served_pages


def test_resume_with_other_filters_is_refused(api: FakeOpenAlex, api_settings: Settings) -> None:
    pull_works(api_settings, SNAPSHOT, FILTERS, None, max_pages=1, sleep=Sleeps())
    with pytest.raises(OpenAlexPullError, match=r"_pull_state\.json: this pull was started with filter"):
        pull_works(api_settings, SNAPSHOT, "publication_year:2020", None, None, sleep=Sleeps())
    with pytest.raises(OpenAlexPullError, match="from_updated_date"):
        pull_works(api_settings, SNAPSHOT, FILTERS, date(2025, 1, 1), None, sleep=Sleeps())


def test_client_error_is_not_retried_and_the_key_is_redacted(
    httpserver: HTTPServer, api_settings: Settings
) -> None:
    httpserver.expect_request("/works").respond_with_response(
        Response(f"Invalid api_key {API_KEY}", status=401)
    )
    sleeps = Sleeps()
    with pytest.raises(OpenAlexPullError, match=r"HTTP 401") as caught:
        pull_works(api_settings, SNAPSHOT, FILTERS, None, None, sleep=sleeps)
    assert API_KEY not in str(caught.value) and "***" in str(caught.value)
    assert sleeps == [] and len(httpserver.log) == 1


def test_connection_errors_are_retried_then_reported_without_the_key(api_settings: Settings) -> None:
    class Unreachable(requests.Session):
        calls = 0

        def get(self, url, **kwargs):  # type: ignore[override]
            Unreachable.calls += 1
            raise requests.ConnectionError(f"cannot reach {url}?api_key={kwargs['params']['api_key']}")

    with pytest.raises(OpenAlexPullError, match="ConnectionError") as caught:
        pull_works(api_settings, SNAPSHOT, FILTERS, None, None, session=Unreachable(), sleep=Sleeps())
    assert Unreachable.calls == client.MAX_ATTEMPTS
    assert API_KEY not in str(caught.value)


def test_retry_after_is_capped(httpserver: HTTPServer, api_settings: Settings, served_pages) -> None:
    answers = [Response("", status=429, headers={"Retry-After": "86400"}), Response(served_pages[-1])]
    httpserver.expect_request("/works").respond_with_handler(lambda request: answers.pop(0))
    sleeps = Sleeps()
    pull_works(api_settings, SNAPSHOT, FILTERS, None, None, sleep=sleeps)
    assert sleeps == [client.RETRY_AFTER_CAP_SECONDS]


def test_incremental_pull_starts_at_the_newest_completed_pull(
    api: FakeOpenAlex, api_settings: Settings
) -> None:
    root = api_settings.landing_dir / "openalex"
    for snapshot_id, as_of, complete in [("old", "2024-01-01", True), ("newer", "2024-03-01", True),
                                         ("unfinished", "2024-06-01", False)]:  # fmt: skip
        (root / snapshot_id).mkdir(parents=True)
        (root / snapshot_id / landing.SNAPSHOT_META).write_text(json.dumps({"as_of": as_of}))
        # A pull writes its state file first and _PULL_COMPLETE last (a folder with neither is a hand-landed
        # snapshot, see the next test).
        (root / snapshot_id / landing.PULL_STATE).write_text("{}")
        if complete:
            (root / snapshot_id / landing.PULL_COMPLETE).write_text("")
    assert client.latest_completed_pull(api_settings.landing_dir).snapshot_id == "newer"

    pull_incremental(api_settings, SNAPSHOT, FILTERS, max_pages=1, sleep=Sleeps())
    assert api.requests[0]["filter"] == FILTERS + ",from_updated_date:2024-03-01"


def test_a_full_snapshot_landed_after_the_last_pull_is_what_the_next_delta_builds_on(
    api: FakeOpenAlex, api_settings: Settings
) -> None:
    root = api_settings.landing_dir / "openalex"
    pulled = root / "2026-05-01_api"
    pulled.mkdir(parents=True)
    (pulled / landing.SNAPSHOT_META).write_text(json.dumps({"as_of": "2026-05-01", "kind": "full"}))
    (pulled / landing.PULL_STATE).write_text("{}")
    (pulled / landing.PULL_COMPLETE).write_text("")
    by_hand = root / "2026-05-20_s3"  # e.g. the monthly S3 snapshot, copied in by a data engineer
    by_hand.mkdir()
    (by_hand / landing.SNAPSHOT_META).write_text(json.dumps({"as_of": "2026-05-20"}))

    pull_incremental(api_settings, "2026-05-29_api", FILTERS, max_pages=1, sleep=Sleeps())
    assert api.requests[0]["filter"] == FILTERS + ",from_updated_date:2026-05-20"
    state = json.loads((root / "2026-05-29_api" / landing.PULL_STATE).read_text())
    assert state["base"] == "2026-05-20_s3"


def test_first_pull_is_a_full_base_and_later_pulls_are_deltas_onto_it(
    api: FakeOpenAlex, api_settings: Settings, served_pages: list[bytes]
) -> None:
    works = sum(len(work_ids(body)) for body in served_pages)
    root = api_settings.landing_dir / "openalex"

    pull_incremental(api_settings, "2026-05-01_api", FILTERS, sleep=Sleeps())
    assert api.requests[0]["filter"] == FILTERS  # everything matching the scope
    assert json.loads((root / "2026-05-01_api" / landing.SNAPSHOT_META).read_text())["kind"] == "full"

    api.requests.clear()
    pull_incremental(api_settings, "2026-05-08_api", FILTERS, sleep=Sleeps())
    assert api.requests[0]["filter"] == f"{FILTERS},from_updated_date:{date.today().isoformat()}"
    meta = json.loads((root / "2026-05-08_api" / landing.SNAPSHOT_META).read_text())
    assert (meta["kind"], meta["base"]) == ("delta", "2026-05-01_api")

    pull_incremental(api_settings, "2026-05-15_api", FILTERS, sleep=Sleeps())  # a delta's base is the full
    meta = json.loads((root / "2026-05-15_api" / landing.SNAPSHOT_META).read_text())
    assert (meta["kind"], meta["base"]) == ("delta", "2026-05-01_api")

    assert ingest.ingest_source(api_settings, "openalex") == [
        "2026-05-01_api",
        "2026-05-08_api",
        "2026-05-15_api",
    ]
    manifests = {
        sid: landing.read_manifest(api_settings.lake_dir, "openalex", sid)
        for sid in ("2026-05-01_api", "2026-05-08_api", "2026-05-15_api")
    }
    assert {sid: (m["kind"], m["base"], m["records"]) for sid, m in manifests.items()} == {
        "2026-05-01_api": ("full", "2026-05-01_api", works),
        "2026-05-08_api": ("delta", "2026-05-01_api", works),
        "2026-05-15_api": ("delta", "2026-05-01_api", works),
    }

    api.requests.clear()
    pull_incremental(api_settings, "2026-05-22_full", FILTERS, full=True, sleep=Sleeps())
    assert "from_updated_date" not in api.requests[0]["filter"]
    meta = json.loads((root / "2026-05-22_full" / landing.SNAPSHOT_META).read_text())
    assert meta["kind"] == "full" and "base" not in meta
    # The next scheduled pull builds on the newest pull, the forced full.
    pull_incremental(api_settings, "2026-05-29_api", FILTERS, max_pages=1, sleep=Sleeps())
    state = json.loads((root / "2026-05-29_api" / landing.PULL_STATE).read_text())
    assert state["base"] == "2026-05-22_full"


def test_pull_shows_progress_in_log_lines(
    api: FakeOpenAlex,
    api_settings: Settings,
    served_pages: list[bytes],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from stiwatch import progress

    monkeypatch.setattr(progress, "LOG_EVERY_SECONDS", 0.0)
    caplog.set_level(logging.INFO, logger="stiwatch.progress")
    pull_works(api_settings, SNAPSHOT, FILTERS, None, None, sleep=Sleeps())
    lines = [r.getMessage() for r in caplog.records if r.name == "stiwatch.progress"]
    works = sum(len(work_ids(body)) for body in served_pages)
    assert len(lines) == len(served_pages) + 1  # one per page, then the last word
    assert lines[-1].startswith(f"pull openalex/{SNAPSHOT}: {len(served_pages)} files, {works:,} records, ")
    assert "records/s" in lines[-1]


def test_scope_filter_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STIWATCH_OPENALEX_FILTER", raising=False)
    assert (
        Settings.from_env().openalex_filter
        == "primary_topic.subfield.id:1702|1707|1705|1711|1710,publication_year:>2010"
    )
    monkeypatch.setenv("STIWATCH_OPENALEX_FILTER", "publication_year:2020")
    assert Settings.from_env().openalex_filter == "publication_year:2020"
