"""The deliveries a dbt build reads: the lake's manifests frozen into one JSON-lines index.

dbt reads the lake through its manifests (a snapshot's commit marker, ``_manifest.json``), and ingest DAGs
publish while a build runs. Were the manifests globbed live, a delivery published mid-build would reach
the models that happen to run after it and not those before, and the build record, written after dbt,
would call it built. So dbt never lists them: before a build the manifests are copied into this index
(each unchanged, one per line), every model reads the index (dbt/macros/lake/lake_manifests.sql), and
the build record (stiwatch.build_plan) lists the deliveries of the index, exactly what the build read. A
delivery published after the freeze waits for the next build. One listing per build also suits a lake on
object storage, and Spark needs the copy anyway: its file listing skips names starting with ``_``.

Frozen under the warehouse writer lock (stiwatch.warehouse_lock), so the index never changes under a
running build; written atomically, so no build reads a half-written one. An empty lake gives an empty file.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stiwatch.atomic_io import atomic_path, read_json
from stiwatch.config import Settings
from stiwatch.layout import LAKE_MANIFESTS_GLOB
from stiwatch.warehouse_lock import acquire


def lake_manifests(lake_dir: Path) -> list[dict[str, Any]]:
    """Every manifest of the lake now (retracted ones and reference data too), in path order."""
    return [read_json(path) for path in sorted(lake_dir.glob(LAKE_MANIFESTS_GLOB))]


@dataclass(frozen=True)
class FrozenIndex:
    """What a freeze wrote: the manifests, and the SHA-256 of the file holding them."""

    manifests: list[dict[str, Any]]
    sha256: str


def freeze_lake_index(settings: Settings) -> FrozenIndex:
    """Copy every manifest of the lake into ``settings.lake_index_path``.

    Waits for a running dbt writer (``STIWATCH_WAREHOUSE_LOCK_WAIT``) rather than change its input.
    """
    lock = acquire(settings.warehouse_path, settings.warehouse_lock_wait)
    try:
        manifests = lake_manifests(settings.lake_dir)
        text = "".join(
            json.dumps(manifest, ensure_ascii=False, separators=(",", ":")) + "\n" for manifest in manifests
        )
        with atomic_path(settings.lake_index_path) as tmp:
            tmp.write_text(text, encoding="utf-8")
    finally:
        os.close(lock)
    return FrozenIndex(manifests, hashlib.sha256(text.encode("utf-8")).hexdigest())


def check_lake_index(settings: Settings, planned_sha256: str) -> None:
    """Refuse to build over an index other than the one the build plan froze (a dbt command run by hand
    between the plan and the build freezes it again): the plan's exclusions would not fit it."""
    path = settings.lake_index_path
    found = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "missing"
    if found != planned_sha256:
        raise RuntimeError(
            f"{path} is not the one the build plan froze (sha256 {planned_sha256[:12]}, found {found[:12]}): "
            "another dbt command froze the lake again after the plan. Nothing was built; run the transform "
            "again, and it plans anew"
        )


def read_lake_index(settings: Settings) -> list[dict[str, Any]]:
    """The manifests the last frozen index holds (what the last dbt build read)."""
    from stiwatch.errors import DataError

    path = settings.lake_index_path
    if not path.exists():
        raise DataError(
            f"{path} is missing: it lists the deliveries a dbt build reads and is written before each build. "
            "Build through stiwatch (stiwatch refresh, or stiwatch.dbt_runner.run_dbt)"
        )
    lines = path.read_text(encoding="utf-8").splitlines()
    try:
        return [json.loads(line) for line in lines if line]
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: not valid JSON lines ({exc}); remove it and build again") from exc
