"""The lake: normalised Parquet per source and snapshot, written atomically.

Layout: ``lake/<source>/snapshot=<id>/<table>/part-<file_key>.parquet`` plus ``_manifest.json``.
A reader never sees a half-written file: everything is written to a temporary name beside the target and
moved into place with ``os.replace`` (atomic on one file system).
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq


def snapshot_dir(lake_dir: Path, source: str, snapshot_id: str) -> Path:
    return lake_dir / source / f"snapshot={snapshot_id}"


def file_key(relative_path: str) -> str:
    """A stable short key for a landing file, used to name its part in every lake table."""
    return hashlib.sha256(relative_path.encode("utf-8")).hexdigest()[:16]


def part_path(lake_dir: Path, source: str, snapshot_id: str, table: str, relative_path: str) -> Path:
    return snapshot_dir(lake_dir, source, snapshot_id) / table / f"part-{file_key(relative_path)}.parquet"


@contextmanager
def atomic_path(final_path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``final_path``; move it into place only if the block succeeds."""
    final_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = final_path.with_name(f".{final_path.name}.tmp-{uuid.uuid4().hex}")
    try:
        yield tmp
        os.replace(tmp, final_path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_parquet_atomic(table: pa.Table, final_path: Path) -> Path:
    with atomic_path(final_path) as tmp:
        pq.write_table(table, tmp, compression="zstd")
    return final_path


def write_batches_atomic(batches: Iterable[pa.RecordBatch], schema: pa.Schema, final_path: Path) -> int:
    """Stream record batches into one Parquet file atomically; return the number of rows written.

    An input without rows still produces a valid, empty file with the schema, so readers always find
    every table of a snapshot.
    """
    rows = 0
    with atomic_path(final_path) as tmp, pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
        for batch in batches:
            if batch.num_rows:
                writer.write_batch(batch)
                rows += batch.num_rows
    return rows


def write_json_atomic(payload: dict[str, Any], final_path: Path) -> Path:
    with atomic_path(final_path) as tmp:
        tmp.write_text(json.dumps(payload, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    return final_path
