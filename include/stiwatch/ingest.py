"""Ingest orchestration shared by the CLI and the Airflow DAGs.

``plan_groups`` bundles the files of pending snapshots into work items of about
``Settings.ingest_task_bytes`` (never splitting a file, never mixing snapshots); the DAGs map
``ingest_group`` over them and then call ``finalize`` per snapshot; the CLI calls ``ingest_source`` which
does the same in one process. Only ids, paths and manifest entries travel between the steps (XCom
friendly, no hidden local state), so any executor can run them.
"""

from __future__ import annotations

import logging
import math
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from stiwatch import atomic_io, landing
from stiwatch.config import Settings
from stiwatch.errors import DataError, storage_error, storage_problem
from stiwatch.progress import Progress, track
from stiwatch.sources.registry import counted_spec
from stiwatch.sources.spec import SourceSpec

log = logging.getLogger(__name__)


def parser_for(source: str) -> SourceSpec:
    """The spec of a source this module parses (its ``ingest_file``); ROR, reference data, has its own
    writer. A ValueError names the known sources."""
    return counted_spec(source)


def scan(
    settings: Settings, source: str, force: bool = False
) -> tuple[list[dict[str, Any]], list[DataError]]:
    """One item per data file of every pending snapshot that can be planned (source, snapshot_id, path,
    bytes), and one error per snapshot that cannot (``landing.scan_pending``): a bad snapshot is reported,
    the others go ahead.

    Reads no ingested file whose size and mtime are unchanged. First removes the temporary files a killed
    ingest of this source left in the lake (its writer's pid is dead).
    """
    for leftover in atomic_io.remove_orphaned_temporaries(settings.lake_dir / source):
        log.warning("removed %s, left by an ingest that was killed", leftover)
    snapshots, problems = landing.scan_pending(settings.landing_dir, settings.lake_dir, source, force=force)
    items = [
        {
            "source": source,
            "snapshot_id": snap.snapshot_id,
            "path": rel,
            "bytes": (snap.path / rel).stat().st_size,
        }
        for snap in snapshots
        for rel in snap.data_files()
    ]
    return items, problems


def plan(settings: Settings, source: str, force: bool = False) -> list[dict[str, Any]]:
    """``scan``, raising the first problem (a caller that must see every snapshot planned)."""
    items, problems = scan(settings, source, force=force)
    if problems:
        raise problems[0]
    return items


def _split(files: list[dict[str, Any]], task_bytes: int, parallelism: int) -> list[list[dict[str, Any]]]:
    """Consecutive runs of one snapshot's files: at most ``task_bytes`` each (a bigger file goes alone),
    and at least ``parallelism`` runs when there are that many files, so small snapshots use the cluster."""
    total = sum(f["bytes"] for f in files)
    wanted = max(math.ceil(total / task_bytes), min(parallelism, len(files)), 1)
    share = max(total / wanted, 1)
    runs: list[list[dict[str, Any]]] = [[]]
    run_bytes = 0
    for item in files:
        if runs[-1] and (run_bytes + item["bytes"] > task_bytes or run_bytes >= share):
            runs.append([])
            run_bytes = 0
        runs[-1].append(item)
        run_bytes += item["bytes"]
    return runs


def group(settings: Settings, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Planned files as work items ``{source, snapshot_id, paths, bytes}``, grouped per snapshot by size
    (``Settings.ingest_task_bytes``): 3,000 tiny parts make a few items, a 400 GB snapshot a few hundred."""
    by_snapshot: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        by_snapshot.setdefault(item["snapshot_id"], []).append(item)
    groups = []
    for snapshot_id, files in by_snapshot.items():
        for run in _split(files, settings.ingest_task_bytes, settings.ingest_parallelism):
            groups.append(
                {
                    "source": files[0]["source"],
                    "snapshot_id": snapshot_id,
                    "paths": [f["path"] for f in run],
                    "bytes": sum(f["bytes"] for f in run),
                }
            )
    return groups


def plan_groups(settings: Settings, source: str, force: bool = False) -> list[dict[str, Any]]:
    """The pending files as work items (``group``); raises the first problem of the plan."""
    return group(settings, plan(settings, source, force=force))


def ingest_file(settings: Settings, source: str, snapshot_id: str, relative_path: str) -> dict[str, Any]:
    """Parse one landing file and return its manifest entry, reading the file from disk once: the sha256
    runs in a thread beside the parser (hashlib releases the GIL; the page cache serves the second reader)."""
    snap = landing.open_snapshot(settings.landing_dir, source, snapshot_id)
    path = snap.path / relative_path
    started = time.monotonic()
    before = path.stat()  # taken before either reader starts, so a rewrite during the ingest shows
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sha256") as hasher:
        digest = hasher.submit(landing.sha256_of, path)
        try:
            result = parser_for(source).ingest_file(path, relative_path, snapshot_id, settings.lake_dir)
        except Exception as exc:
            problem = storage_problem(exc)
            if problem is None:
                raise
            raise storage_error(exc, problem, str(settings.lake_dir / source), path) from exc
        taken = landing.Fingerprint(bytes=before.st_size, mtime_ns=before.st_mtime_ns, sha256=digest.result())
    after = path.stat()
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
        raise landing.LandingError(
            f"{path}: the file changed while it was being ingested; let the delivery finish, then re-run"
        )
    entry = landing.file_entry(snap, relative_path, result, taken)
    log.info(
        "ingested %s/%s/%s: %s records in %.1fs",
        source,
        snapshot_id,
        relative_path,
        entry.get("records"),
        time.monotonic() - started,
    )
    return entry


def ingest_group(
    settings: Settings, group: dict[str, Any], progress: Progress | None = None
) -> list[dict[str, Any]]:
    """Ingest the files of one work item of ``plan_groups``; return their manifest entries."""
    if progress is None:
        label = f"ingest {group['source']}/{group['snapshot_id']}"
        with track(label, total_files=len(group["paths"]), total_work=group["bytes"]) as own:
            return ingest_group(settings, group, own)
    entries = []
    for rel in group["paths"]:
        entry = ingest_file(settings, group["source"], group["snapshot_id"], rel)
        entries.append(entry)
        progress.advance(files=1, records=int(entry.get("records", 0)), work=entry["bytes"])
    return entries


def finalize(settings: Settings, source: str, snapshot_id: str, entries: list[dict[str, Any]]) -> str:
    snap = landing.open_snapshot(settings.landing_dir, source, snapshot_id)
    try:
        path = landing.write_manifest(settings.lake_dir, snap, entries)
    except OSError as exc:
        problem = storage_problem(exc)
        if problem is None:
            raise
        raise storage_error(exc, problem, str(settings.lake_dir / source), snap.path) from exc
    log.info("published snapshot %s/%s (%d files)", source, snapshot_id, len(entries))
    twin = identical_to(settings, source, snapshot_id)
    if twin is not None:
        log.warning(duplicate_warning(source, snapshot_id, twin))
    return str(path)


def identical_to(settings: Settings, source: str, snapshot_id: str) -> str | None:
    """The ingested snapshot with the same file contents, as the manifest recorded it (None: none)."""
    manifest = landing.read_manifest(settings.lake_dir, source, snapshot_id) or {}
    return manifest.get("identical_to")


def duplicate_warning(source: str, snapshot_id: str, twin: str) -> str:
    return (
        f"warning: {source}/{snapshot_id} holds the same files (same sha256) as the ingested snapshot "
        f"{twin}: the same delivery landed twice? If so, remove one landing folder and re-run"
    )


class IngestFailedError(DataError):
    """Some snapshots of a source could not be ingested; the good ones were published."""


def ingest_source(settings: Settings, source: str, force: bool = False) -> list[str]:
    """Ingest every pending snapshot of a source; return the snapshot ids published.

    Each snapshot stands alone: one that cannot be planned or whose file fails is left unpublished, the
    others are published, then ``IngestFailedError`` lists every failure (file and reason).
    """
    items, problems = scan(settings, source, force=force)
    groups = group(settings, items)
    by_snapshot: dict[str, list[dict[str, Any]]] = {}
    failed: dict[str, DataError] = {}
    total_files = sum(len(g["paths"]) for g in groups)
    with track(
        f"ingest {source}", total_files=total_files, total_work=sum(g["bytes"] for g in groups)
    ) as progress:
        for work in groups:
            if work["snapshot_id"] in failed:
                continue
            try:
                entries = ingest_group(settings, work, progress)
            except DataError as exc:
                failed[work["snapshot_id"]] = exc
                continue
            by_snapshot.setdefault(work["snapshot_id"], []).extend(entries)
    published = []
    for snapshot_id, entries in by_snapshot.items():
        if snapshot_id not in failed:
            finalize(settings, source, snapshot_id, entries)
            published.append(snapshot_id)
    errors = [*problems, *failed.values()]
    if len(errors) == 1 and not published:
        raise errors[0]
    if len(errors) == 1:
        raise IngestFailedError(
            f"{errors[0]} (the other {source} snapshots were published: {', '.join(published)})"
        )
    if errors:
        done = ", ".join(sorted(published)) or "nothing"
        raise IngestFailedError(
            f"{len(errors)} {source} snapshot(s) not ingested (published: {done}):\n"
            + "\n".join(f"  {exc}" for exc in errors)
        )
    return sorted(published)
