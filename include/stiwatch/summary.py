"""A short text summary of the marts, read from the warehouse opened read-only.

Read-only so that it never competes with dbt for the single DuckDB writer slot; it is run after the
transform, in its own process (one process may not open the same file with two configurations).
"""

from __future__ import annotations

from stiwatch.config import Settings

MARTS = ("fct_region_output", "fct_region_pair_output")


class WarehouseMissingError(FileNotFoundError):
    """The warehouse has not been built yet."""


def summarize(settings: Settings) -> str:
    import duckdb

    path = settings.warehouse_path
    if not path.exists():
        raise WarehouseMissingError(f"{path}: no warehouse yet; run `stiwatch refresh` (or `make run`) first")
    with duckdb.connect(str(path), read_only=True) as con:
        lines = [f"warehouse: {path}", f"lake:      {settings.lake_dir}", ""]
        for mart in MARTS:
            (rows,) = con.execute(f"select count(*) from {mart}").fetchone()
            lines.append(f"{mart}: {rows} rows")
        lines.append("")
        pair_rows = con.execute(
            """
            with latest as (
                select source, max(pub_year) as pub_year
                from fct_region_pair_output
                where is_current_snapshot
                group by source
            )
            select p.source, p.snapshot_id, p.pub_year, p.region_pair, p.copublications
            from fct_region_pair_output as p
            inner join latest using (source, pub_year)
            where p.is_current_snapshot
            order by p.source, p.region_pair
            """
        ).fetchall()
        current = None
        for source, snapshot_id, year, pair, n in pair_rows:
            if (source, year) != current:
                lines.append(f"{source} (snapshot {snapshot_id}), co-publications in {year}:")
                current = (source, year)
            lines.append(f"  {pair:<20} {n:>8}")
    return "\n".join(lines)
