"""Merged work ids of an OpenAlex snapshot (``merged_ids/works/*.csv(.gz)``) -> lake table ``merged_ids``.

OpenAlex merges duplicate works; a snapshot lists the merged-away id and the id it now lives under.
Dropping those ids happens in dbt staging; here the CSV is only normalised to short W ids.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from stiwatch.sources.openalex.errors import OpenAlexFormatError
from stiwatch.sources.openalex.sniff import Sniffed

_SHORT_W_ID = "nullif(regexp_extract({column}, '(W\\d+)$', 1), '')"

_MERGED_ROWS_SQL = f"""
    CREATE TEMP TABLE merged_rows AS
    SELECT
        row_number() OVER () + 1 AS line_no,
        id AS raw_id,
        merge_into_id AS raw_merge_into_id,
        {_SHORT_W_ID.format(column="id")} AS record_id,
        {_SHORT_W_ID.format(column="merge_into_id")} AS merge_into_id
    FROM read_csv($path, header = true, compression = $compression, hive_partitioning = false,
                  columns = {{'merge_date': 'VARCHAR', 'id': 'VARCHAR', 'merge_into_id': 'VARCHAR'}})
"""

_EMPTY_MERGED_ROWS_SQL = """
    CREATE TEMP TABLE merged_rows AS
    SELECT NULL::BIGINT AS line_no, NULL::VARCHAR AS raw_id, NULL::VARCHAR AS raw_merge_into_id,
           NULL::VARCHAR AS record_id, NULL::VARCHAR AS merge_into_id
    WHERE FALSE
"""

# The lake table merged_ids (written by COPY of MERGED_IDS_SQL, which casts to these types).
MERGED_IDS_SCHEMA = pa.schema(
    [("snapshot_id", pa.string()), ("record_id", pa.string()), ("merge_into_id", pa.string())]
)

MERGED_IDS_SQL = """
    SELECT $snapshot_id::VARCHAR AS snapshot_id, record_id::VARCHAR AS record_id,
           merge_into_id::VARCHAR AS merge_into_id
    FROM merged_rows ORDER BY line_no
"""


def load_merged_ids(con: duckdb.DuckDBPyConnection, path: Path, sniffed: Sniffed) -> int:
    """Create the temp table ``merged_rows`` from a merged-ids CSV; return its row count."""
    try:
        con.execute(_MERGED_ROWS_SQL, {"path": str(path), "compression": sniffed.compression})
    except duckdb.Error as exc:
        raise OpenAlexFormatError(
            f"{path}: cannot read it as a merged_ids CSV (merge_date,id,merge_into_id) ({exc}); "
            "re-copy the file from the snapshot"
        ) from exc
    bad = con.execute(
        "SELECT line_no, raw_id, raw_merge_into_id FROM merged_rows "
        "WHERE record_id IS NULL OR merge_into_id IS NULL ORDER BY line_no LIMIT 1"
    ).fetchone()
    if bad:
        raise OpenAlexFormatError(
            f"{path}: line {bad[0]} has id {bad[1]!r} -> {bad[2]!r}; both must be OpenAlex work ids (W…). "
            "Only merged_ids/works files belong here: remove merged ids of other entities"
        )
    return con.execute("SELECT count(*) FROM merged_rows").fetchone()[0]


def create_empty_merged_ids(con: duckdb.DuckDBPyConnection) -> None:
    """An empty ``merged_rows`` table, so a works file still writes a typed empty ``merged_ids`` part."""
    con.execute(_EMPTY_MERGED_ROWS_SQL)
