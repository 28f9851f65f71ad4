"""The mart comparison the parity and incremental tests rely on catches what it must, and only that."""

from __future__ import annotations

import duckdb
import pytest

from warehouse_compare import assert_same_catalogs


def _catalogs(first_rows: str, second_rows: str, second_type: str = "double") -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for name, rows, value_type in (("a", first_rows, "double"), ("b", second_rows, second_type)):
        con.execute(f"attach ':memory:' as {name}")
        con.execute(
            f"""create table {name}.fct_x as
                select k, cast(v as {value_type}) as v, built_at from (values {rows}) as t(k, v, built_at)"""
        )
    return con


def test_equal_rows_up_to_nine_significant_digits_and_build_stamps_pass() -> None:
    con = _catalogs(
        "('a', 123456.7891, now()), ('b', 0.0, now())",
        "('a', 123456.78910004, now() - interval 1 day), ('b', 0.0, now())",
    )
    assert assert_same_catalogs(con, "a", "b") == ["fct_x"]


@pytest.mark.parametrize(
    ("second", "second_type"),
    [
        ("('a', 123456.8, now()), ('b', 0.0, now())", "double"),  # the 7th significant digit differs
        ("('a', 123456.7891, now()), ('b', 0.0, now()), ('b', 0.0, now())", "double"),  # a duplicate row
        ("('a', 123456.7891, now())", "double"),  # a missing row
        ("('a', 123456.7891, now()), ('b', 0.0, now())", "decimal(18, 4)"),  # same values, another type
    ],
)
def test_a_differing_row_or_type_fails(second: str, second_type: str) -> None:
    con = _catalogs("('a', 123456.7891, now()), ('b', 0.0, now())", second, second_type)
    with pytest.raises(AssertionError):
        assert_same_catalogs(con, "a", "b")
