"""Web of Science ingest: one export (tab-delimited or field-tagged plain text) -> lake tables.

``ingest_file`` (reached through ``stiwatch.sources.wos.SPEC``) reads one landing file in a single
streaming pass and writes its parts of ``publications``, ``affiliations`` and ``categories``.
"""

from __future__ import annotations

import itertools
import logging
from pathlib import Path
from typing import Any

from .encoding import open_text
from .formats import TAB, sniff_format
from .records import map_record
from .sink import lake_parts
from .tab import read_tab_records
from .tagged import read_tagged_records

log = logging.getLogger(__name__)


def ingest_file(path: Path, relative_path: str, snapshot_id: str, lake_dir: Path) -> dict[str, Any]:
    """Parse one WoS export into the lake; return its manifest fields."""
    records = without_addresses = without_year = 0
    with open_text(path) as text:
        first = next(text.lines, "")
        fmt = sniff_format(first, path)
        reader = read_tab_records if fmt == TAB else read_tagged_records
        with lake_parts(lake_dir, snapshot_id, relative_path) as sinks:
            for raw in reader(itertools.chain([first], text.lines), path):
                mapped = map_record(raw, path, snapshot_id, relative_path)
                sinks["publications"].add([mapped.publication])
                sinks["affiliations"].add(mapped.affiliations)
                sinks["categories"].add(mapped.categories)
                records += 1
                without_addresses += not mapped.addresses
                without_year += mapped.publication["pub_year"] is None
    return {
        "records": records,
        "format": fmt,
        "encoding": text.encoding,
        "compression": text.compression,
        "records_without_addresses": without_addresses,
        "records_without_year": without_year,
    }
