"""The lake's manifests gathered into one JSON-lines file that Spark can read (STIWATCH_ENGINE=spark).

Spark's file listing skips every file whose name starts with ``_`` (Hadoop's hidden files), so it never
sees a snapshot's ``_manifest.json``, the lake's commit marker. Before each Spark build the manifests are
copied here, one per line, unchanged; ``spark__read_manifest_json`` (dbt/macros/lake/lake_manifests.sql)
reads this file where DuckDB globs the manifests themselves. Written atomically: a build never reads a
half-written index, and a lake without any manifest gives an empty file.
"""

from __future__ import annotations

import json
from pathlib import Path

from stiwatch.atomic_io import atomic_path, read_json
from stiwatch.config import Settings
from stiwatch.layout import LAKE_MANIFESTS_GLOB


def write_manifest_index(settings: Settings) -> Path:
    """Copy every manifest of the lake into ``settings.spark_manifest_index``; return its path."""
    target = settings.spark_manifest_index
    with atomic_path(target) as tmp, tmp.open("w", encoding="utf-8") as out:
        for manifest in sorted(settings.lake_dir.glob(LAKE_MANIFESTS_GLOB)):
            line = json.dumps(read_json(manifest), ensure_ascii=False, separators=(",", ":"))
            out.write(line + "\n")
    return target
