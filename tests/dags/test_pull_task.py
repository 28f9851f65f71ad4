"""The weekly pull task lands an OpenAlex API pull as a complete snapshot, with the settings it is given."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from stiwatch import landing
from stiwatch.orchestration import tasks

WORKS = [
    {"id": "https://openalex.org/W1", "publication_year": 2021, "authorships": []},
    {"id": "https://openalex.org/W2", "publication_year": 2022, "authorships": []},
]


def test_pull_task_lands_a_complete_snapshot(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STIWATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("STIWATCH_OPENALEX_BASE_URL", httpserver.url_for("").rstrip("/"))
    monkeypatch.setenv("STIWATCH_OPENALEX_MAILTO", "data@example.org")
    monkeypatch.setenv("STIWATCH_OPENALEX_FILTER", "publication_year:>2020")
    page = {"meta": {"count": 2, "per_page": 200, "next_cursor": None}, "results": WORKS}
    httpserver.expect_request(
        "/works",
        query_string={
            "filter": "publication_year:>2020",
            "per_page": "200",
            "cursor": "*",
            "mailto": "data@example.org",
        },
    ).respond_with_json(page)

    folder = Path(tasks.pull_openalex("2026-01-05_api"))

    assert folder == tmp_path / "data" / "landing" / "openalex" / "2026-01-05_api"
    assert (folder / landing.PULL_COMPLETE).exists()
    (page_file,) = sorted(folder.glob("page-*.json.gz"))
    assert [w["id"] for w in json.loads(gzip.decompress(page_file.read_bytes()))["results"]] == [
        "https://openalex.org/W1",
        "https://openalex.org/W2",
    ]
    data = tmp_path / "data"
    (snapshot,) = landing.pending_snapshots(data / "landing", data / "lake", "openalex")
    assert snapshot.snapshot_id == "2026-01-05_api"


def test_a_forced_full_pull_ignores_the_last_pull(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STIWATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("STIWATCH_OPENALEX_BASE_URL", httpserver.url_for("").rstrip("/"))
    monkeypatch.setenv("STIWATCH_OPENALEX_FILTER", "publication_year:>2020")
    page = {"meta": {"count": 2, "per_page": 200, "next_cursor": None}, "results": WORKS}
    httpserver.expect_request("/works").respond_with_json(page)

    tasks.pull_openalex("2026-01-05_api")
    tasks.pull_openalex("2026-01-12_api_full", full=True)

    filters = [request.args["filter"] for request, _ in httpserver.log]
    assert filters == ["publication_year:>2020", "publication_year:>2020"]  # no from_updated_date
    landing_dir = tmp_path / "data" / "landing"
    assert landing.open_snapshot(landing_dir, "openalex", "2026-01-12_api_full").kind == "full"
