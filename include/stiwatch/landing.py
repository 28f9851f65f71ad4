"""The landing contract: ``landing/<source>/<snapshot_id>/...`` and the per-snapshot manifest.

A snapshot is ingested once. Its manifest (written last, atomically) records every file's size, mtime,
sha256 and record count, the hash of its ``_snapshot.json``, and the delivery ``kind`` (``full`` or
``delta``) with the ``base`` it applies to; it is the commit marker that makes the snapshot visible to dbt.
Re-ingesting skips a snapshot that has a manifest unless forced, and a file that changed under an existing
snapshot id is an error: snapshots are immutable, a new delivery needs a new id.

Planning must not re-read what was ingested (hundreds of GB): a file whose size and mtime match its
manifest entry is taken as unchanged; only a file whose stat differs is hashed (``stiwatch verify``
re-hashes everything on demand).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from stiwatch import atomic_io, layout
from stiwatch.config import Settings
from stiwatch.errors import DataError
from stiwatch.layout import SNAPSHOT_META
from stiwatch.sources.registry import SPECS

SNAPSHOT_ID_RE = re.compile(r"^[A-Za-z0-9_.=-]+$")
_LEADING_DATE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})")
PULL_STATE = "_pull_state.json"
PULL_COMPLETE = "_PULL_COMPLETE"
FULL, DELTA = "full", "delta"
# Manifest keys written by ``stiwatch retract`` / ``stiwatch accept`` (stiwatch.review): who, when (and why).
RETRACTED, ACCEPTED = "retracted", "accepted"
# Sources whose deliveries may be increments (SourceSpec.supports_deltas); the others are whole corpora.
DELTA_SOURCES = frozenset(name for name, spec in SPECS.items() if spec.supports_deltas)


class LandingError(DataError):
    """Bad landing-zone content; the message names the path and what to do."""


class SnapshotChangedError(LandingError):
    """A file changed under a snapshot id that was already ingested."""


@dataclass(frozen=True)
class Fingerprint:
    """What the manifest records to recognise a file again: stat for the cheap check, sha256 for proof."""

    bytes: int
    mtime_ns: int
    sha256: str

    def as_entry(self) -> dict[str, Any]:
        return {"bytes": self.bytes, "mtime_ns": self.mtime_ns, "sha256": self.sha256}


@dataclass(frozen=True)
class Snapshot:
    source: str
    snapshot_id: str
    path: Path
    as_of: date
    kind: str = FULL
    declared_base: str | None = None  # a delta's explicit base; None: resolved by ``resolve_base``
    link_roots: tuple[Path, ...] = ()  # folders outside the data root that symlinks may point into

    @property
    def landing_dir(self) -> Path:
        return self.path.parents[1]

    def data_files(self) -> list[str]:
        """Relative paths of the data files, sorted (names starting with '_' or '.' are metadata).

        A symbolic link (to a file or a folder) is followed when it points inside the data root or a folder
        of ``STIWATCH_ALLOWED_LINK_ROOTS``; any other link is refused, so a link can never make the ingest
        read a file outside the delivery area (and an error message show it)."""
        files: list[str] = []
        self._collect(self.path, "", files, {self.path.resolve()})
        return sorted(files)

    def _collect(self, folder: Path, prefix: str, files: list[str], ancestors: set[Path]) -> None:
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.name.startswith(("_", ".")):
                continue
            path = Path(entry.path)
            if entry.is_symlink():
                self._check_link(path)
            if entry.is_dir():
                real = path.resolve()
                if real in ancestors:
                    raise LandingError(f"{path}: symbolic link loop back to {real}; remove the link")
                self._collect(path, f"{prefix}{entry.name}/", files, ancestors | {real})
            elif entry.is_file():
                files.append(f"{prefix}{entry.name}")

    def _check_link(self, link: Path) -> None:
        target = link.resolve()
        if not target.exists():
            raise LandingError(f"{link}: symbolic link to {target}, which does not exist; fix or remove it")
        data_root = self.landing_dir.parent
        roots = (data_root.resolve(), self.landing_dir.resolve(), *self.link_roots)
        if not any(target.is_relative_to(root) for root in roots):
            raise LandingError(
                f"{link}: symbolic link to {target}, outside the data root {data_root}; links are followed "
                "only within it. Copy the files into the snapshot folder, or allow that folder with "
                "STIWATCH_ALLOWED_LINK_ROOTS"
            )

    @property
    def pull_in_progress(self) -> bool:
        return (self.path / PULL_STATE).exists() and not (self.path / PULL_COMPLETE).exists()


def sha256_of(path: Path, chunk_size: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def take_fingerprint(path: Path) -> Fingerprint:
    """Stat first, then hash: a file rewritten while being hashed then shows a newer mtime next time."""
    stat = path.stat()
    return Fingerprint(bytes=stat.st_size, mtime_ns=stat.st_mtime_ns, sha256=sha256_of(path))


def _as_of_from_id(source: str, snapshot_id: str) -> date | None:
    """The as-of date a snapshot id itself states: a leading ``YYYY-MM-DD``, else the source's own naming
    rule (``SourceSpec.as_of_from_id``: PATSTAT edition names)."""
    match = _LEADING_DATE_RE.match(snapshot_id)
    if match:
        try:
            return date.fromisoformat(match.group(1))
        except ValueError:
            return None
    spec = SPECS.get(source)
    return spec.as_of_from_id(snapshot_id) if spec is not None else None


def _read_meta(path: Path) -> dict[str, Any] | None:
    meta = path / SNAPSHOT_META
    if not meta.exists():
        return None
    try:
        payload = json.loads(meta.read_text(encoding="utf-8"))
        date.fromisoformat(payload["as_of"])
        return payload
    except (KeyError, TypeError, ValueError, json.JSONDecodeError) as exc:
        raise LandingError(
            f'{meta}: expected JSON with an \'as_of\' date like {{"as_of": "2024-08-27"}} ({exc})'
        ) from exc


def _as_of(path: Path, source: str, snapshot_id: str, meta: dict[str, Any] | None) -> date:
    if meta is not None:
        return date.fromisoformat(meta["as_of"])
    from_id = _as_of_from_id(source, snapshot_id)
    if from_id is not None:
        return from_id
    mtimes = [p.stat().st_mtime for p in path.rglob("*") if p.is_file()]
    if not mtimes:
        raise LandingError(f"{path}: snapshot folder is empty; drop the export files in it or remove it")
    return datetime.fromtimestamp(max(mtimes), tz=UTC).date()


def _kind_and_base(path: Path, source: str, meta: dict[str, Any] | None) -> tuple[str, str | None]:
    """The delivery kind a ``_snapshot.json`` declares (``full`` without one) and its explicit base."""
    where = path / SNAPSHOT_META
    kind = (meta or {}).get("kind", FULL)
    base = (meta or {}).get("base")
    if kind not in (FULL, DELTA):
        raise LandingError(f'{where}: "kind" must be "full" or "delta", not {kind!r}')
    if kind == DELTA and source not in DELTA_SOURCES:
        raise LandingError(
            f'{where}: a {source} delivery is always a whole corpus; remove "kind": "delta" '
            f"(only {', '.join(sorted(DELTA_SOURCES))} deliveries can be deltas)"
        )
    if base is not None and (kind == FULL or not isinstance(base, str) or not SNAPSHOT_ID_RE.match(base)):
        raise LandingError(
            f'{where}: "base" names the full snapshot id a delta applies to (letters, digits, "_-.="); '
            f"got {base!r} on a {kind} delivery. Fix it or remove it"
        )
    return kind, base


def open_snapshot(landing_dir: Path, source: str, snapshot_id: str) -> Snapshot:
    path = landing_dir / source / snapshot_id
    if not SNAPSHOT_ID_RE.match(snapshot_id):
        raise LandingError(
            f"{path}: snapshot id {snapshot_id!r} may only hold letters, digits, '_', '-', '.' and '='; "
            "rename it"
        )
    if not path.is_dir():
        raise LandingError(f"{path}: no such snapshot folder")
    meta = _read_meta(path)
    kind, base = _kind_and_base(path, source, meta)
    return Snapshot(
        source=source,
        snapshot_id=snapshot_id,
        path=path,
        as_of=_as_of(path, source, snapshot_id, meta),
        kind=kind,
        declared_base=base,
        link_roots=Settings.from_env().allowed_link_roots,
    )


def scan_snapshots(landing_dir: Path, source: str) -> tuple[list[Snapshot], list[DataError]]:
    """The snapshot folders of a source that open, and one error per folder that does not (a bad name, a
    damaged ``_snapshot.json``): a bad folder is reported, never in the way of the others."""
    root = landing_dir / source
    if not root.is_dir():
        return [], []
    snapshots, problems = [], []
    for p in sorted(root.iterdir()):
        if p.is_dir() and not p.name.startswith((".", "_")):
            try:
                snapshots.append(open_snapshot(landing_dir, source, p.name))
            except DataError as exc:
                problems.append(exc)
    return snapshots, problems


def list_snapshots(landing_dir: Path, source: str) -> list[Snapshot]:
    """Every snapshot folder of a source; raises on the first one that does not open."""
    snapshots, problems = scan_snapshots(landing_dir, source)
    if problems:
        raise problems[0]
    return snapshots


def manifest_path(lake_dir: Path, source: str, snapshot_id: str) -> Path:
    return layout.snapshot_dir(lake_dir, source, snapshot_id) / "_manifest.json"


def read_manifest(lake_dir: Path, source: str, snapshot_id: str) -> dict[str, Any] | None:
    path = manifest_path(lake_dir, source, snapshot_id)
    if not path.exists():
        return None
    return atomic_io.read_json(path)


def is_retracted(manifest: dict[str, Any]) -> bool:
    """A snapshot withdrawn with ``stiwatch retract``: kept on disk, out of the lake view, never ingested
    again."""
    return manifest.get(RETRACTED) is not None


def ingested_manifests(lake_dir: Path, source: str) -> list[dict[str, Any]]:
    """Every published (not retracted) manifest of a source in the lake (the lake keeps snapshots whose
    landing folder is gone)."""
    root = lake_dir / source
    if not root.is_dir():
        return []
    manifests = (atomic_io.read_json(p) for p in sorted(root.glob("snapshot=*/_manifest.json")))
    return [m for m in manifests if not is_retracted(m)]


def full_deliveries(landing_dir: Path, lake_dir: Path, source: str) -> dict[str, date]:
    """Full deliveries a delta can apply to: ingested ones, and pending ones (a complete landing folder)."""
    fulls = {
        m["snapshot_id"]: date.fromisoformat(m["as_of"])
        for m in ingested_manifests(lake_dir, source)
        if m.get("kind", FULL) == FULL  # manifests written before deltas existed are fulls
    }
    for snap in scan_snapshots(landing_dir, source)[0]:  # a folder that does not open is reported by the scan
        if snap.kind == FULL and not snap.pull_in_progress:
            fulls.setdefault(snap.snapshot_id, snap.as_of)
    return fulls


def resolve_base(lake_dir: Path, snapshot: Snapshot) -> str:
    """The full snapshot a delivery builds on: a full is its own base; a delta names one in
    ``_snapshot.json``, else applies to the newest full delivery at or before its own (as_of, id)."""
    if snapshot.kind == FULL:
        return snapshot.snapshot_id
    fulls = full_deliveries(snapshot.landing_dir, lake_dir, snapshot.source)
    where = snapshot.path / SNAPSHOT_META
    if snapshot.declared_base is not None:
        if snapshot.declared_base not in fulls:
            raise LandingError(
                f'{where}: "base": {snapshot.declared_base!r} is not a full {snapshot.source} delivery in '
                f"the landing zone or the lake. Land that full snapshot first, or correct the base"
            )
        return snapshot.declared_base
    here = (snapshot.as_of, snapshot.snapshot_id)
    earlier = [(as_of, sid) for sid, as_of in fulls.items() if (as_of, sid) <= here]
    if not earlier:
        raise LandingError(
            f"{snapshot.path}: delta delivery (kind 'delta' in {SNAPSHOT_META}) has no full "
            f"{snapshot.source} snapshot at or before as-of {snapshot.as_of} to apply to. Land the full "
            f'snapshot first (or pull with --full), or name one with "base" in {SNAPSHOT_META}'
        )
    return max(earlier)[1]


def _differences(
    snapshot: Snapshot, manifest: dict[str, Any], rehash: bool
) -> Iterator[tuple[str, dict[str, Any] | None, Fingerprint | None]]:
    """Each difference between a snapshot folder and its manifest as (message, entry, fingerprint).

    Without ``rehash`` a file whose size and mtime match its entry is not read; one whose stat differs
    (or whose entry predates ``mtime_ns``) is hashed and, if the content is the same, yielded with an
    empty message and its new fingerprint, so the caller can record the new stat.
    """
    label = f"{snapshot.source}/{snapshot.snapshot_id}"
    recorded = {f["path"]: f for f in manifest["files"]}
    current = set(snapshot.data_files())
    # _snapshot.json is metadata that changes what the data means (as-of, kind, base): compared like a
    # data file, except against manifests written before it was recorded (no "snapshot_json" key).
    if "snapshot_json" in manifest:
        if manifest["snapshot_json"] is not None:
            recorded[SNAPSHOT_META] = manifest["snapshot_json"]
        if (snapshot.path / SNAPSHOT_META).is_file():
            current.add(SNAPSHOT_META)
    for rel in sorted(current | set(recorded)):
        where = snapshot.path / rel
        entry = recorded.get(rel)
        if entry is None:
            yield (
                f"{where}: new file under already-ingested snapshot {label}. Snapshots are immutable: land "
                "the new delivery under a new snapshot id (or re-ingest this one with --force).",
                None,
                None,
            )
            continue
        if rel not in current:
            yield (
                f"{where}: file listed in the manifest of {label} is gone. Restore it, or re-ingest with "
                "--force.",
                entry,
                None,
            )
            continue
        stat = where.stat()
        if stat.st_size != entry["bytes"]:
            yield _changed(where, label, entry), entry, None
            continue
        if not rehash and stat.st_mtime_ns == entry.get("mtime_ns"):
            continue
        now = Fingerprint(bytes=stat.st_size, mtime_ns=stat.st_mtime_ns, sha256=sha256_of(where))
        if now.sha256 != entry["sha256"]:
            yield _changed(where, label, entry), entry, now
        elif now.mtime_ns != entry.get("mtime_ns"):
            yield "", entry, now


def _changed(where: Path, label: str, entry: dict[str, Any]) -> str:
    return (
        f"{where}: content changed since snapshot {label} was ingested (sha256 was "
        f"{entry['sha256'][:12]}…, {entry['bytes']} bytes). Land the new version under a new snapshot id, "
        "or re-ingest with --force if the change is a correction."
    )


def check_unchanged(lake_dir: Path, snapshot: Snapshot, manifest: dict[str, Any]) -> None:
    """Raise on the first file of an ingested snapshot that differs from its manifest (or appeared or
    vanished). Reads only files whose size or mtime changed; a touched but identical file gets its new
    mtime recorded, so it is hashed once, not on every plan."""
    restamped = False
    for message, entry, now in _differences(snapshot, manifest, rehash=False):
        if message:
            raise SnapshotChangedError(message)
        if entry is not None and now is not None:
            entry["mtime_ns"] = now.mtime_ns
            restamped = True
    if restamped:
        atomic_io.write_json_atomic(manifest, manifest_path(lake_dir, snapshot.source, snapshot.snapshot_id))


def differences(snapshot: Snapshot, manifest: dict[str, Any]) -> list[str]:
    """Every difference between an ingested snapshot and its manifest, re-hashing every file."""
    return [message for message, _, _ in _differences(snapshot, manifest, rehash=True) if message]


def scan_pending(
    landing_dir: Path, lake_dir: Path, source: str, force: bool = False
) -> tuple[list[Snapshot], list[DataError]]:
    """Snapshots that need ingesting (no manifest yet, or all when forced), and one error per snapshot
    that cannot be planned: a folder that does not open, files changed under an ingested id, a delta
    with no base, a refused link. A retracted snapshot is never new again, not even when forced (its
    landing folder may stay or go): a corrected delivery needs a new snapshot id. The good snapshots
    are returned whatever the others hold."""
    snapshots, problems = scan_snapshots(landing_dir, source)
    pending = []
    for snap in snapshots:
        if snap.pull_in_progress:
            continue
        try:
            manifest = read_manifest(lake_dir, source, snap.snapshot_id)
            if manifest is not None and is_retracted(manifest):
                continue
            if manifest is None or force:
                resolve_base(lake_dir, snap)
                if not snap.data_files():
                    raise LandingError(f"{snap.path}: snapshot has no data files; add the export files")
                pending.append(snap)
            else:
                check_unchanged(lake_dir, snap, manifest)
        except DataError as exc:
            problems.append(exc)
    return pending, problems


def pending_snapshots(landing_dir: Path, lake_dir: Path, source: str, force: bool = False) -> list[Snapshot]:
    """``scan_pending``, raising the first problem."""
    pending, problems = scan_pending(landing_dir, lake_dir, source, force)
    if problems:
        raise problems[0]
    return pending


def file_entry(
    snapshot: Snapshot,
    relative_path: str,
    parse_result: dict[str, Any],
    fingerprint: Fingerprint | None = None,
) -> dict[str, Any]:
    """The manifest entry of one ingested file: its fingerprint (taken here unless the ingest already
    took it while parsing) plus what the parser reported."""
    taken = fingerprint or take_fingerprint(snapshot.path / relative_path)
    return {"path": relative_path, **taken.as_entry(), **parse_result}


def identical_delivery(lake_dir: Path, snapshot: Snapshot, entries: list[dict[str, Any]]) -> str | None:
    """The id of an ingested snapshot of the source with the same file contents (the same sha256s, names
    aside), or None: the same delivery landed twice under two ids is reported, not silently doubled."""
    ours = sorted(e["sha256"] for e in entries)
    for manifest in ingested_manifests(lake_dir, snapshot.source):
        if manifest["snapshot_id"] != snapshot.snapshot_id and ours == sorted(
            f["sha256"] for f in manifest["files"]
        ):
            return str(manifest["snapshot_id"])
    return None


def write_manifest(lake_dir: Path, snapshot: Snapshot, file_entries: list[dict[str, Any]]) -> Path:
    entries = sorted(file_entries, key=lambda e: e["path"])
    expected = snapshot.data_files()
    missing = sorted(set(expected) - {e["path"] for e in entries})
    if missing:
        raise LandingError(
            f"{snapshot.path}: not published, not every file was ingested ({', '.join(missing[:5])}); fix "
            "what failed (the ingest's error names it) and re-run the ingest"
        )
    meta = snapshot.path / SNAPSHOT_META
    payload = {
        "source": snapshot.source,
        "snapshot_id": snapshot.snapshot_id,
        "as_of": snapshot.as_of.isoformat(),
        "kind": snapshot.kind,
        "base": resolve_base(lake_dir, snapshot),
        "ingested_at": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "records": sum(int(e.get("records", 0)) for e in entries),
        "snapshot_json": take_fingerprint(meta).as_entry() if meta.is_file() else None,
        "identical_to": identical_delivery(lake_dir, snapshot, entries),
        "files": entries,
    }
    return atomic_io.write_json_atomic(
        payload, manifest_path(lake_dir, snapshot.source, snapshot.snapshot_id)
    )
