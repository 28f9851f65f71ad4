"""The landing contract: ``landing/<source>/<snapshot_id>/...`` and the per-snapshot manifest.

A snapshot is ingested once. Its manifest (written last, atomically) records every file's size, sha256 and
record count; it is the commit marker that makes the snapshot visible to dbt. Re-ingesting skips a
snapshot that has a manifest unless forced, and a file that changed under an existing snapshot id is an
error: snapshots are immutable, a new delivery needs a new id.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from stiwatch import lake
from stiwatch.errors import DataError

SNAPSHOT_ID_RE = re.compile(r"^[A-Za-z0-9_.=-]+$")
_LEADING_DATE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})")
SNAPSHOT_META = "_snapshot.json"
PULL_STATE = "_pull_state.json"
PULL_COMPLETE = "_PULL_COMPLETE"


class LandingError(DataError):
    """Bad landing-zone content; the message names the path and what to do."""


class SnapshotChangedError(LandingError):
    """A file changed under a snapshot id that was already ingested."""


@dataclass(frozen=True)
class Snapshot:
    source: str
    snapshot_id: str
    path: Path
    as_of: date

    def data_files(self) -> list[str]:
        """Relative paths of the data files, sorted (names starting with '_' or '.' are metadata)."""
        files = []
        for p in sorted(self.path.rglob("*")):
            rel = p.relative_to(self.path)
            if p.is_file() and not any(part.startswith(("_", ".")) for part in rel.parts):
                files.append(rel.as_posix())
        return files

    @property
    def pull_in_progress(self) -> bool:
        return (self.path / PULL_STATE).exists() and not (self.path / PULL_COMPLETE).exists()


def sha256_of(path: Path, chunk_size: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def _as_of_from_id(source: str, snapshot_id: str) -> date | None:
    """The as-of date a snapshot id itself states: a leading ``YYYY-MM-DD``, or a PATSTAT edition name."""
    match = _LEADING_DATE_RE.match(snapshot_id)
    if match:
        try:
            return date.fromisoformat(match.group(1))
        except ValueError:
            return None
    if source == "patstat":
        from stiwatch.sources.patstat.edition import edition_as_of  # PATSTAT's naming rule lives there

        try:
            return edition_as_of(snapshot_id)
        except ValueError:
            return None
    return None


def _as_of(path: Path, source: str, snapshot_id: str) -> date:
    meta = path / SNAPSHOT_META
    if meta.exists():
        try:
            return date.fromisoformat(json.loads(meta.read_text(encoding="utf-8"))["as_of"])
        except (KeyError, ValueError, json.JSONDecodeError) as exc:
            raise LandingError(
                f'{meta}: expected JSON with an \'as_of\' date like {{"as_of": "2024-08-27"}} ({exc})'
            ) from exc
    from_id = _as_of_from_id(source, snapshot_id)
    if from_id is not None:
        return from_id
    mtimes = [p.stat().st_mtime for p in path.rglob("*") if p.is_file()]
    if not mtimes:
        raise LandingError(f"{path}: snapshot folder is empty; drop the export files in it or remove it")
    return datetime.fromtimestamp(max(mtimes), tz=UTC).date()


def open_snapshot(landing_dir: Path, source: str, snapshot_id: str) -> Snapshot:
    path = landing_dir / source / snapshot_id
    if not SNAPSHOT_ID_RE.match(snapshot_id):
        raise LandingError(
            f"{path}: snapshot id {snapshot_id!r} may only hold letters, digits, '_', '-', '.' and '='; "
            "rename it"
        )
    if not path.is_dir():
        raise LandingError(f"{path}: no such snapshot folder")
    as_of = _as_of(path, source, snapshot_id)
    return Snapshot(source=source, snapshot_id=snapshot_id, path=path, as_of=as_of)


def list_snapshots(landing_dir: Path, source: str) -> list[Snapshot]:
    root = landing_dir / source
    if not root.is_dir():
        return []
    return [
        open_snapshot(landing_dir, source, p.name)
        for p in sorted(root.iterdir())
        if p.is_dir() and not p.name.startswith((".", "_"))
    ]


def manifest_path(lake_dir: Path, source: str, snapshot_id: str) -> Path:
    return lake.snapshot_dir(lake_dir, source, snapshot_id) / "_manifest.json"


def read_manifest(lake_dir: Path, source: str, snapshot_id: str) -> dict[str, Any] | None:
    path = manifest_path(lake_dir, source, snapshot_id)
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def check_unchanged(snapshot: Snapshot, manifest: dict[str, Any]) -> None:
    """Raise if any file of an ingested snapshot differs from its manifest entry (or appeared/vanished)."""
    recorded = {f["path"]: f for f in manifest["files"]}
    current = set(snapshot.data_files())
    for rel in sorted(current | set(recorded)):
        where = snapshot.path / rel
        if rel not in recorded:
            raise SnapshotChangedError(
                f"{where}: new file under already-ingested snapshot "
                f"{snapshot.source}/{snapshot.snapshot_id}. "
                "Snapshots are immutable: land the new delivery under a new snapshot id "
                "(or re-ingest this one with --force)."
            )
        if rel not in current:
            raise SnapshotChangedError(
                f"{where}: file listed in the manifest of {snapshot.source}/{snapshot.snapshot_id} is gone. "
                "Restore it, or re-ingest with --force."
            )
        entry = recorded[rel]
        if where.stat().st_size != entry["bytes"] or sha256_of(where) != entry["sha256"]:
            raise SnapshotChangedError(
                f"{where}: content changed since snapshot {snapshot.source}/{snapshot.snapshot_id} was "
                f"ingested (sha256 was {entry['sha256'][:12]}…). Land the new version under a new snapshot "
                "id, or re-ingest with --force if the change is a correction."
            )


def pending_snapshots(landing_dir: Path, lake_dir: Path, source: str, force: bool = False) -> list[Snapshot]:
    """Snapshots that need ingesting: no manifest yet (or all, when forced). Raises on changed files."""
    pending = []
    for snap in list_snapshots(landing_dir, source):
        if snap.pull_in_progress:
            continue
        manifest = read_manifest(lake_dir, source, snap.snapshot_id)
        if manifest is None or force:
            pending.append(snap)
        else:
            check_unchanged(snap, manifest)
    return pending


def file_entry(snapshot: Snapshot, relative_path: str, parse_result: dict[str, Any]) -> dict[str, Any]:
    """The manifest entry of one ingested file: size and hash plus what the parser reported."""
    path = snapshot.path / relative_path
    return {
        "path": relative_path,
        "bytes": path.stat().st_size,
        "sha256": sha256_of(path),
        **parse_result,
    }


def write_manifest(lake_dir: Path, snapshot: Snapshot, file_entries: list[dict[str, Any]]) -> Path:
    entries = sorted(file_entries, key=lambda e: e["path"])
    expected = snapshot.data_files()
    missing = sorted(set(expected) - {e["path"] for e in entries})
    if missing:
        raise LandingError(
            f"{snapshot.path}: not every file was ingested ({', '.join(missing[:5])}); re-run the ingest"
        )
    payload = {
        "source": snapshot.source,
        "snapshot_id": snapshot.snapshot_id,
        "as_of": snapshot.as_of.isoformat(),
        "ingested_at": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "records": sum(int(e.get("records", 0)) for e in entries),
        "files": entries,
    }
    return lake.write_json_atomic(payload, manifest_path(lake_dir, snapshot.source, snapshot.snapshot_id))
