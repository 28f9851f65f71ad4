"""A small warehouse made directly with DuckDB (no dbt): two snapshots of one source, one PATSTAT edition."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from stiwatch.config import Settings

# Version 1 of the warehouse: 3 + 2 + 1 + 3 + 1 rows in the marts, plus tables BI must not get. dim_snapshot
# holds the snapshots and settings of the facts (NULL: a setting that does not shape the source).
WAREHOUSE_V1 = """
create table fct_region_output as select * from (values
    ('wos', '2024-01-10_a', date '2024-01-10', false, 2022, 'CN', 10, 'v1'),
    ('wos', '2025-03-01_b', date '2025-03-01', true, 2022, 'CN', 12, 'v1'),
    ('wos', '2025-03-01_b', date '2025-03-01', true, 2023, 'CN', 15, 'v1')
) t(source, snapshot_id, snapshot_as_of, is_current_snapshot, pub_year, region, publications, scope_version);
create table fct_copatent_output as select * from (values
    ('patstat', '2024_autumn', date '2024-08-01', true, 2020, 'CN-EU27/AC', 4, false),
    ('patstat', '2024_autumn', date '2024-08-01', true, 2021, 'CN-EU27/AC', 5, false)
) t(source, edition_id, edition_as_of, is_current_edition, filing_year, region_pair, copatent_families,
    include_utility_models);
create table dim_country as select 'DE' as country_code, 'EU27/AC' as region;
create table dim_snapshot as select * from (values
    ('wos', '2024-01-10_a', date '2024-01-10', false, 500, 'v1', null),
    ('wos', '2025-03-01_b', date '2025-03-01', true, 700, 'v1', null),
    ('patstat', '2024_autumn', date '2024-08-01', true, 9000, null, false)
) t(source, snapshot_id, snapshot_as_of, is_current, snapshot_records, scope_version, include_utility_models);
create table dq_results as select 'expect_rows' as expectation, true as success;
create table int_not_a_mart as select 1 as x;
create view stg_not_a_mart as select 1 as x;
"""

EXPECTED_MARTS = {"dim_country", "dim_snapshot", "dq_results", "fct_copatent_output", "fct_region_output"}


def run_sql(warehouse: Path, sql: str) -> None:
    with duckdb.connect(str(warehouse)) as con:
        con.execute(sql)


@pytest.fixture
def warehouse(settings: Settings) -> Path:
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    run_sql(settings.warehouse_path, WAREHOUSE_V1)
    return settings.warehouse_path
