"""The error an OpenAlex landing file raises when it cannot be read (no duckdb: the SPEC re-exports it),
and the translation of DuckDB's read errors into words for a data engineer.

DuckDB's messages are written for DuckDB users ("Try auto-detecting the JSON format") and its line numbers
in JSON-lines files are not the file's (they count from a read buffer). So a malformed file is re-read here,
on the error path only, to find the first line that is not JSON; when none is found no line is named
rather than a wrong one.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import IO

from stiwatch.errors import DataError

_RECOPY = "the file is damaged or truncated: copy it again from the delivery (or re-download it) and re-run"
# Above this size a single JSON document (an API page, a JSON array) is not re-parsed to find the line.
_MAX_DOCUMENT_BYTES = 256 * 1024 * 1024


class OpenAlexFormatError(DataError):
    """A landing file is not OpenAlex works data we can read; the message names the file and what to do."""


def _open(path: Path, compression: str) -> IO[bytes]:
    return gzip.open(path, "rb") if compression == "gzip" else path.open("rb")


def first_bad_json_line(path: Path, compression: str, json_lines: bool) -> tuple[int, str] | None:
    """(line number, what is wrong) of the first place the file is not JSON, or None if it all parses (or
    cannot be read through: a cut gzip stream is reported as such, not as a line)."""
    try:
        with _open(path, compression) as fh:
            if json_lines:
                for number, raw in enumerate(fh, start=1):
                    if raw.strip():
                        try:
                            json.loads(raw)
                        except ValueError as exc:
                            return number, getattr(exc, "msg", "not valid JSON")
                return None
            if path.stat().st_size > _MAX_DOCUMENT_BYTES:
                return None
            try:
                json.loads(fh.read())
            except json.JSONDecodeError as exc:
                return exc.lineno, exc.msg
            except ValueError:
                return None
    except (OSError, EOFError):
        return None
    return None


def read_error(path: Path, format_name: str, compression: str, json_lines: bool, exc: Exception) -> DataError:
    """The ``OpenAlexFormatError`` for DuckDB's ``exc`` while reading ``path`` as ``format_name``."""
    text = str(exc)
    if "GZIP" in text or "gzip" in text or "end of stream" in text.lower():
        return OpenAlexFormatError(
            f"{path}: the gzip stream ends early or is damaged: copy it again from the delivery (or "
            "re-download it) and re-run"
        )
    found = first_bad_json_line(path, compression, json_lines)
    if found is not None:
        return OpenAlexFormatError(f"{path}: line {found[0]} is not valid JSON ({found[1]}); {_RECOPY}")
    if "Malformed JSON" in text:  # DuckDB saw a fault Python's parser did not place: no line, not a wrong one
        return OpenAlexFormatError(f"{path}: is not valid JSON; {_RECOPY}")
    # Valid JSON that DuckDB cannot read into the declared columns: a field of another type.
    return OpenAlexFormatError(
        f"{path}: cannot read it as {format_name}: a field holds a type the reader does not expect "
        f"({text.splitlines()[0]}). If the file is a genuine OpenAlex export, the OpenAlex format changed: "
        "report it with this file (maintainers: extend WORK_TYPE in stiwatch/sources/openalex/reader.py)"
    )
