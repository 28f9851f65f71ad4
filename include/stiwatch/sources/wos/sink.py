"""Write the three lake tables of one landing file in a single streaming pass.

Rows are buffered per table and flushed as Arrow record batches; each table goes to a temporary file that
is moved into place only when the whole landing file parsed (``stiwatch.atomic_io.atomic_path``), so a parse
error never leaves a partial part behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from stiwatch import atomic_io, lake_schema, layout

SOURCE = "wos"
BATCH_ROWS = 5000


class TableSink:
    def __init__(self, writer: pq.ParquetWriter, schema: pa.Schema) -> None:
        self._writer, self._schema = writer, schema
        self._rows: list[dict[str, Any]] = []
        self.rows_written = 0

    def add(self, rows: list[dict[str, Any]]) -> None:
        self._rows.extend(rows)
        if len(self._rows) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if self._rows:
            self._writer.write_batch(pa.RecordBatch.from_pylist(self._rows, schema=self._schema))
            self.rows_written += len(self._rows)
            self._rows = []


@contextmanager
def lake_parts(lake_dir: Path, snapshot_id: str, relative_path: str) -> Iterator[dict[str, TableSink]]:
    """Yield one sink per lake table; on success every part is published, on error none is."""
    with ExitStack() as stack:
        sinks = {}
        for table, schema in lake_schema.TABLES.items():
            final = layout.part_path(lake_dir, SOURCE, snapshot_id, table, relative_path)
            tmp = stack.enter_context(atomic_io.atomic_path(final))
            writer = stack.enter_context(pq.ParquetWriter(tmp, schema, compression="zstd"))
            sinks[table] = TableSink(writer, schema)
        yield sinks
        for sink in sinks.values():
            sink.flush()
