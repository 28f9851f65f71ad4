"""Great Expectations over DuckDB (STACK.md trap 3).

GX 1.x has no DuckDB datasource; through duckdb-engine every expectation fails with
``MetricResolutionError: list index out of range`` (GX issues #10738, #11579) because GX opens a fresh
connection per metric. Registering DuckDB as a *persisted-connection* dialect makes GX keep one
connection, and expectations then evaluate for real (tests/quality plant bad rows that must fail).
"""

from __future__ import annotations

_registered = False


class _DuckDBDialect(str):
    # GX compares dialects by their `.value` (an enum in GX); a str with that attribute stands in.
    value = "duckdb"


def register_duckdb_dialect() -> None:
    """Idempotently add DuckDB to GX's persisted-connection dialects (call before building a context)."""
    global _registered
    if _registered:
        return
    import great_expectations.execution_engine.sqlalchemy_execution_engine as engine

    engine._PERSISTED_CONNECTION_DIALECTS = (
        *engine._PERSISTED_CONNECTION_DIALECTS,
        _DuckDBDialect("duckdb"),
    )
    _registered = True
