"""Deterministic file writing for the demo: same content -> same bytes, published atomically."""

from __future__ import annotations

import gzip
import io
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


@contextmanager
def open_text(path: Path, newline: str = "\n") -> Iterator[TextIO]:
    """A UTF-8 text writer; ``.gz`` paths are gzipped with no file name and mtime 0 (byte-reproducible)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw:
        if path.suffix == ".gz":
            with (
                gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as gz,
                io.TextIOWrapper(gz, encoding="utf-8", newline=newline) as text,
            ):
                yield text
        else:
            with io.TextIOWrapper(raw, encoding="utf-8", newline=newline) as text:
                yield text


@contextmanager
def staged_snapshot(final_dir: Path) -> Iterator[Path]:
    """Write a snapshot into a hidden sibling folder, then rename it into place: ingest (which ignores
    names starting with '.') never sees a half-written demo snapshot."""
    final_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = final_dir.with_name(f".{final_dir.name}.tmp-{uuid.uuid4().hex}")
    try:
        tmp.mkdir()
        yield tmp
        tmp.rename(final_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
