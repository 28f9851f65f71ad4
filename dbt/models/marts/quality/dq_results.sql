-- Every quality run's findings, one set of rows per run (chart quality over time). dbt builds it from
-- the quality step's Parquet files: `dbt build` picks up every earlier run, and the transform DAG (and
-- `stiwatch publish` / `stiwatch quality`) rebuild it with `--select +dq_results` right after the quality
-- step, so a published release holds the run that gated it.
with

results as (
    select * from {{ ref('stg_quality__results') }}
)

select
    run_id,
    suite,
    table_name,
    expectation,
    description,
    severity,
    success,
    observed_value,
    run_time
from results
