"""Ingest orchestration shared by the CLI and the Airflow DAGs.

The DAGs map ``ingest_file`` over the files returned by ``plan`` and then call ``finalize``; the CLI calls
``ingest_source`` which does the same in one process. Only ids and paths travel between the steps (XCom
friendly, no hidden local state), so any executor can run them.
"""

from __future__ import annotations

import importlib
import logging
import time
from pathlib import Path
from typing import Any, Protocol

from stiwatch import landing
from stiwatch.config import Settings

log = logging.getLogger(__name__)


class SourceParser(Protocol):
    def ingest_file(self, path: Path, relative_path: str, snapshot_id: str, lake_dir: Path) -> dict[str, Any]:
        """Parse one landing file into the lake tables; return its manifest fields (records, format, ...)."""


PARSERS = {
    "wos": "stiwatch.sources.wos",
    "openalex": "stiwatch.sources.openalex",
    "patstat": "stiwatch.sources.patstat",
}


def parser_for(source: str) -> SourceParser:
    try:
        return importlib.import_module(PARSERS[source])  # type: ignore[return-value]
    except KeyError:
        raise ValueError(f"unknown source {source!r}; expected one of {sorted(PARSERS)}") from None


def plan(settings: Settings, source: str, force: bool = False) -> list[dict[str, str]]:
    """One work item per data file of every snapshot that still needs ingesting."""
    items = []
    for snap in landing.pending_snapshots(settings.landing_dir, settings.lake_dir, source, force=force):
        files = snap.data_files()
        if not files:
            raise landing.LandingError(f"{snap.path}: snapshot has no data files; add the export files")
        items.extend({"source": source, "snapshot_id": snap.snapshot_id, "path": rel} for rel in files)
    return items


def ingest_file(settings: Settings, source: str, snapshot_id: str, relative_path: str) -> dict[str, Any]:
    snap = landing.open_snapshot(settings.landing_dir, source, snapshot_id)
    started = time.monotonic()
    result = parser_for(source).ingest_file(
        snap.path / relative_path, relative_path, snapshot_id, settings.lake_dir
    )
    entry = landing.file_entry(snap, relative_path, result)
    log.info(
        "ingested %s/%s/%s: %s records in %.1fs",
        source,
        snapshot_id,
        relative_path,
        entry.get("records"),
        time.monotonic() - started,
    )
    return entry


def finalize(settings: Settings, source: str, snapshot_id: str, entries: list[dict[str, Any]]) -> str:
    snap = landing.open_snapshot(settings.landing_dir, source, snapshot_id)
    path = landing.write_manifest(settings.lake_dir, snap, entries)
    log.info("published snapshot %s/%s (%d files)", source, snapshot_id, len(entries))
    return str(path)


def ingest_source(settings: Settings, source: str, force: bool = False) -> list[str]:
    """Ingest every pending snapshot of a source; return the snapshot ids published."""
    by_snapshot: dict[str, list[dict[str, Any]]] = {}
    for item in plan(settings, source, force=force):
        entry = ingest_file(settings, source, item["snapshot_id"], item["path"])
        by_snapshot.setdefault(item["snapshot_id"], []).append(entry)
    for snapshot_id, entries in by_snapshot.items():
        finalize(settings, source, snapshot_id, entries)
    return sorted(by_snapshot)
