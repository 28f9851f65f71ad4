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

from stiwatch import landing
from stiwatch.config import Settings
from stiwatch.progress import Progress, track
from stiwatch.sources.registry import counted_spec
from stiwatch.sources.spec import SourceSpec

log = logging.getLogger(__name__)


def parser_for(source: str) -> SourceSpec:
    """The spec of a source this module parses (its ``ingest_file``); ROR, reference data, has its own
    writer. A ValueError names the known sources."""
    return counted_spec(source)


def plan(settings: Settings, source: str, force: bool = False) -> list[dict[str, Any]]:
    """One item per data file of every snapshot that still needs ingesting: source, snapshot_id, path, bytes.

    Reads no ingested file whose size and mtime are unchanged (``landing.pending_snapshots``).
    """
    items = []
    for snap in landing.pending_snapshots(settings.landing_dir, settings.lake_dir, source, force=force):
        files = snap.data_files()
        if not files:
            raise landing.LandingError(f"{snap.path}: snapshot has no data files; add the export files")
        items.extend(
            {
                "source": source,
                "snapshot_id": snap.snapshot_id,
                "path": rel,
                "bytes": (snap.path / rel).stat().st_size,
            }
            for rel in files
        )
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


def plan_groups(settings: Settings, source: str, force: bool = False) -> list[dict[str, Any]]:
    """The pending files as work items ``{source, snapshot_id, paths, bytes}``, grouped per snapshot by size
    (``Settings.ingest_task_bytes``): 3,000 tiny parts make a few items, a 400 GB snapshot a few hundred."""
    by_snapshot: dict[str, list[dict[str, Any]]] = {}
    for item in plan(settings, source, force=force):
        by_snapshot.setdefault(item["snapshot_id"], []).append(item)
    groups = []
    for snapshot_id, files in by_snapshot.items():
        for run in _split(files, settings.ingest_task_bytes, settings.ingest_parallelism):
            groups.append(
                {
                    "source": source,
                    "snapshot_id": snapshot_id,
                    "paths": [f["path"] for f in run],
                    "bytes": sum(f["bytes"] for f in run),
                }
            )
    return groups


def ingest_file(settings: Settings, source: str, snapshot_id: str, relative_path: str) -> dict[str, Any]:
    """Parse one landing file and return its manifest entry, reading the file from disk once: the sha256
    runs in a thread beside the parser (hashlib releases the GIL; the page cache serves the second reader)."""
    snap = landing.open_snapshot(settings.landing_dir, source, snapshot_id)
    path = snap.path / relative_path
    started = time.monotonic()
    before = path.stat()  # taken before either reader starts, so a rewrite during the ingest shows
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sha256") as hasher:
        digest = hasher.submit(landing.sha256_of, path)
        result = parser_for(source).ingest_file(path, relative_path, snapshot_id, settings.lake_dir)
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
    path = landing.write_manifest(settings.lake_dir, snap, entries)
    log.info("published snapshot %s/%s (%d files)", source, snapshot_id, len(entries))
    return str(path)


def ingest_source(settings: Settings, source: str, force: bool = False) -> list[str]:
    """Ingest every pending snapshot of a source; return the snapshot ids published."""
    groups = plan_groups(settings, source, force=force)
    by_snapshot: dict[str, list[dict[str, Any]]] = {}
    total_files = sum(len(g["paths"]) for g in groups)
    with track(
        f"ingest {source}", total_files=total_files, total_work=sum(g["bytes"] for g in groups)
    ) as progress:
        for group in groups:
            by_snapshot.setdefault(group["snapshot_id"], []).extend(ingest_group(settings, group, progress))
    for snapshot_id, entries in by_snapshot.items():
        finalize(settings, source, snapshot_id, entries)
    return sorted(by_snapshot)
