"""Byte counts of landing files as the parsers see them: the decompressed text, not the file on disk.

Throughput in MB/s is reported against the decompressed size (JSON, tagged text, CSV), so numbers compare
across gzip, zip and plain deliveries and with the reference figures in ../shared/docs/STACK.md.
"""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 20


def decompressed_bytes(path: Path) -> int:
    """Bytes of content: gzip streamed through (exact, unlike the 4 GiB-wrapping ISIZE trailer), zip members
    summed from the directory, anything else its size on disk."""
    with path.open("rb") as fh:
        magic = fh.read(2)
    if magic == _GZIP_MAGIC:
        total = 0
        with gzip.open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                total += len(chunk)
        return total
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return sum(info.file_size for info in archive.infolist())
    return path.stat().st_size
