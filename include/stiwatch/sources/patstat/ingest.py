"""Stream one delivered PATSTAT table part into the lake.

The CSV is read straight out of the zip with ``pyarrow.csv.open_csv`` in record batches, typed from the
schema file and limited to the columns the marts use; nothing holds a whole table in memory. Values are
stored as delivered (a blank country stays ``'  '``: staging maps it to UNKNOWN), except ``granted``, which
is Y/N in current editions and 0/1 in older ones and is stored as a boolean.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pacsv

from stiwatch import atomic_io, layout
from stiwatch.sources.patstat.files import (
    ARCHIVE_ERRORS,
    PatstatFileError,
    archive_damage,
    damaged_archive_error,
    open_csv_stream,
    table_number,
    used_table,
)
from stiwatch.sources.patstat.schema import LAKE_COLUMNS, OPTIONAL_COLUMNS, arrow_type, lake_schema

log = logging.getLogger(__name__)

SOURCE = "patstat"
FORMAT = "patstat_csv"
_BLOCK_SIZE = 16 << 20  # bytes of CSV per record batch: bounded memory on multi-GB parts
_GRANTED_TRUE = ("Y", "1")
_GRANTED_FALSE = ("N", "0")


def read_header(path: Path) -> list[str]:
    """The column names of a delivered file (lower case, as the schema spells them)."""
    with open_csv_stream(path) as stream:
        first_line = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="").readline()
    if not first_line.strip():
        raise PatstatFileError(f"{path}: empty file, no header line; re-download this part from EPO")
    return [name.strip().lower() for name in next(csv.reader([first_line]))]


def _normalise_granted(values: pa.Array, path: Path, first_record: int) -> pa.Array:
    text = pc.utf8_upper(pc.utf8_trim_whitespace(values))
    known = pc.or_(pc.is_in(text, pa.array(_GRANTED_TRUE + _GRANTED_FALSE + ("",))), pc.is_null(text))
    if not pc.all(known).as_py():
        bad = pc.index(known, False).as_py()
        raise PatstatFileError(
            f"{path}, record {first_record + bad}: granted={values[bad].as_py()!r}, expected Y/N or 1/0; "
            "check the file is a tls201 part of a PATSTAT edition"
        )
    is_true = pc.is_in(text, pa.array(_GRANTED_TRUE))
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.bool_()), is_true)


def _lake_batches(
    path: Path, relative_path: str, snapshot_id: str, table: str, header: list[str]
) -> Iterator[pa.RecordBatch]:
    schema = lake_schema(table)
    present = [c for c in LAKE_COLUMNS[table] if c in header]
    column_types = {c: pa.string() if c == "granted" else arrow_type(table, c) for c in present}
    first_record = 1
    with open_csv_stream(path) as stream:
        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1, block_size=_BLOCK_SIZE),
            # Person names and addresses may hold quoted line breaks.
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=column_types, include_columns=present, strings_can_be_null=False
            ),
        )
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                return
            except pa.ArrowInvalid as exc:
                raise PatstatFileError(
                    f"{path}, after record {first_record - 1}: {exc}. The file does not match the PATSTAT "
                    f"{table} layout (types from the 2025 Autumn schema); check the edition and the part"
                ) from exc
            n = batch.num_rows
            arrays = [pa.repeat(snapshot_id, n), pa.repeat(relative_path, n)]
            for field in schema:
                if field.name in ("snapshot_id", "source_file"):
                    continue
                if field.name not in present:
                    arrays.append(pa.nulls(n, field.type))
                elif field.name == "granted":
                    arrays.append(_normalise_granted(batch.column("granted"), path, first_record))
                else:
                    arrays.append(batch.column(field.name))
            first_record += n
            yield pa.RecordBatch.from_arrays(arrays, schema=schema)


def ingest_file(path: Path, relative_path: str, snapshot_id: str, lake_dir: Path) -> dict[str, Any]:
    """Ingest one table part of an edition; return its manifest fields.

    A part of a PATSTAT table the marts do not use (tls202, tls211, ...) is skipped explicitly: nothing is
    read, and the manifest entry says so. A file that is no PATSTAT table at all is an error. Whatever
    fails while reading, a damaged archive is named as such (not as a layout problem it caused).
    """
    try:
        return _ingest_part(path, relative_path, snapshot_id, lake_dir)
    except (PatstatFileError, UnicodeDecodeError, pa.ArrowInvalid, *ARCHIVE_ERRORS) as exc:
        damage = archive_damage(path)
        if damage is not None:
            raise damaged_archive_error(path, damage) from exc
        if isinstance(exc, PatstatFileError):
            raise
        raise PatstatFileError(
            f"{path}: cannot be read as UTF-8 CSV ({type(exc).__name__}: {exc}); check the file is a "
            "PATSTAT table part and download it again from EPO"
        ) from exc


def _ingest_part(path: Path, relative_path: str, snapshot_id: str, lake_dir: Path) -> dict[str, Any]:
    table = used_table(path)
    if table is None:
        log.info("%s: PATSTAT table %s is not used by the co-patent marts; skipped", path, table_number(path))
        return {"records": 0, "format": FORMAT, "table": table_number(path), "skipped": "table not used"}
    header = read_header(path)
    missing = [c for c in LAKE_COLUMNS[table] if c not in header]
    required_missing = [c for c in missing if c not in OPTIONAL_COLUMNS.get(table, frozenset())]
    if required_missing:
        raise PatstatFileError(
            f"{path}: header lacks {', '.join(required_missing)} needed for {table} "
            f"(header: {', '.join(header[:12])}...); check the file is a {table} part"
        )
    records = atomic_io.write_batches_atomic(
        _lake_batches(path, relative_path, snapshot_id, table, header),
        lake_schema(table),
        layout.part_path(lake_dir, SOURCE, snapshot_id, table, relative_path),
    )
    return {"records": records, "format": FORMAT, "table": table, "columns_missing": missing}
