"""The yardstick for the OpenAlex ingest: one bare DuckDB query over the same JSON-lines parts.

It reads every works part of a snapshot in one ``read_json`` with an explicit schema of only the fields
it needs and counts, per publication year, the pairs of distinct institution countries of each work (a
work with countries {CN, DE, US} has three pairs). That is the least any ingest must do: parse every
line. The ingest does more (all lake fields, four Parquet tables, the manifest), so
``ingest seconds / query seconds`` says how much it costs over the parse itself (issue 9: at most 1.3).
The query runs with the same DuckDB resources (memory limit, threads) as the ingest.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import duckdb

from stiwatch.config import Settings

_SCHEMA = (
    "STRUCT(publication_year INTEGER, authorships STRUCT(institutions STRUCT(country_code VARCHAR)[])[])"
)

PAIRS_PER_YEAR_SQL = f"""
    WITH work_countries AS (
        SELECT work.publication_year AS pub_year,
               list_distinct(flatten(list_transform(work.authorships,
                   lambda a: list_transform(a.institutions, lambda i: i.country_code)))) AS countries
        FROM read_json($paths, format = 'newline_delimited', records = false,
                       columns = {{'work': '{_SCHEMA}'}}, hive_partitioning = false)
    )
    SELECT pub_year, count(*) AS works, sum(len(countries) * (len(countries) - 1) // 2) AS country_pairs
    FROM work_countries
    GROUP BY pub_year
    ORDER BY pub_year
"""


def works_parts(snapshot_dir: Path) -> list[Path]:
    """The JSON-lines works parts of an OpenAlex snapshot folder (``works/updated_date=*/part_*``)."""
    return sorted(snapshot_dir.glob("works/updated_date=*/part_*"))


def pairs_per_year(settings: Settings, parts: list[Path]) -> tuple[list[tuple[Any, ...]], float]:
    """Run the bare query over ``parts``; return its rows (year, works, country pairs) and its seconds."""
    with duckdb.connect(config=settings.duckdb_config()) as con:
        con.execute("SET enable_progress_bar = false")
        started = time.perf_counter()
        rows = con.execute(PAIRS_PER_YEAR_SQL, {"paths": [str(p) for p in parts]}).fetchall()
        return rows, time.perf_counter() - started


def ingest_ratio(ingest_seconds: float, query_seconds: float) -> float | None:
    """How many times the bare query's time the ingest took (None when the query took no time)."""
    return round(ingest_seconds / query_seconds, 2) if query_seconds > 0 else None
