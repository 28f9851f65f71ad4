-- One row per source, snapshot (PATSTAT: edition) and year: is the year's count complete?
-- The rules and thresholds are in int_year_completeness; this table is what BI, the quality report and
-- the Great Expectations suite read.
select
    cast(source as string) as source,
    cast(snapshot_id as string) as snapshot_id,
    cast(snapshot_as_of as date) as snapshot_as_of,
    cast(is_current_snapshot as boolean) as is_current_snapshot,
    cast(year as integer) as year,
    cast(observed_count as bigint) as observed_count,
    cast(expected_count as double) as expected_count,
    cast(completeness_ratio as double) as completeness_ratio,
    cast(newest_snapshot_id as string) as newest_snapshot_id,
    cast(newest_snapshot_count as bigint) as newest_snapshot_count,
    cast(cross_edition_ratio as double) as cross_edition_ratio,
    cast(is_provisional as boolean) as is_provisional,
    cast(is_below_expected as boolean) as is_below_expected,
    cast(is_below_newer_snapshot as boolean) as is_below_newer_snapshot,
    cast(is_incomplete as boolean) as is_incomplete,
    cast(completeness_note as string) as completeness_note,
    cast({{ float_var('completeness_ratio') }} as double) as completeness_ratio_threshold,
    cast({{ float_var('cross_edition_ratio') }} as double) as cross_edition_ratio_threshold,
    cast({{ int_var('patstat_lag_years') }} as integer) as patstat_lag_years,
    {{ mart_settings_columns() }}
from {{ ref('int_year_completeness') }}
