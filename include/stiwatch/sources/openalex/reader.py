"""Read OpenAlex works into a DuckDB table ``works`` with an explicit, projected schema.

DuckDB parses the JSON (gzip or not) and keeps only the fields below: no per-record Python, no pandas.
The schema is the union of the 2022 and the current work shapes, so a key that one schema lacks
(``topics`` and ``primary_topic`` before 2024, ``host_venue`` after 2023, ``authorships[].countries``
before 2023) comes out NULL instead of failing. ``keywords`` had ``keyword`` before it had
``display_name``; both are read.

``works`` has one row per record with ``record_seq`` (1-based position in the file), the normalised
columns of the ``publications`` lake table, ``affiliations`` (the work's affiliation rows as a flat list,
in lake order) and the ``primary_topic`` and ``topics`` that the category query unnests. The file is
parsed once. Building the affiliation list per work with list functions, instead of unnesting the nested
authorships in lateral joins later, roughly halved the ingest time (docs/BENCHMARKS.md).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from stiwatch import duckdb_resources
from stiwatch.sources.openalex.errors import read_error
from stiwatch.sources.openalex.sniff import (
    API_PAGE,
    JSONL,
    LIST,
    MAX_OBJECT_BYTES,
    OpenAlexFormatError,
    Sniffed,
)

_NAMED_ID = "STRUCT(id VARCHAR, display_name VARCHAR)"
_TOPIC = f"STRUCT(id VARCHAR, display_name VARCHAR, subfield {_NAMED_ID})"
_INSTITUTION = "STRUCT(id VARCHAR, display_name VARCHAR, ror VARCHAR, country_code VARCHAR)"
WORK_TYPE = f"""STRUCT(
    id VARCHAR,
    doi VARCHAR,
    title VARCHAR,
    display_name VARCHAR,
    publication_year INTEGER,
    type VARCHAR,
    updated_date VARCHAR,
    primary_location STRUCT(source STRUCT(display_name VARCHAR)),
    host_venue STRUCT(display_name VARCHAR),
    keywords STRUCT(display_name VARCHAR, keyword VARCHAR)[],
    authorships STRUCT(institutions {_INSTITUTION}[], countries VARCHAR[])[],
    primary_topic {_TOPIC},
    topics {_TOPIC}[]
)"""

_COMMON = "compression = $compression, hive_partitioning = false, maximum_object_size = $max_object"
# One source relation per format, each giving (record_seq, work).
_RAW_SQL = {
    JSONL: f"""
        SELECT row_number() OVER () AS record_seq, work
        FROM read_json($path, format = 'newline_delimited', records = false,
                       columns = {{'work': '{WORK_TYPE}'}}, {_COMMON})""",
    LIST: f"""
        SELECT row_number() OVER () AS record_seq, work
        FROM read_json($path, format = 'array', records = false,
                       columns = {{'work': '{WORK_TYPE}'}}, {_COMMON})""",
    API_PAGE: f"""
        SELECT r.record_seq, r.work
        FROM read_json($path, format = 'auto', columns = {{'results': '{WORK_TYPE}[]'}}, {_COMMON}) AS page,
             unnest(page.results) WITH ORDINALITY AS r(work, record_seq)""",
}

# DOIs arrive as https://doi.org/10.x (current), http://dx.doi.org/... or doi:10.x (older tools).
_DOI_PREFIX = r"^\s*(https?://(dx\.)?doi\.org/|doi:)"

# One authorship -> its affiliation rows: one per institution; with no institution (NULL or []), one per
# `countries` entry; with neither, none. NULL list elements are skipped, as JSON nulls carry no place.
_AFFILIATION = (
    "STRUCT(organisation VARCHAR, institution_id VARCHAR, ror VARCHAR, country_raw VARCHAR, "
    "country_basis VARCHAR)"
)
_AFFILIATIONS_OF_AUTHORSHIP = f"""
    CASE WHEN coalesce(len(a.institutions), 0) = 0
    THEN list_transform(
        list_filter(a.countries, lambda c: c IS NOT NULL),
        lambda c: {{'organisation': NULL, 'institution_id': NULL, 'ror': NULL,
                   'country_raw': c, 'country_basis': 'authorship_countries'}}::{_AFFILIATION})
    ELSE list_transform(
        list_filter(a.institutions, lambda i: i IS NOT NULL),
        lambda i: {{'organisation': i.display_name,
                   'institution_id': nullif(regexp_extract(i.id, '(I\\d+)$', 1), ''),
                   'ror': i.ror, 'country_raw': i.country_code,
                   'country_basis': 'institution'}}::{_AFFILIATION})
    END"""

_WORKS_SELECT = f"""
    CREATE TEMP TABLE works AS
    SELECT
        record_seq::INTEGER AS record_seq,
        work.id AS raw_id,
        nullif(regexp_extract(work.id, '(W\\d+)$', 1), '') AS record_id,
        work.publication_year AS pub_year,
        nullif(lower(trim(regexp_replace(work.doi, '{_DOI_PREFIX}', '', 'i'))), '') AS doi,
        coalesce(work.display_name, work.title) AS title,
        coalesce(work.primary_location.source.display_name, work.host_venue.display_name) AS source_title,
        work.type AS doc_type,
        nullif(array_to_string(
            list_filter(list_transform(work.keywords, lambda k: coalesce(k.display_name, k.keyword)),
                        lambda label: label IS NOT NULL AND label <> ''),
            '; '), '') AS keywords,
        coalesce(try_cast(left(work.updated_date, 10) AS DATE), $folder_date::DATE) AS updated_date,
        coalesce(flatten(list_transform(list_filter(work.authorships, lambda a: a IS NOT NULL),
                                        lambda a: {_AFFILIATIONS_OF_AUTHORSHIP})),
                 []::{_AFFILIATION}[]) AS affiliations,
        work.primary_topic AS primary_topic,
        work.topics AS topics
    FROM"""


def _works_sql(raw: str) -> str:
    """CREATE the ``works`` table from ``raw``, a relation of (record_seq, work)."""
    return f"{_WORKS_SELECT} ({raw})"


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the memory limit and threads of the settings (``STIWATCH_DUCKDB_*``).

    Read from the environment here because the parser interface takes paths, not ``Settings``; every
    caller (DAG task, CLI, benchmark) runs with the same environment its ``Settings`` came from (and
    validated).
    """
    return duckdb.connect(config=duckdb_resources.connect_config())


def load_works(con: duckdb.DuckDBPyConnection, path: Path, sniffed: Sniffed, folder_date: date | None) -> int:
    """Create the temp table ``works`` from one file; return its row count.

    ``folder_date`` (from an ``updated_date=YYYY-MM-DD`` folder) fills ``updated_date`` only for records
    that lack their own value: a record's own timestamp is exact, the partition date is a day bucket.
    """
    sql = _works_sql(_RAW_SQL[sniffed.format])
    params = {
        "path": str(path),
        "compression": sniffed.compression,
        "max_object": MAX_OBJECT_BYTES,
        "folder_date": folder_date,
    }
    try:
        con.execute(sql, params)
    except duckdb.Error as exc:
        raise read_error(path, sniffed.format, sniffed.compression, sniffed.format == JSONL, exc) from exc
    _check_work_ids(con, path)
    return con.execute("SELECT count(*) FROM works").fetchone()[0]


def create_empty_works(con: duckdb.DuckDBPyConnection) -> None:
    """An empty ``works`` table, so a file without works (merged ids) still writes typed empty parts."""
    raw = f"SELECT NULL::INTEGER AS record_seq, NULL::{WORK_TYPE} AS work WHERE FALSE"
    con.execute(_works_sql(raw), {"folder_date": None})


def _check_work_ids(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    bad = con.execute(
        "SELECT record_seq, raw_id FROM works WHERE record_id IS NULL ORDER BY record_seq LIMIT 1"
    ).fetchone()
    if bad:
        record_seq, raw_id = bad
        raise OpenAlexFormatError(
            f"{path}: record {record_seq} has id {raw_id!r}, not an OpenAlex work id (W…). This ingest reads "
            "works only: remove files of other entities (authors, institutions, ...) from the landing folder"
        )
