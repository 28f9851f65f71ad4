"""Comparing two built warehouses mart by mart (an incremental build against a full rebuild)."""

from __future__ import annotations

from pathlib import Path

import duckdb

# Columns that say when and by which run a row was built, not what it holds.
BUILD_COLUMNS = ("built_at", "dbt_invocation_id")


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def mart_tables(warehouse: Path) -> list[str]:
    return [
        name
        for (name,) in query(
            warehouse,
            """select table_name from information_schema.tables
               where regexp_matches(table_name, '^(fct|dim|dq)_') and table_name <> 'dq_results'""",
        )
    ]


def assert_same_marts(warehouse: Path, other: Path) -> None:
    """Every mart of ``warehouse`` holds the same rows as in ``other`` (EXCEPT ALL both ways)."""
    tables = mart_tables(other)
    assert tables, f"{other}: no marts"
    assert sorted(tables) == sorted(mart_tables(warehouse))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute(f"attach '{other}' as other (read_only)")
        for table in tables:
            # Fractional sums may differ in the last bits with the order of addition: doubles are rounded.
            select = ", ".join(
                f'round("{c}", 9)' if t in ("DOUBLE", "FLOAT") else f'"{c}"'
                for c, t in con.execute(f"select column_name, column_type from (describe {table})").fetchall()
                if c not in BUILD_COLUMNS
            )
            for first, second in ((table, f"other.{table}"), (f"other.{table}", table)):
                extra = con.execute(f"select {select} from {first} except all select {select} from {second}")
                assert extra.fetchall() == [], f"{table}: rows of {first} missing from {second}"
