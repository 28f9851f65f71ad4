"""Planning without re-reading: the plan trusts an unchanged size and mtime and hashes only files whose
stat changed; ``stiwatch verify`` re-hashes on demand and catches what stat cannot see.

Reads are counted honestly: ``Path.open`` (what ``sha256_of`` and every Python reader here use) is wrapped
to record the paths opened, and ``landing.sha256_of`` is wrapped to count hashes.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stiwatch import cli, ingest, landing
from stiwatch.config import Settings

SNAPSHOT = "2026-01-01_export"
FILES = {"a.txt": b"hello", "b.txt": b"world!", "sub/c.txt": b"third file"}


@pytest.fixture
def ingested(settings: Settings) -> Path:
    """A WoS snapshot with a manifest (written from real fingerprints, no parser needed)."""
    folder = settings.landing_dir / "wos" / SNAPSHOT
    for rel, content in FILES.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(content)
    snap = landing.open_snapshot(settings.landing_dir, "wos", SNAPSHOT)
    landing.write_manifest(settings.lake_dir, snap, [landing.file_entry(snap, r, {}) for r in FILES])
    return folder


class Reads:
    """Counts hashes and records every path opened through ``Path.open``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.hashed: list[Path] = []
        self.opened: list[Path] = []
        real_sha, real_open = landing.sha256_of, Path.open

        def counting_sha(path: Path, *args, **kwargs) -> str:
            self.hashed.append(path)
            return real_sha(path, *args, **kwargs)

        def recording_open(path: Path, *args, **kwargs):
            self.opened.append(path)
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(landing, "sha256_of", counting_sha)
        monkeypatch.setattr(Path, "open", recording_open)

    def data_files_opened(self, folder: Path) -> set[str]:
        return {p.relative_to(folder).as_posix() for p in self.opened if p.is_relative_to(folder)} & set(
            FILES
        )


def test_the_plan_reads_no_unchanged_ingested_file(
    settings: Settings, ingested: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = Reads(monkeypatch)
    assert ingest.plan(settings, "wos") == []
    assert reads.hashed == []
    assert reads.data_files_opened(ingested) == set()
    assert reads.opened, "the wrapper must see the manifest being read, or it proves nothing"


def test_a_touched_but_identical_file_is_hashed_once_then_trusted(
    settings: Settings, ingested: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touched = ingested / "b.txt"
    stat = touched.stat()
    os.utime(touched, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    reads = Reads(monkeypatch)
    assert ingest.plan(settings, "wos") == []  # accepted: same content
    assert reads.hashed == [touched]
    entry = {f["path"]: f for f in landing.read_manifest(settings.lake_dir, "wos", SNAPSHOT)["files"]}[
        "b.txt"
    ]
    assert entry["mtime_ns"] == stat.st_mtime_ns + 5_000_000_000  # the new stat is recorded...
    reads.hashed.clear()
    assert ingest.plan(settings, "wos") == []
    assert reads.hashed == []  # ...so it is not hashed again


def test_a_manifest_without_mtimes_is_hashed_once(
    settings: Settings, ingested: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = landing.manifest_path(settings.lake_dir, "wos", SNAPSHOT)
    manifest = landing.read_manifest(settings.lake_dir, "wos", SNAPSHOT)
    for entry in manifest["files"]:
        del entry["mtime_ns"]  # as written before mtime_ns was recorded
    path.write_text(__import__("json").dumps(manifest))
    reads = Reads(monkeypatch)
    assert ingest.plan(settings, "wos") == []
    assert sorted(p.name for p in reads.hashed) == ["a.txt", "b.txt", "c.txt"]
    reads.hashed.clear()
    assert ingest.plan(settings, "wos") == []
    assert reads.hashed == []


@pytest.mark.parametrize("same_size", [False, True])
def test_a_changed_file_is_still_refused(settings: Settings, ingested: Path, same_size: bool) -> None:
    (ingested / "a.txt").write_bytes(b"HELLO" if same_size else b"hello, changed")
    with pytest.raises(landing.SnapshotChangedError, match=rf"wos/{SNAPSHOT}/a\.txt: content changed"):
        ingest.plan(settings, "wos")


def test_verify_catches_a_change_that_keeps_size_and_mtime(
    settings: Settings, ingested: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["verify"]) == 0
    assert "3 files in 1 snapshot(s) re-hashed, 0 differences" in capsys.readouterr().out

    for rel in ("a.txt", "sub/c.txt"):
        path = ingested / rel
        stat = path.stat()
        path.write_bytes(bytes(reversed(path.read_bytes())))  # same size, other bytes
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the old mtime back
    assert ingest.plan(settings, "wos") == []  # stat cannot see it: that is what verify is for

    assert cli.main(["verify", "wos", SNAPSHOT]) == 1
    captured = capsys.readouterr()
    changed = [line for line in captured.out.splitlines() if "content changed" in line]
    assert len(changed) == 2
    assert str(ingested / "a.txt") in changed[0] and str(ingested / "sub" / "c.txt") in changed[1]
    assert "2 landed files differ" in captured.err


def test_verify_reports_every_kind_of_difference(settings: Settings, ingested: Path) -> None:
    from stiwatch.verify import verify

    (ingested / "a.txt").write_bytes(b"other size")
    (ingested / "b.txt").unlink()
    (ingested / "new.txt").write_bytes(b"n")
    (ingested / "_snapshot.json").write_text('{"as_of": "2026-01-01"}')
    report = verify(settings, "wos")
    assert report.snapshots == [f"wos/{SNAPSHOT}"]
    assert len(report.differences) == 4
    expected = {
        "_snapshot.json": "new file",
        "a.txt": "content changed",
        "b.txt": "file listed in the manifest",
        "new.txt": "new file",
    }
    for rel, what in expected.items():
        assert any(f"{ingested / rel}: {what}" in line for line in report.differences), (rel, what)


def test_verify_of_a_snapshot_never_ingested_says_so(settings: Settings) -> None:
    from stiwatch.verify import verify

    with pytest.raises(landing.LandingError, match="was never ingested"):
        verify(settings, "wos", "nope")
