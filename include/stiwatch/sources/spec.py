"""What the pipeline knows about one source, in one place (``stiwatch.sources.registry`` collects them).

Each ``stiwatch.sources.<name>`` package exports its ``SPEC``; landing, ingest, quality, the CLI, the bench
and the dbt vars read these facts from the registry instead of keeping their own lists. A spec is light:
the DAG files import the registry while Airflow parses them, so the parsers and the Arrow schemas (pyarrow,
duckdb) are imported only when called (``ingest_file``, ``arrow_schemas()``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

# (path, relative_path, snapshot_id, lake_dir) -> the file's manifest fields (records, format, ...)
IngestFile = Callable[[Path, str, str, Path], dict[str, Any]]


def _no_date_in_id(snapshot_id: str) -> date | None:
    return None


@dataclass(frozen=True)
class SourceSpec:
    """One source: ``landing/<name>/<snapshot_id>/`` -> ``lake/<name>/snapshot=<id>/<table>/``.

    - ``tables``: the lake tables, in the order the parts are written.
    - ``load_schemas``: returns lake table -> the Arrow schema its parts are written with (dbt staging
      declares the same columns; tests/sources/test_source_registry.py ties the two). ``None`` for
      reference data whose writer decides the shape (ROR, from the dump's JSON).
    - ``ingest_file``: parses one landing file into its parts of every table (``stiwatch.ingest``); ``None``
      for reference data, which has its own writer.
    - ``as_of_from_id``: the as-of date a snapshot id states beyond a leading ``YYYY-MM-DD`` (PATSTAT
      edition names such as ``2023_autumn``), or None. A ``_snapshot.json`` always wins.
    - ``supports_deltas``: deliveries may be increments (``"kind": "delta"``) on a full snapshot; False:
      every delivery is a whole corpus.
    - ``reference``: reference data for another step (ROR for the institution step), landed and written to
      the lake like a source but not counted in the marts.
    """

    name: str
    tables: tuple[str, ...]
    load_schemas: Callable[[], Mapping[str, pa.Schema]] | None = None
    ingest_file: IngestFile | None = None
    as_of_from_id: Callable[[str], date | None] = _no_date_in_id
    supports_deltas: bool = False
    reference: bool = False

    def __post_init__(self) -> None:
        if not self.reference and (self.ingest_file is None or self.load_schemas is None):
            raise ValueError(f"source {self.name!r}: a counted source needs ingest_file and load_schemas")

    def arrow_schemas(self) -> dict[str, pa.Schema]:
        """Lake table -> Arrow schema, in ``tables`` order (imports pyarrow)."""
        if self.load_schemas is None:
            raise ValueError(f"{self.name!r} is reference data: its writer decides the table shapes")
        schemas = self.load_schemas()
        if tuple(schemas) != self.tables:
            raise ValueError(f"source {self.name!r}: schemas for {tuple(schemas)}, tables {self.tables}")
        return dict(schemas)
