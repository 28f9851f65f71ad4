"""Streaming reader of WoS field-tagged plain text ("FN ... / VR 1.0", records ending in ER, file in EF).

A field is a two-character tag, a space and the value; continuation lines start with three spaces. The
file must end with ``EF`` and no tag may repeat within a record, so a truncated file or a damaged ``ER``
line is an error, never fewer records.
How continuation lines combine depends on the field: in C1 each line is one address; in author and
reference lists each line is one item (joined with '; ' as in the tab-delimited format); in every other
field a long value was wrapped, so the lines are joined with a space.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import WosFormatError
from .raw import RawRecord

LIST_TAGS = frozenset({"AU", "AF", "BA", "BF", "BE", "CA", "CR"})
ADDRESS_TAG = "C1"
_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")
_CONTINUATION = "   "
_FILE_HEADER_TAGS = frozenset({"FN", "VR"})


def _finish(seq: int, start: int, values: dict[str, list[str]]) -> RawRecord:
    fields = {
        tag: ("; " if tag in LIST_TAGS else " ").join(v.strip() for v in lines if v.strip())
        for tag, lines in values.items()
        if tag != ADDRESS_TAG
    }
    addresses = [a.strip() for a in values.get(ADDRESS_TAG, []) if a.strip()]
    return RawRecord(seq, start, fields, addresses)


def read_tagged_records(lines: Iterable[str], path: Path) -> Iterator[RawRecord]:
    seq = 0
    values: dict[str, list[str]] | None = None  # None between records
    start = 0
    tag: str | None = None
    for line_number, line in enumerate(lines, start=1):
        text = line.rstrip("\r\n")
        if not text.strip():
            continue
        if text.startswith(_CONTINUATION):
            if values is None or tag is None:
                raise WosFormatError(
                    f"{path}: line {line_number}: continuation line outside a field. The file was edited or "
                    "truncated; re-export it from Web of Science as 'Plain text file'."
                )
            values[tag].append(text[len(_CONTINUATION) :])
            continue
        match = _TAG_LINE.match(text)
        if not match:
            raise WosFormatError(
                f"{path}: line {line_number}: expected a two-character field tag, 'ER' or a line starting "
                f"with three spaces, found {text[:40]!r}. Re-export the file from Web of Science as "
                "'Plain text file'."
            )
        tag, value = match.group(1), match.group(2) or ""
        if tag == "ER":
            if values is None:
                raise WosFormatError(f"{path}: line {line_number}: 'ER' without a record before it.")
            seq += 1
            yield _finish(seq, start, values)
            values, tag = None, None
        elif tag == "EF":
            if values is not None:
                break  # reported below as an unfinished record
            return
        elif values is None and tag in _FILE_HEADER_TAGS:
            tag = None
        else:
            if values is None:
                values, start = {}, line_number
            elif tag in values:
                # Each field appears once per record: a second one means the 'ER' between two records
                # was lost, and reading on would merge them into one.
                raise WosFormatError(
                    f"{path}: line {line_number}: field {tag} appears twice in record {seq + 1} (line "
                    f"{start}): its 'ER' line is missing or damaged. Copy the file again from the delivery "
                    "or re-export it."
                )
            values.setdefault(tag, []).append(value)
    if values is not None:
        raise WosFormatError(
            f"{path}: record {seq + 1} (line {start}) has no 'ER' line: the file is truncated. "
            "Copy it again from the delivery or re-export it."
        )
    # Every export ends with 'EF': a file cut right after a record's 'ER' line would otherwise lose the
    # records after the cut without a word.
    raise WosFormatError(
        f"{path}: no 'EF' line at the end: the file is truncated after record {seq}. Copy it again from "
        "the delivery or re-export it from Web of Science."
    )
