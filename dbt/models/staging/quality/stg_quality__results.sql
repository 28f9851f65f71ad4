-- The findings of every quality run kept under the data root (one Parquet file per run). Empty until the
-- quality step has run once.
with

source as (
    select * from {{ quality_results() }} as results
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
from source
