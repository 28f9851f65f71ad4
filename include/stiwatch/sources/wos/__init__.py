"""Web of Science exports (tab-delimited or field-tagged plain text) -> lake tables.

``SPEC`` is what the rest of the pipeline knows about WoS (``stiwatch.sources.registry``); the parser is
``stiwatch.sources.wos.ingest`` (one streaming pass per landing file, writing its parts of
``publications``, ``affiliations`` and ``categories``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from stiwatch.sources.spec import SourceSpec
from stiwatch.sources.wos.errors import WosFormatError

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["SPEC", "WosFormatError", "ingest_file"]


def ingest_file(path: Path, relative_path: str, snapshot_id: str, lake_dir: Path) -> dict[str, Any]:
    """Parse one WoS export into the lake; return its manifest fields."""
    # Imported on use, like the schemas below: the registry is imported while DAG files are parsed.
    from stiwatch.sources.wos.ingest import ingest_file as ingest

    return ingest(path, relative_path, snapshot_id, lake_dir)


def _arrow_schemas() -> dict[str, pa.Schema]:
    from stiwatch import lake_schema

    return lake_schema.TABLES


# An export is the result of one WoS query, always a whole corpus: no deltas.
SPEC = SourceSpec(
    name="wos",
    tables=("publications", "affiliations", "categories"),
    load_schemas=_arrow_schemas,
    ingest_file=ingest_file,
)
