"""OpenAlex ingest: one landing file -> Parquet parts of publications, affiliations, categories, merged_ids.

Formats are recognised from content (``sniff``): snapshot JSON lines (``updated_date=YYYY-MM-DD/part_000.gz``
or plain ``.jsonl``), saved API pages (``{"meta", "results"}``, as written by ``client.pull_works``), the
2022-schema JSON array of works, and ``merged_ids/works/*.csv(.gz)``. Every file writes a part of every
table (empty when it has no such rows), so a snapshot always has all four tables.

``updated_date`` comes from the record; only a record without one takes the date of its
``updated_date=YYYY-MM-DD`` snapshot folder. Deduplication across partitions (latest ``updated_date``
wins) and dropping merged ids are done in dbt staging, not here.
"""

from __future__ import annotations

import re
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from stiwatch import atomic_io, layout
from stiwatch.sources.openalex import merged, reader, tables
from stiwatch.sources.openalex.sniff import MERGED_IDS, SNAPSHOT_MANIFEST, sniff

SOURCE = "openalex"
_FOLDER_DATE_RE = re.compile(r"(?:^|/)updated_date=(\d{4}-\d{2}-\d{2})/")


def folder_updated_date(relative_path: str) -> date | None:
    """The date of an ``updated_date=YYYY-MM-DD/`` snapshot partition folder in the path, if any."""
    match = _FOLDER_DATE_RE.search(relative_path)
    return date.fromisoformat(match.group(1)) if match else None


def _stats(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    works_without_country, records_without_year = con.execute(
        """
        SELECT count(*) FILTER (WHERE len(affiliations) = 0),  -- no affiliation row (reader: never NULL)
               count(*) FILTER (WHERE pub_year IS NULL)
        FROM works
        """
    ).fetchone()
    return {"works_without_country": works_without_country, "records_without_year": records_without_year}


def _write_parts(
    con: duckdb.DuckDBPyConnection, relative_path: str, snapshot_id: str, lake_dir: Path
) -> None:
    """COPY every lake table to its part; all parts are moved into place only if every COPY succeeded."""
    queries = {
        "publications": tables.PUBLICATIONS_SQL,
        "affiliations": tables.AFFILIATIONS_SQL,
        "categories": tables.CATEGORIES_SQL,
        "merged_ids": merged.MERGED_IDS_SQL,
    }
    params = {"snapshot_id": snapshot_id, "source_file": relative_path}
    with ExitStack() as stack:
        for table, sql in queries.items():
            final = layout.part_path(lake_dir, SOURCE, snapshot_id, table, relative_path)
            tmp = stack.enter_context(atomic_io.atomic_path(final))
            # COPY cannot take the target as a parameter; the temp name is ours (hex uuid), quotes doubled.
            target = str(tmp).replace("'", "''")
            used = {name: value for name, value in params.items() if f"${name}" in sql}
            con.execute(f"COPY ({sql}) TO '{target}' (FORMAT parquet, COMPRESSION zstd)", used)


def _snapshot_manifest_summary(path: Path, compression: str) -> dict[str, Any]:
    """What a snapshot's own manifest promises: the part files it lists and their record counts.

    Kept in our manifest so the ingested record count can be compared with what OpenAlex delivered.
    """
    with duckdb.connect() as con:
        listed_files, listed_records = con.execute(
            """
            SELECT count(*), sum(CAST(entry.meta.record_count AS BIGINT))
            FROM (SELECT unnest(entries) AS entry
                  FROM read_json(
                      ?, compression = ?, format = 'auto',
                      columns = {entries: 'STRUCT(url VARCHAR, meta STRUCT(record_count BIGINT))[]'}))
            """,
            [str(path), compression],
        ).fetchone()
    return {"listed_files": listed_files, "listed_records": int(listed_records or 0)}


def ingest_file(path: Path, relative_path: str, snapshot_id: str, lake_dir: Path) -> dict[str, Any]:
    """Parse one OpenAlex landing file into the lake; return its manifest fields."""
    sniffed = sniff(path)
    if sniffed.format == SNAPSHOT_MANIFEST:
        # Metadata, not works: recorded (with its promised counts), no lake rows.
        summary = _snapshot_manifest_summary(path, sniffed.compression)
        return {"records": 0, "format": SNAPSHOT_MANIFEST, **summary}
    with reader.connect() as con:
        con.execute("SET enable_progress_bar = false")  # keep task logs free of progress bars
        if sniffed.format == MERGED_IDS:
            records = merged.load_merged_ids(con, path, sniffed)
            reader.create_empty_works(con)
        else:
            records = reader.load_works(con, path, sniffed, folder_updated_date(relative_path))
            merged.create_empty_merged_ids(con)
        stats = _stats(con)
        _write_parts(con, relative_path, snapshot_id, lake_dir)
    return {"records": records, "format": sniffed.format, **stats}
