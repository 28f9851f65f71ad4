"""Atomic writes for everything the pipeline leaves on disk (lake parts, manifests, pull state, releases).

A reader never sees a half-written file: everything is written to a temporary name beside the target and
moved into place with ``os.replace`` (atomic on one file system). pyarrow is imported by the Parquet
writers only: landing and the source registry use this module, and DAG files must parse without pyarrow.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa


TMP_MARK = ".tmp-"
_TMP_PID = re.compile(r"\.tmp-(\d+)-[0-9a-f]{32}$")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_orphaned_temporaries(root: Path) -> list[Path]:
    """Delete the temporary files under ``root`` whose writer is dead (a killed ingest's half-written
    parts); return them. A live writer's (its pid runs) are left alone."""
    removed = []
    for path in root.rglob(f".*{TMP_MARK}*") if root.is_dir() else ():
        match = _TMP_PID.search(path.name)
        if match and path.is_file() and not _pid_alive(int(match.group(1))):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


@contextmanager
def atomic_path(final_path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``final_path``; move it into place only if the block succeeds."""
    final_path.parent.mkdir(parents=True, exist_ok=True)
    # The writer's pid in the name lets the next run tell a killed writer's leftover from a live one's.
    tmp = final_path.with_name(f".{final_path.name}{TMP_MARK}{os.getpid()}-{uuid.uuid4().hex}")
    try:
        yield tmp
        os.replace(tmp, final_path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_parquet_atomic(table: pa.Table, final_path: Path) -> Path:
    import pyarrow.parquet as pq

    with atomic_path(final_path) as tmp:
        pq.write_table(table, tmp, compression="zstd")
    return final_path


def write_batches_atomic(batches: Iterable[pa.RecordBatch], schema: pa.Schema, final_path: Path) -> int:
    """Stream record batches into one Parquet file atomically; return the number of rows written.

    An input without rows still produces a valid, empty file with the schema, so readers always find
    every table of a snapshot.
    """
    import pyarrow.parquet as pq

    rows = 0
    with atomic_path(final_path) as tmp, pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
        for batch in batches:
            if batch.num_rows:
                writer.write_batch(batch)
                rows += batch.num_rows
    return rows


def read_json(path: Path) -> Any:
    """A JSON file the pipeline wrote (manifest, build record); a damaged one names its path and the fix."""
    from stiwatch.errors import DataError

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(
            f"{path}: not valid JSON ({exc}); it was written atomically, so it was edited or damaged by "
            "hand: restore it, or remove it and re-run (a manifest: re-ingest that snapshot with --force)"
        ) from exc


def write_json_atomic(payload: dict[str, Any], final_path: Path) -> Path:
    with atomic_path(final_path) as tmp:
        tmp.write_text(json.dumps(payload, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    return final_path
