"""Streaming reader of WoS tab-delimited exports (full record, 71 fields, and the "All Databases" 53).

Header-driven: columns are looked up by their field code, never by position, so both variants (and any
other selection of fields) read the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from .addresses import split_c1_field
from .errors import WosFormatError
from .raw import RawRecord


def read_tab_records(lines: Iterable[str], path: Path) -> Iterator[RawRecord]:
    """Yield one record per non-blank line after the header."""
    line_iter = iter(lines)
    header = next(line_iter).rstrip("\r\n").split("\t")
    # Some exports end the header with a tab; an empty trailing code is not a column.
    while header and header[-1] == "":
        header.pop()
    width = len(header)
    seq = 0
    for line_number, line in enumerate(line_iter, start=2):
        text = line.rstrip("\r\n")
        if not text.strip():
            continue
        values = text.split("\t")
        # WoS ends every record line with a tab in some exports (the "All Databases" variant).
        if len(values) == width + 1 and values[-1] == "":
            values.pop()
        if len(values) != width:
            raise WosFormatError(
                f"{path}: line {line_number}: {len(values)} tab-separated fields but the header has {width}. "
                "The file is truncated or was edited (a tab or line break inside a field); re-export it "
                "from Web of Science as 'Tab delimited file' and land it again."
            )
        seq += 1
        fields = dict(zip(header, values, strict=True))
        yield RawRecord(seq, line_number, fields, split_c1_field(fields.get("C1", "")))
