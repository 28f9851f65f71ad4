"""Airflow pools stiwatch relies on (created by ``stiwatch setup``)."""

# One slot: DuckDB allows a single writer process per database file, so every task that writes the
# warehouse takes this pool and they never overlap.
WAREHOUSE_POOL = "duckdb_writer"
