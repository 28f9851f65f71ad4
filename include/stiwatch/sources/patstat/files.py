"""Delivered PATSTAT files: which table a file holds and how to open its CSV as a byte stream.

EPO delivers each table in numbered parts, ``tls201_part01.zip`` .. ``tls201_partNN.zip``, each zip holding
one comma-separated file with a header line (``tls201_part01.txt`` in older editions, ``.csv`` in newer
ones), double-quoted strings, UTF-8, CRLF line ends. Plain ``.csv``/``.txt`` and gzip copies are accepted too.
"""

from __future__ import annotations

import gzip
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from stiwatch.errors import DataError
from stiwatch.sources.patstat.schema import TABLE_BY_NUMBER

# tls201_part01.zip, tls201_appln.csv.gz, TLS206_PART3.txt, tls231_inpadoc_legal_event_part01.zip ...
_TABLE_FILE_RE = re.compile(r"^(?P<number>(tls|reg)\d{3})[A-Za-z0-9_]*\.(zip|csv|txt)(\.gz)?$", re.IGNORECASE)


class PatstatFileError(DataError):
    """A landing file that cannot be read as a PATSTAT table part; the message says what to do."""


def table_number(path: Path) -> str:
    """``tls201`` for ``tls201_part01.zip``; raises for a name that is no PATSTAT table file."""
    match = _TABLE_FILE_RE.match(path.name)
    if not match:
        raise PatstatFileError(
            f"{path}: not a PATSTAT table file (expected names like tls201_part01.zip or tls206_part02.csv); "
            "move other files out of the edition folder or prefix their name with '_'"
        )
    return match.group("number").lower()


def used_table(path: Path) -> str | None:
    """The lake table of a delivered file, or None for a PATSTAT table the marts do not use."""
    return TABLE_BY_NUMBER.get(table_number(path))


@contextmanager
def open_csv_stream(path: Path) -> Iterator[IO[bytes]]:
    """The CSV bytes of a delivered file, streamed (a zip member is never extracted to disk)."""
    name = path.name.lower()
    if name.endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) != 1:
                raise PatstatFileError(
                    f"{path}: expected one CSV file in the zip, found {len(members)} "
                    f"({', '.join(m.filename for m in members[:5])}); re-download the part from EPO"
                )
            with archive.open(members[0]) as stream:
                yield stream
    elif name.endswith(".gz"):
        with gzip.open(path, "rb") as stream:
            yield stream
    else:
        with path.open("rb") as stream:
            yield stream


# What a damaged zip or gzip raises while it is read (a CRC mismatch, a cut-off stream, bad deflate data).
ARCHIVE_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, gzip.BadGzipFile)


def archive_damage(path: Path) -> str | None:
    """What is wrong with a zip or gzip file as an archive (a CRC mismatch, a cut), or None when it is whole
    or no archive. Reads the whole file, so it is asked only after reading it failed: a damaged part can
    yield a garbled header before the CRC check at its end is reached."""
    name = path.name.lower()
    try:
        if name.endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                bad = archive.testzip()
            return None if bad is None else f"{bad} fails its CRC check"
        if name.endswith(".gz"):
            with gzip.open(path, "rb") as stream:
                while stream.read(1 << 20):
                    pass
    except (*ARCHIVE_ERRORS, OSError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def damaged_archive_error(path: Path, damage: str) -> PatstatFileError:
    return PatstatFileError(
        f"{path}: the archive is damaged or incomplete ({damage}); download the part again from EPO "
        "(compare its size and checksum with the delivery's) and re-run the ingest"
    )
