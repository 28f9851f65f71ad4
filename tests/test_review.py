"""``stiwatch accept`` / ``stiwatch retract``: the verdict lands in the manifest (who, when, why), a
retracted snapshot leaves every listing of the lake and is never ingested again, and every misuse is one
clear line with exit code 1. The dbt side (held states, recomputing without a retracted snapshot) is in
tests/dbt/test_bad_deliveries.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stiwatch import build_plan, cli, landing, review
from stiwatch.config import Settings
from stiwatch.lake_index import lake_manifests

SNAPSHOT = "2026-01-01_export"
FILES = {"a.txt": b"hello", "sub/b.txt": b"world!"}


def land_and_ingest(settings: Settings, source: str, snapshot_id: str, meta: dict | None = None) -> Path:
    """A landed snapshot with a manifest written from its real fingerprints (no parser needed)."""
    folder = settings.landing_dir / source / snapshot_id
    for rel, content in FILES.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(content)
    if meta is not None:
        (folder / "_snapshot.json").write_text(json.dumps(meta), encoding="utf-8")
    snap = landing.open_snapshot(settings.landing_dir, source, snapshot_id)
    landing.write_manifest(settings.lake_dir, snap, [landing.file_entry(snap, r, {}) for r in FILES])
    return folder


def manifest(settings: Settings, source: str, snapshot_id: str) -> dict:
    path = landing.manifest_path(settings.lake_dir, source, snapshot_id)
    return json.loads(path.read_text(encoding="utf-8"))


def test_retract_records_who_when_why_and_keeps_everything_else(settings: Settings, capsys) -> None:
    land_and_ingest(settings, "wos", SNAPSHOT)
    before = manifest(settings, "wos", SNAPSHOT)
    code = cli.main(["retract", "wos", SNAPSHOT, "--why", "header-only export", "--by", "ana"])
    assert code == 0
    out = capsys.readouterr().out
    assert f"retracted wos/{SNAPSHOT} (by ana at " in out and "header-only export" in out
    after = manifest(settings, "wos", SNAPSHOT)
    verdict = after.pop("retracted")
    assert after == before  # file entries untouched: the landing check still compares the same facts
    assert verdict["by"] == "ana" and verdict["why"] == "header-only export"
    assert verdict["at"].endswith("+00:00")
    # Out of every listing of the lake, but on disk.
    assert landing.ingested_manifests(settings.lake_dir, "wos") == []
    assert build_plan.deliveries(lake_manifests(settings.lake_dir)) == {}
    assert landing.manifest_path(settings.lake_dir, "wos", SNAPSHOT).exists()


def test_a_retracted_folder_is_never_new_again(settings: Settings) -> None:
    folder = land_and_ingest(settings, "wos", SNAPSHOT)
    review.retract(settings.lake_dir, "wos", SNAPSHOT, "bad delivery")
    # Its landing folder is still there, even edited: neither new, nor a changed delivery, even forced.
    (folder / "a.txt").write_bytes(b"changed after the retraction")
    for force in (False, True):
        assert landing.pending_snapshots(settings.landing_dir, settings.lake_dir, "wos", force=force) == []
    # A snapshot that is not retracted still has its changed file refused.
    other = land_and_ingest(settings, "wos", "2026-02-01_export")
    (other / "a.txt").write_bytes(b"HELLO")
    with pytest.raises(landing.SnapshotChangedError, match=r"a\.txt: content changed"):
        landing.pending_snapshots(settings.landing_dir, settings.lake_dir, "wos")


def test_accept_records_who_and_when(settings: Settings, capsys) -> None:
    land_and_ingest(settings, "openalex", SNAPSHOT)
    assert cli.main(["accept", "openalex", SNAPSHOT, "--by", "ben"]) == 0
    assert "the next `stiwatch refresh` lets it through" in capsys.readouterr().out
    accepted = manifest(settings, "openalex", SNAPSHOT)["accepted"]
    assert accepted["by"] == "ben" and accepted["at"].endswith("+00:00")
    # Accepting is no change of the delivery: the plan still skips it without complaint.
    assert landing.pending_snapshots(settings.landing_dir, settings.lake_dir, "openalex") == []
    assert [m["snapshot_id"] for m in landing.ingested_manifests(settings.lake_dir, "openalex")] == [SNAPSHOT]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["accept", "wos", "nope"], "no ingested wos snapshot 'nope'"),
        (["retract", "wos", "nope", "--why", "x"], "no ingested wos snapshot 'nope'"),
        (["retract", "wos", SNAPSHOT, "--why", "  "], 'say why with --why "..."'),
        (["accept", "wos", "gone"], "was already retracted by ana at "),
        (["retract", "wos", "gone", "--why", "again"], "a retracted delivery stays withdrawn"),
    ],
)
def test_misuse_is_one_line_and_exit_1(settings: Settings, capsys, argv: list[str], message: str) -> None:
    land_and_ingest(settings, "wos", SNAPSHOT)
    land_and_ingest(settings, "wos", "gone")
    review.retract(settings.lake_dir, "wos", "gone", "withdrawn", by="ana")
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_a_base_with_deltas_is_retracted_after_them(settings: Settings) -> None:
    land_and_ingest(settings, "openalex", "2026-01-01_base")
    land_and_ingest(settings, "openalex", "2026-02-01_delta", meta={"as_of": "2026-02-01", "kind": "delta"})
    with pytest.raises(review.SnapshotReviewError, match="base of the deltas 2026-02-01_delta; retract them"):
        review.retract(settings.lake_dir, "openalex", "2026-01-01_base", "wrong corpus")
    review.retract(settings.lake_dir, "openalex", "2026-02-01_delta", "wrong corpus")
    review.retract(settings.lake_dir, "openalex", "2026-01-01_base", "wrong corpus")
    assert landing.ingested_manifests(settings.lake_dir, "openalex") == []


def test_help_lists_accept_and_retract(capsys) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert "accept" in out and "retract" in out
