-- Expected final publication counts of the as-of year of each kept state (doc block
-- publication_nowcast_method): observed / completion share at the state's as-of month, with bounds.
-- Never mixed into fct_region_pair_output or fct_region_output: a separate mart, every row labelled.
with

default_curve as (
    select
        source,
        lag_months,
        completion_share,
        completion_share_se
    from {{ ref('publication_nowcast_default_curve') }}
),

states as (
    select
        source,
        snapshot_id,
        snapshot_as_of,
        is_current,
        cast(extract(year from snapshot_as_of) as integer) as as_of_year,
        cast(extract(month from snapshot_as_of) as integer) as as_of_month
    from {{ ref('int_served_snapshots') }}
    where is_kept
),

-- All counted publications per year (not the pair or region only): the lag hits every record alike and
-- the larger count measures it with less noise.
year_counts as (
    select
        source,
        snapshot_id,
        year as pub_year,
        observed_count
    from {{ ref('int_year_counts') }}
),

-- For lag k: every earlier kept state as of month k of its year Y, against the current state, where Y is
-- complete (the current state is at least publication_nowcast_complete_months past the start of Y).
steps as (
    select
        default_curve.source,
        default_curve.lag_months,
        sum(coalesce(early_counts.observed_count, 0)) as early_publications,
        sum(late_counts.observed_count) as late_publications
    from default_curve
    inner join states as early_state
        on
            default_curve.source = early_state.source
            and default_curve.lag_months = early_state.as_of_month
            and not early_state.is_current
    inner join states as late_state
        on
            early_state.source = late_state.source
            and late_state.is_current
            and 12 * (late_state.as_of_year - early_state.as_of_year) + late_state.as_of_month
            >= {{ int_var('publication_nowcast_complete_months') }}
    inner join year_counts as late_counts
        on
            late_state.source = late_counts.source
            and late_state.snapshot_id = late_counts.snapshot_id
            and early_state.as_of_year = late_counts.pub_year
    left join year_counts as early_counts
        on
            early_state.source = early_counts.source
            and early_state.snapshot_id = early_counts.snapshot_id
            and early_state.as_of_year = early_counts.pub_year
    group by default_curve.source, default_curve.lag_months
),

-- c(k) and its relative variance (binomial: the early publications are a share of the late ones).
measured_curve as (
    select
        source,
        lag_months,
        cast(early_publications as double) / late_publications as completion_share,
        greatest(1 - cast(early_publications as double) / late_publications, 0)
        / (cast(early_publications as double) / late_publications) / late_publications as relative_variance
    from steps
    where early_publications > 0 and late_publications > 0
),

curve as (
    select
        default_curve.source,
        default_curve.lag_months,
        case when measured_curve.lag_months is not null then 'states' else 'default_curve' end
            as nowcast_method,
        -- A measured share above 1 (records vanishing between states) would nowcast below the count.
        case
            when measured_curve.lag_months is not null then least(measured_curve.completion_share, 1)
            else default_curve.completion_share
        end as completion_share,
        case
            when measured_curve.lag_months is not null then measured_curve.relative_variance
            else power(default_curve.completion_share_se / default_curve.completion_share, 2)
        end as curve_relative_variance
    from default_curve
    left join measured_curve
        on
            default_curve.source = measured_curve.source
            and default_curve.lag_months = measured_curve.lag_months
),

observed as (
    select
        source,
        snapshot_id,
        snapshot_as_of,
        is_current_snapshot,
        pub_year,
        'copublications' as measure,
        region_pair as series,
        copublications as observed_count
    from {{ ref('fct_region_pair_output') }}
    union all
    select
        source,
        snapshot_id,
        snapshot_as_of,
        is_current_snapshot,
        pub_year,
        'publications' as measure,
        region as series,
        publications as observed_count
    from {{ ref('fct_region_output') }}
),

provisional as (
    select
        observed.*,
        states.as_of_month as lag_months,
        curve.nowcast_method,
        curve.completion_share,
        curve.curve_relative_variance,
        year_counts.observed_count as publications_in_year,
        observed.observed_count / curve.completion_share as nowcast
    from observed
    inner join states
        on
            observed.source = states.source
            and observed.snapshot_id = states.snapshot_id
            and observed.pub_year = states.as_of_year
    inner join curve
        on
            states.source = curve.source
            and states.as_of_month = curve.lag_months
    left join year_counts
        on
            observed.source = year_counts.source
            and observed.snapshot_id = year_counts.snapshot_id
            and observed.pub_year = year_counts.pub_year
),

with_spread as (
    select
        *,
        {{ nowcast_standard_error('observed_count') }} as nowcast_se
    from provisional
)

select
    cast(source as string) as source,
    cast(snapshot_id as string) as snapshot_id,
    cast(snapshot_as_of as date) as snapshot_as_of,
    cast(is_current_snapshot as boolean) as is_current_snapshot,
    cast(pub_year as integer) as pub_year,
    cast(lag_months as integer) as lag_months,
    cast(measure as string) as measure,
    cast(series as string) as series,
    cast(observed_count as bigint) as observed_count,
    cast(nowcast as double) as nowcast_count,
    {{ nowcast_bounds('observed_count') }},
    cast(completion_share as double) as completion_share,
    cast(nowcast_method as string) as nowcast_method,
    cast(publications_in_year as bigint) as publications_in_year,
    cast({{ float_var('nowcast_z') }} as double) as nowcast_z,
    cast({{ int_var('publication_nowcast_complete_months') }} as integer) as complete_months,
    {{ mart_settings_columns() }}
from with_spread
