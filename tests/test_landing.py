"""The landing contract: as-of dates, manifests, skip-unless-forced, and changed files as errors."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from stiwatch import atomic_io, landing


def _make_snapshot(root: Path, source: str, snapshot_id: str, files: dict[str, bytes]) -> Path:
    folder = root / source / snapshot_id
    for rel, content in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(content)
    return folder


def test_as_of_comes_from_snapshot_json_then_id_prefix(tmp_path: Path) -> None:
    folder = _make_snapshot(tmp_path, "wos", "ble_export", {"a.txt": b"x"})
    (folder / "_snapshot.json").write_text(json.dumps({"as_of": "2026-04-02"}))
    _make_snapshot(tmp_path, "wos", "2024-08-27_full", {"a.txt": b"x"})

    assert landing.open_snapshot(tmp_path, "wos", "ble_export").as_of == date(2026, 4, 2)
    assert landing.open_snapshot(tmp_path, "wos", "2024-08-27_full").as_of == date(2024, 8, 27)


def test_bad_snapshot_metadata_names_the_file(tmp_path: Path) -> None:
    folder = _make_snapshot(tmp_path, "wos", "s1", {"a.txt": b"x"})
    (folder / "_snapshot.json").write_text('{"asof": "2026-04-02"}')
    with pytest.raises(landing.LandingError, match=r"_snapshot\.json.*as_of"):
        landing.open_snapshot(tmp_path, "wos", "s1")


def test_data_files_skip_metadata_and_hidden_files(tmp_path: Path) -> None:
    _make_snapshot(
        tmp_path,
        "openalex",
        "s1",
        {
            "updated_date=2024-01-01/part_000.gz": b"1",
            "_snapshot.json": b'{"as_of": "2024-01-02"}',
            ".DS_Store": b"",
            "merged_ids/works/2024-01-01.csv.gz": b"2",
        },
    )
    snap = landing.open_snapshot(tmp_path, "openalex", "s1")
    assert snap.data_files() == ["merged_ids/works/2024-01-01.csv.gz", "updated_date=2024-01-01/part_000.gz"]


def test_manifest_records_hash_and_size_then_snapshot_is_skipped(tmp_path: Path) -> None:
    landing_dir, lake_dir = tmp_path / "landing", tmp_path / "lake"
    _make_snapshot(landing_dir, "wos", "2026-01-01", {"a.txt": b"hello", "b.txt": b"world!"})
    (snap,) = landing.pending_snapshots(landing_dir, lake_dir, "wos")
    entries = [landing.file_entry(snap, rel, {"records": 1}) for rel in snap.data_files()]
    landing.write_manifest(lake_dir, snap, entries)

    manifest = landing.read_manifest(lake_dir, "wos", "2026-01-01")
    assert manifest is not None
    assert manifest["as_of"] == "2026-01-01"
    assert manifest["records"] == 2
    # sha256("hello") computed independently of the code under test
    assert manifest["files"][0] == {
        "path": "a.txt",
        "bytes": 5,
        "mtime_ns": (landing_dir / "wos" / "2026-01-01" / "a.txt").stat().st_mtime_ns,
        "sha256": "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
        "records": 1,
    }
    assert (manifest["kind"], manifest["base"], manifest["snapshot_json"]) == ("full", "2026-01-01", None)
    assert landing.pending_snapshots(landing_dir, lake_dir, "wos") == []
    assert [s.snapshot_id for s in landing.pending_snapshots(landing_dir, lake_dir, "wos", force=True)] == [
        "2026-01-01"
    ]


@pytest.mark.parametrize("change", ["edit", "add", "remove"])
def test_changed_file_under_ingested_snapshot_is_an_error(tmp_path: Path, change: str) -> None:
    landing_dir, lake_dir = tmp_path / "landing", tmp_path / "lake"
    folder = _make_snapshot(landing_dir, "wos", "s1", {"a.txt": b"hello", "b.txt": b"x"})
    (snap,) = landing.pending_snapshots(landing_dir, lake_dir, "wos")
    landing.write_manifest(lake_dir, snap, [landing.file_entry(snap, r, {}) for r in snap.data_files()])

    if change == "edit":
        (folder / "a.txt").write_bytes(b"hellO")
    elif change == "add":
        (folder / "c.txt").write_bytes(b"new")
    else:
        (folder / "b.txt").unlink()
    with pytest.raises(landing.SnapshotChangedError, match=r"s1"):
        landing.pending_snapshots(landing_dir, lake_dir, "wos")


def test_manifest_refuses_a_partial_snapshot(tmp_path: Path) -> None:
    landing_dir, lake_dir = tmp_path / "landing", tmp_path / "lake"
    _make_snapshot(landing_dir, "wos", "s1", {"a.txt": b"1", "b.txt": b"2"})
    snap = landing.open_snapshot(landing_dir, "wos", "s1")
    with pytest.raises(landing.LandingError, match=r"b\.txt"):
        landing.write_manifest(lake_dir, snap, [landing.file_entry(snap, "a.txt", {})])
    assert landing.read_manifest(lake_dir, "wos", "s1") is None


def test_pull_in_progress_is_not_ingested(tmp_path: Path) -> None:
    landing_dir, lake_dir = tmp_path / "landing", tmp_path / "lake"
    folder = _make_snapshot(landing_dir, "openalex", "pull", {"page-000001.json.gz": b"x"})
    (folder / landing.PULL_STATE).write_text("{}")
    assert landing.pending_snapshots(landing_dir, lake_dir, "openalex") == []
    (folder / landing.PULL_COMPLETE).write_text("")
    assert len(landing.pending_snapshots(landing_dir, lake_dir, "openalex")) == 1


def test_invalid_snapshot_id_is_rejected_with_advice(tmp_path: Path) -> None:
    _make_snapshot(tmp_path, "wos", "bad id", {"a.txt": b"x"})
    with pytest.raises(landing.LandingError, match="rename it"):
        landing.list_snapshots(tmp_path, "wos")


def test_atomic_write_leaves_no_partial_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "t" / "x.json"
    with pytest.raises(RuntimeError), atomic_io.atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("boom")
    assert not target.exists()
    assert list(target.parent.iterdir()) == []


def test_patstat_edition_id_gives_the_extraction_date(tmp_path: Path) -> None:
    # METHOD.md: Spring editions are extracted in January, Autumn editions in August.
    _make_snapshot(tmp_path, "patstat", "2023_autumn", {"tls201_part01.zip": b"x"})
    _make_snapshot(tmp_path, "patstat", "2024_spring", {"tls201_part01.zip": b"x"})
    assert landing.open_snapshot(tmp_path, "patstat", "2023_autumn").as_of == date(2023, 8, 1)
    assert landing.open_snapshot(tmp_path, "patstat", "2024_spring").as_of == date(2024, 1, 1)


def _ingest_without_parsing(landing_dir: Path, lake_dir: Path, source: str, snapshot_id: str) -> dict:
    snap = landing.open_snapshot(landing_dir, source, snapshot_id)
    landing.write_manifest(lake_dir, snap, [landing.file_entry(snap, r, {}) for r in snap.data_files()])
    return landing.read_manifest(lake_dir, source, snapshot_id)


def _openalex(landing_dir: Path, snapshot_id: str, meta: dict) -> Path:
    folder = _make_snapshot(landing_dir, "openalex", snapshot_id, {"part_000.jsonl": b"{}"})
    (folder / landing.SNAPSHOT_META).write_text(json.dumps(meta))
    return folder


def test_snapshot_json_is_recorded_with_its_hash(tmp_path: Path) -> None:
    landing_dir, lake_dir = tmp_path / "landing", tmp_path / "lake"
    meta = b'{"as_of": "2025-01-01"}'
    folder = _make_snapshot(landing_dir, "wos", "export", {"a.txt": b"x", "_snapshot.json": meta})
    manifest = _ingest_without_parsing(landing_dir, lake_dir, "wos", "export")
    assert manifest["snapshot_json"] == {
        "bytes": len(meta),
        "mtime_ns": (folder / "_snapshot.json").stat().st_mtime_ns,
        "sha256": hashlib.sha256(meta).hexdigest(),
    }
    assert (manifest["kind"], manifest["base"]) == ("full", "export")


@pytest.mark.parametrize("change", ["edit", "add", "remove"])
def test_a_changed_snapshot_json_is_refused_like_a_changed_file(tmp_path: Path, change: str) -> None:
    landing_dir, lake_dir = tmp_path / "landing", tmp_path / "lake"
    files = (
        {"a.txt": b"x"} if change == "add" else {"a.txt": b"x", "_snapshot.json": b'{"as_of": "2025-01-01"}'}
    )
    folder = _make_snapshot(landing_dir, "wos", "2025-01-01_export", files)
    _ingest_without_parsing(landing_dir, lake_dir, "wos", "2025-01-01_export")
    if change == "remove":
        (folder / "_snapshot.json").unlink()
    else:
        (folder / "_snapshot.json").write_text('{"as_of": "2025-06-30"}')
    with pytest.raises(landing.SnapshotChangedError, match=r"_snapshot\.json"):
        landing.pending_snapshots(landing_dir, lake_dir, "wos")


def test_a_delta_applies_to_the_newest_full_at_or_before_it(tmp_path: Path) -> None:
    landing_dir, lake_dir = tmp_path / "landing", tmp_path / "lake"
    _openalex(landing_dir, "base_jan", {"as_of": "2025-01-01"})
    _openalex(landing_dir, "base_mar", {"as_of": "2025-03-01"})  # later than the delta: not its base
    _openalex(landing_dir, "delta_feb", {"as_of": "2025-02-01", "kind": "delta"})
    _openalex(landing_dir, "delta_named", {"as_of": "2025-04-01", "kind": "delta", "base": "base_jan"})
    # Ingested fulls count too, even when their landing folder is gone.
    _openalex(landing_dir, "base_old", {"as_of": "2024-01-01"})
    _ingest_without_parsing(landing_dir, lake_dir, "openalex", "base_old")
    pending = {s.snapshot_id for s in landing.pending_snapshots(landing_dir, lake_dir, "openalex")}
    assert pending == {"base_jan", "base_mar", "delta_feb", "delta_named"}

    manifests = {sid: _ingest_without_parsing(landing_dir, lake_dir, "openalex", sid) for sid in pending}
    assert {sid: (m["kind"], m["base"]) for sid, m in manifests.items()} == {
        "base_jan": ("full", "base_jan"),
        "base_mar": ("full", "base_mar"),
        "delta_feb": ("delta", "base_jan"),
        "delta_named": ("delta", "base_jan"),
    }
    for sid in ("base_jan", "base_mar"):
        (landing_dir / "openalex" / sid / "part_000.jsonl").unlink()
        (landing_dir / "openalex" / sid / "_snapshot.json").unlink()
        (landing_dir / "openalex" / sid).rmdir()
    _openalex(landing_dir, "delta_may", {"as_of": "2025-05-01", "kind": "delta"})
    assert landing.resolve_base(lake_dir, landing.open_snapshot(landing_dir, "openalex", "delta_may")) == (
        "base_mar"
    )


def test_a_delta_without_a_base_is_a_clear_error(tmp_path: Path) -> None:
    landing_dir, lake_dir = tmp_path / "landing", tmp_path / "lake"
    _openalex(landing_dir, "later_full", {"as_of": "2025-06-01"})
    _openalex(landing_dir, "early_delta", {"as_of": "2025-02-01", "kind": "delta"})
    with pytest.raises(landing.LandingError, match=r"early_delta: delta delivery .* Land the full snapshot"):
        landing.pending_snapshots(landing_dir, lake_dir, "openalex")


def test_a_delta_naming_an_unknown_base_is_refused(tmp_path: Path) -> None:
    landing_dir, lake_dir = tmp_path / "landing", tmp_path / "lake"
    _openalex(landing_dir, "d", {"as_of": "2025-02-01", "kind": "delta", "base": "nowhere"})
    with pytest.raises(landing.LandingError, match=r"d/_snapshot\.json: \"base\": 'nowhere' is not a full"):
        landing.pending_snapshots(landing_dir, lake_dir, "openalex")


@pytest.mark.parametrize(
    ("source", "meta", "message"),
    [
        ("wos", {"as_of": "2025-01-01", "kind": "delta"}, "always a whole corpus"),
        ("openalex", {"as_of": "2025-01-01", "kind": "partial"}, 'must be "full" or "delta"'),
        ("openalex", {"as_of": "2025-01-01", "base": "x"}, "on a full delivery"),
    ],
)
def test_bad_kind_or_base_names_the_file(tmp_path: Path, source: str, meta: dict, message: str) -> None:
    folder = _make_snapshot(tmp_path, source, "s1", {"a.txt": b"x"})
    (folder / landing.SNAPSHOT_META).write_text(json.dumps(meta))
    with pytest.raises(landing.LandingError, match=rf"s1/_snapshot\.json: .*{message}"):
        landing.open_snapshot(tmp_path, source, "s1")
