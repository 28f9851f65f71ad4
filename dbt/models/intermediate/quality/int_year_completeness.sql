-- Completeness of each year of each snapshot (METHOD.md "Completeness"; thresholds are vars, see
-- dbt_project.yml and the model docs of dq_year_completeness):
-- 1. structural: PATSTAT filing year Y of an edition with as-of year A is provisional when
--    Y >= A - patstat_lag_years (2023 Autumn: 2021, 2022 and 2023); a publication snapshot's as-of year
--    (and any later year) is provisional.
-- 2. empirical: Y is below expectation when observed < completeness_ratio x expected and the gap is more
--    than completeness_noise_sigmas x sqrt(expected) (a count of n varies by about sqrt(n) by chance);
--    expected = mean of the three previous non-provisional years (any position in the series, so a
--    mid-series dip is caught). No expectation (hence no empirical flag) without three such years.
-- 3. across snapshots: in a snapshot that is not the newest of its source, Y is below the newer
--    snapshot when observed < cross_edition_ratio x the newest snapshot's count for Y; an older count
--    above the newer one (records vanishing between editions) is tolerated and named in the note.
-- is_incomplete = 2 or 3.
with

counts as (
    select
        source,
        snapshot_id,
        snapshot_as_of,
        is_current_snapshot,
        year,
        observed_count,
        cast(extract(year from snapshot_as_of) as integer) as as_of_year
    from {{ ref('int_year_counts') }}
),

structural as (
    select
        *,
        case
            when source = 'patstat' then year >= as_of_year - {{ int_var('patstat_lag_years') }}
            else year >= as_of_year
        end as is_provisional
    from counts
),

previous_complete_years as (
    select
        current_year.source,
        current_year.snapshot_id,
        current_year.year,
        earlier.observed_count,
        row_number() over (
            partition by current_year.source, current_year.snapshot_id, current_year.year
            order by earlier.year desc
        ) as years_back
    from structural as current_year
    inner join structural as earlier
        on
            current_year.source = earlier.source
            and current_year.snapshot_id = earlier.snapshot_id
            and current_year.year > earlier.year
            and not earlier.is_provisional
),

expectations as (
    select
        source,
        snapshot_id,
        year,
        avg(observed_count) as expected_count
    from previous_complete_years
    where years_back <= 3
    group by source, snapshot_id, year
    having count(*) = 3
),

newest_snapshot_counts as (
    select
        source,
        year,
        snapshot_id as newest_snapshot_id,
        observed_count as newest_snapshot_count
    from structural
    where is_current_snapshot
),

measured as (
    select
        structural.*,
        expectations.expected_count,
        newest.newest_snapshot_id,
        newest.newest_snapshot_count,
        case
            when expectations.expected_count > 0
                then structural.observed_count / expectations.expected_count
        end as completeness_ratio,
        case
            when not structural.is_current_snapshot and newest.newest_snapshot_count > 0
                then cast(structural.observed_count as double) / newest.newest_snapshot_count
        end as cross_edition_ratio
    from structural
    left join expectations
        on
            structural.source = expectations.source
            and structural.snapshot_id = expectations.snapshot_id
            and structural.year = expectations.year
    left join newest_snapshot_counts as newest
        on
            structural.source = newest.source
            and structural.year = newest.year
            and not structural.is_current_snapshot
),

judged as (
    select
        *,
        coalesce(
            completeness_ratio < {{ float_var('completeness_ratio') }}
            and observed_count
            < expected_count - {{ float_var('completeness_noise_sigmas') }} * sqrt(expected_count),
            false
        ) as is_below_expected,
        coalesce(
            cross_edition_ratio < {{ float_var('cross_edition_ratio') }}, false
        ) as is_below_newer_snapshot
    from measured
)

select
    source,
    snapshot_id,
    snapshot_as_of,
    is_current_snapshot,
    year,
    observed_count,
    expected_count,
    completeness_ratio,
    newest_snapshot_id,
    newest_snapshot_count,
    cross_edition_ratio,
    is_provisional,
    is_below_expected,
    is_below_newer_snapshot,
    is_below_expected or is_below_newer_snapshot as is_incomplete,
    coalesce(
        nullif(concat_ws(
            '; ',
            case
                when is_provisional and source = 'patstat'
                    then printf(
                        'provisional: filing year within the %d-year publication lag of an edition as of %s',
                        {{ int_var('patstat_lag_years') }}, cast(snapshot_as_of as string)
                    )
                when is_provisional
                    then printf(
                        {{ string_literal(
                            "provisional: the snapshot's as-of year (as of %s), still being indexed"
                        ) }},
                        cast(snapshot_as_of as string)
                    )
            end,
            case
                when is_below_expected
                    then printf(
                        'incomplete: %d counted, %.0f%% of the %.0f expected (3 previous complete years)',
                        observed_count, 100 * completeness_ratio, expected_count
                    )
            end,
            case
                when is_below_newer_snapshot
                    then printf(
                        'incomplete: %d counted, %.0f%% of the %d in the newer snapshot %s',
                        observed_count, 100 * cross_edition_ratio, newest_snapshot_count, newest_snapshot_id
                    )
                when cross_edition_ratio > 1
                    then printf(
                        'drift: %d counted, %d fewer in the newer snapshot %s (records withdrawn or merged)',
                        observed_count, observed_count - newest_snapshot_count, newest_snapshot_id
                    )
            end
        ), ''),
        case
            when expected_count is null
                then 'complete as far as known (fewer than three earlier complete years to compare with)'
            else 'complete'
        end
    ) as completeness_note
from judged
