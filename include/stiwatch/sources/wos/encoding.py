"""Open a WoS export as text whatever its packaging: gzip or not, UTF-8 (with or without BOM), UTF-16.

Compression is recognised by the gzip magic bytes and the text encoding from the bytes, never by the file
name (exports get renamed): a byte-order mark, else the zero bytes of UTF-16 text (every export starts with
ASCII: ``FN``, ``PT`` or a header of field codes), else UTF-8. A second U+FEFF left at the start of the
text (a BOM written twice by a converter) is dropped. Lines are split on ``\\n`` only (``\\r`` is
stripped by the readers), so CRLF files read like LF files and a stray ``\\r`` inside a field cannot
split a record.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import WosFormatError

GZIP_MAGIC = b"\x1f\x8b"
# byte-order mark -> (codec that consumes the BOM, name reported in the manifest)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", "utf-8-sig"),
    (b"\xff\xfe", "utf-16", "utf-16-le"),
    (b"\xfe\xff", "utf-16", "utf-16-be"),
)


@dataclass(frozen=True)
class TextFile:
    lines: Iterator[str]
    encoding: str  # utf-8, utf-8-sig, utf-16-le or utf-16-be
    compression: str  # gzip or none


def _sniff_encoding(raw: io.BufferedReader | gzip.GzipFile) -> tuple[str, str]:
    head = raw.peek(4)[:4]
    for bom, codec, name in _BOMS:
        if head.startswith(bom):
            return codec, name
    if len(head) == 4:
        # ASCII in UTF-16 without a BOM: a zero byte after (LE) or before (BE) each of the first two.
        if head[0] and head[2] and not head[1] and not head[3]:
            return "utf-16-le", "utf-16-le"
        if head[1] and head[3] and not head[0] and not head[2]:
            return "utf-16-be", "utf-16-be"
    return "utf-8", "utf-8"


@contextmanager
def open_text(path: Path) -> Iterator[TextFile]:
    """Yield the file's lines (line ends kept) with the encoding and compression that were detected."""
    with path.open("rb") as plain:
        compressed = plain.read(2) == GZIP_MAGIC
        plain.seek(0)
        binary = gzip.GzipFile(fileobj=plain) if compressed else plain
        codec, name = _sniff_encoding(binary)
        text = io.TextIOWrapper(binary, encoding=codec, newline="\n")
        yield TextFile(_decoded_lines(text, path, name), name, "gzip" if compressed else "none")


def _decoded_lines(text: io.TextIOWrapper, path: Path, encoding: str) -> Iterator[str]:
    line_number = 0
    try:
        for line in text:
            line_number += 1
            yield line.lstrip("\ufeff") if line_number == 1 else line
    except UnicodeDecodeError as exc:
        raise WosFormatError(
            f"{path}: line {line_number + 1}: not valid {encoding} text ({exc.reason}). "
            "Re-export the file from Web of Science as UTF-8 (or save it as UTF-8 / UTF-16 with a BOM)."
        ) from exc
    except (OSError, EOFError) as exc:
        raise WosFormatError(
            f"{path}: line {line_number + 1}: cannot read the file ({exc}); it looks truncated or is not "
            "valid gzip: copy it again from the delivery."
        ) from exc
