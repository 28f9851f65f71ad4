"""Comparing two built warehouses mart by mart (an incremental build against a full rebuild, or the
DuckDB build against the Spark one), both attached to one DuckDB connection."""

from __future__ import annotations

from pathlib import Path

import duckdb

# Columns that say when and by which run a row was built, not what it holds.
BUILD_COLUMNS = ("built_at", "dbt_invocation_id")

# Fractional sums may differ in the last bits with the order of addition (threads, engines): doubles are
# compared to this many significant digits.
SIGNIFICANT_DIGITS = 9


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def mart_tables(warehouse: Path) -> list[str]:
    """The marts of a warehouse file (see catalog_marts)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return catalog_marts(con, con.execute("select current_database()").fetchone()[0])


def catalog_marts(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    """The marts (fct_, dim_, dq_ tables but dq_results, which holds run-specific findings) of a catalog."""
    return [
        name
        for (name,) in con.execute(
            """select table_name from information_schema.tables
               where table_catalog = ? and regexp_matches(table_name, '^(fct|dim|dq)_')
                 and table_name <> 'dq_results'
               order by table_name""",
            [catalog],
        ).fetchall()
    ]


def columns(con: duckdb.DuckDBPyConnection, catalog: str, table: str) -> list[tuple[str, str]]:
    """[(column, DuckDB type)] of a table, in order."""
    return con.execute(
        """select column_name, data_type from information_schema.columns
           where table_catalog = ? and table_name = ? order by ordinal_position""",
        [catalog, table],
    ).fetchall()


def _compared(name: str, data_type: str) -> str:
    quoted = f'"{name}"'
    if data_type not in ("DOUBLE", "FLOAT"):
        return quoted
    digits = f"{SIGNIFICANT_DIGITS - 1} - cast(floor(log10(abs({quoted}))) as integer)"
    exact = f"{quoted} = 0 or not isfinite({quoted})"
    return f"case when {exact} then {quoted} else round({quoted}, {digits}) end"


def differing_rows(con: duckdb.DuckDBPyConnection, first: str, second: str, table: str) -> tuple[int, int]:
    """(rows of first missing from second, rows of second missing from first), EXCEPT ALL both ways over the
    columns of first's table but the build stamps."""
    compared = [
        (name, data_type) for name, data_type in columns(con, first, table) if name not in BUILD_COLUMNS
    ]
    select = ", ".join(_compared(name, data_type) for name, data_type in compared)
    counts = []
    for a, b in ((first, second), (second, first)):
        rows = f"select {select} from {a}.{table} except all select {select} from {b}.{table}"
        counts.append(con.execute(f"select count(*) from ({rows})").fetchone()[0])
    return counts[0], counts[1]


def assert_same_catalogs(con: duckdb.DuckDBPyConnection, first: str, second: str) -> list[str]:
    """The two attached catalogs hold the same marts, with the same columns, types and rows; return them."""
    tables = catalog_marts(con, first)
    assert tables, f"{first}: no marts"
    assert tables == catalog_marts(con, second)
    for table in tables:
        assert columns(con, first, table) == columns(con, second, table), table
        missing, extra = differing_rows(con, first, second, table)
        assert (missing, extra) == (0, 0), (
            f"{table}: {missing} rows only in {first}, {extra} only in {second}"
        )
    return tables


def assert_same_marts(warehouse: Path, other: Path) -> None:
    """Every mart of the warehouse file ``warehouse`` holds the same rows as in ``other``."""
    with duckdb.connect() as con:
        con.execute(f"attach '{warehouse}' as first (read_only)")
        con.execute(f"attach '{other}' as second (read_only)")
        assert_same_catalogs(con, "first", "second")
