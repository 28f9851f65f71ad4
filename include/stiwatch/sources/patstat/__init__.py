"""PATSTAT Global editions: delivered zipped CSV table parts -> lake Parquet (docs/ARCHITECTURE.md).

``SPEC`` is what the rest of the pipeline knows about PATSTAT (``stiwatch.sources.registry``): the parser
``stiwatch.sources.patstat.ingest`` maps over the files of an edition
(``landing/patstat/<edition_id>/tls201_part01.zip`` ...); ``edition_as_of`` dates an edition from its id.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from stiwatch.sources.patstat.edition import as_of_from_edition_name, edition_as_of, write_edition_meta
from stiwatch.sources.patstat.schema import LAKE_COLUMNS, lake_schema
from stiwatch.sources.spec import SourceSpec

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["SPEC", "edition_as_of", "ingest_file", "write_edition_meta"]


def ingest_file(path: Path, relative_path: str, snapshot_id: str, lake_dir: Path) -> dict[str, Any]:
    """Parse one PATSTAT table part into the lake; return its manifest fields."""
    # Imported on use (pyarrow): the registry is imported while DAG files are parsed.
    from stiwatch.sources.patstat.ingest import ingest_file as ingest

    return ingest(path, relative_path, snapshot_id, lake_dir)


def _arrow_schemas() -> dict[str, pa.Schema]:
    return {table: lake_schema(table) for table in LAKE_COLUMNS}


# An edition is always the whole database: no deltas. Its id names its as-of date (2023_autumn).
SPEC = SourceSpec(
    name="patstat",
    tables=tuple(LAKE_COLUMNS),
    load_schemas=_arrow_schemas,
    ingest_file=ingest_file,
    as_of_from_id=as_of_from_edition_name,
)
