"""A short text summary of a refresh: the marts of the current serving release and where everything is.

Reads the serving release (what BI sees), never the file dbt writes, so it cannot compete with dbt for
the single DuckDB writer slot. Before the first publish it falls back to the warehouse, read through
stiwatch.warehouse_reader (either engine).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from stiwatch.config import Settings
from stiwatch.warehouse_reader import open_warehouse, warehouse


@contextmanager
def _marts(settings: Settings) -> Iterator[tuple[Any, str]]:
    """A connection whose current database holds the marts, and a label saying which one it is."""
    import duckdb

    from stiwatch.publish import current_release
    from stiwatch.publish.layout import SERVING_FILE

    release = current_release(settings)
    if release is not None:
        path = release / SERVING_FILE
        with duckdb.connect(str(path), read_only=True) as con:
            yield con, f"serving release: {path}"
        return
    built = warehouse(settings)
    built.require()
    with open_warehouse(settings) as con:
        yield con, f"warehouse (not yet published): {built.location}"


def _latest_pairs(con, table: str, key: str, year: str, value: str, current: str) -> list[str]:
    """The newest year's value per region pair of each source or edition (current snapshot only)."""
    rows = con.execute(
        f"""
        with latest as (select {key}, max({year}) as y from {table} where {current} group by {key})
        select t.{key}, t.{year}, t.region_pair, sum(t.{value})
        from {table} as t inner join latest on t.{key} = latest.{key} and t.{year} = latest.y
        where t.{current}
        group by all order by all
        """
    ).fetchall()
    lines, heading = [], None
    for group, y, pair, n in rows:
        if (group, y) != heading:
            lines.append(f"{group}, {y}:")
            heading = (group, y)
        lines.append(f"  {pair:<20} {n:>10,.0f}")
    return lines


def summarize(settings: Settings) -> str:
    from stiwatch.publish import current_release

    with _marts(settings) as (con, label):
        tables = [
            name
            for (name,) in con.execute(
                """select table_name from information_schema.tables
                   where table_catalog = current_database() and table_schema = current_schema()
                     and regexp_matches(table_name, '^(fct|dim|dq)_')
                   order by table_name"""
            ).fetchall()
        ]
        lines = [f"marts ({label}):"]
        for table in tables:
            (rows,) = con.execute(f'select count(*) from "{table}"').fetchone()
            lines.append(f"  {table:<32} {rows:>8,} rows")
        if "fct_region_pair_output" in tables:
            lines += ["", "co-publications in the newest year (current snapshot, by source):"]
            lines += _latest_pairs(
                con, "fct_region_pair_output", "source", "pub_year", "copublications", "is_current_snapshot"
            )
        if "fct_copatent_output" in tables:
            lines += ["", "co-patent families, applicant basis, newest filing year (current edition):"]
            lines += _latest_pairs(
                con,
                "(select * from fct_copatent_output where basis = 'applicant')",
                "edition_id",
                "filing_year",
                "copatent_families",
                "is_current_edition",
            )
        if "dq_year_completeness" in tables:
            flagged = con.execute(
                """select source, snapshot_id,
                          string_agg(cast(year as varchar), ', ' order by year) filter (where is_provisional),
                          string_agg(cast(year as varchar), ', ' order by year) filter (where is_incomplete)
                   from dq_year_completeness where is_current_snapshot group by all order by all"""
            ).fetchall()
            lines += ["", "years to read with care (current snapshots; see the quality report):"]
            lines += [
                f"  {source} {snapshot}: provisional {prov or '-'}; incomplete {inc or '-'}"
                for source, snapshot, prov, inc in flagged
            ]
        if "dq_state_plausibility" in tables:
            held = con.execute(
                "select source, snapshot_id, gate_note from dq_state_plausibility where is_held order by all"
            ).fetchall()
            if held:
                lines += ["", "deliveries held back (README: When a delivery is bad):"]
                lines += [f"  {source} {snapshot}: {note}" for source, snapshot, note in held]
        if "dq_quarantine" in tables:
            quarantined = con.execute(
                "select source, snapshot_id, rule, count(*) from dq_quarantine group by all order by all"
            ).fetchall()
            if quarantined:
                lines += ["", "records quarantined (kept out of the marts; table dq_quarantine):"]
                lines += [f"  {source} {snapshot}: {n:,} {rule}" for source, snapshot, rule, n in quarantined]
    release = current_release(settings)
    reports = settings.reports_dir
    lines += [
        "",
        f"warehouse:       {warehouse(settings).location}",
        f"lake:            {settings.lake_dir}",
        f"serving release: {release or 'none yet'}",
        f"figures report:  {reports / 'figures' / 'index.html'}",
        f"quality report:  {reports / 'quality' / 'summary.html'}",
        f"dbt docs:        {reports / 'dbt-docs' / 'index.html'}",
    ]
    return "\n".join(lines)
