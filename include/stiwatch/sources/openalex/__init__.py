"""OpenAlex works (snapshot files, saved API pages, merged ids) -> lake tables.

``SPEC`` is what the rest of the pipeline knows about OpenAlex (``stiwatch.sources.registry``); the parser
is ``stiwatch.sources.openalex.ingest``, the API client ``stiwatch.sources.openalex.client``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from stiwatch.sources.openalex.errors import OpenAlexFormatError
from stiwatch.sources.spec import SourceSpec

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["SPEC", "OpenAlexFormatError", "ingest_file"]


def ingest_file(path: Path, relative_path: str, snapshot_id: str, lake_dir: Path) -> dict[str, Any]:
    """Parse one OpenAlex landing file into the lake; return its manifest fields."""
    # Imported on use (duckdb), like the schemas below: the registry is imported while DAG files are parsed.
    from stiwatch.sources.openalex.ingest import ingest_file as ingest

    return ingest(path, relative_path, snapshot_id, lake_dir)


def _arrow_schemas() -> dict[str, pa.Schema]:
    from stiwatch import lake_schema
    from stiwatch.sources.openalex.merged import MERGED_IDS_SCHEMA

    return {**lake_schema.TABLES, "merged_ids": MERGED_IDS_SCHEMA}


# API pulls and new updated_date= partitions arrive as increments (deltas) on a full snapshot.
SPEC = SourceSpec(
    name="openalex",
    tables=("publications", "affiliations", "categories", "merged_ids"),
    load_schemas=_arrow_schemas,
    ingest_file=ingest_file,
    supports_deltas=True,
)
