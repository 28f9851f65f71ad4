"""Where the data root puts things: the landing metadata file name and the lake paths.

Lake: ``lake/<source>/snapshot=<id>/<table>/part-<file_key>.parquet`` plus ``_manifest.json``
(docs/ARCHITECTURE.md, "Lake tables").
"""

from __future__ import annotations

import hashlib
from pathlib import Path

# Optional metadata of a landed snapshot (as_of, kind, base, description), in landing/<source>/<id>/.
SNAPSHOT_META = "_snapshot.json"

# Every published snapshot's manifest, relative to the lake folder (reference data such as ror/ included).
LAKE_MANIFESTS_GLOB = "*/snapshot=*/_manifest.json"


def snapshot_dir(lake_dir: Path, source: str, snapshot_id: str) -> Path:
    return lake_dir / source / f"snapshot={snapshot_id}"


def file_key(relative_path: str) -> str:
    """A stable short key for a landing file, used to name its part in every lake table."""
    return hashlib.sha256(relative_path.encode("utf-8")).hexdigest()[:16]


def part_path(lake_dir: Path, source: str, snapshot_id: str, table: str, relative_path: str) -> Path:
    return snapshot_dir(lake_dir, source, snapshot_id) / table / f"part-{file_key(relative_path)}.parquet"
