-- Publication output per source, snapshot, year and region: full and fractional counts, growth on the
-- previous year and the compound annual growth rate since the first year of the series.
-- Dense: every region x every year of the snapshot's spine has a row (0 when no publication), so the
-- previous year always exists; growth_rate is NULL when the previous year is 0, cagr_since_first_year
-- when the first year of the series is 0 (a rate from nothing is undefined) and in the first year.
with

spine as (
    select
        years.source,
        years.snapshot_id,
        years.snapshot_as_of,
        years.is_current_snapshot,
        years.pub_year,
        years.first_pub_year,
        regions.region
    from {{ ref('int_snapshot_years') }} as years
    cross join {{ ref('int_regions') }} as regions
),

region_counts as (
    select
        source,
        snapshot_id,
        pub_year,
        region,
        count(*) as publications,
        sum(fractional_weight) as publications_fractional
    from {{ ref('int_publication_regions') }}
    where pub_year >= {{ int_var('first_year') }}
    group by source, snapshot_id, pub_year, region
),

series as (
    select
        spine.source,
        spine.snapshot_id,
        spine.snapshot_as_of,
        spine.is_current_snapshot,
        spine.pub_year,
        spine.first_pub_year,
        spine.region,
        coalesce(region_counts.publications, 0) as publications,
        coalesce(region_counts.publications_fractional, 0) as publications_fractional
    from spine
    left join region_counts
        on
            spine.source = region_counts.source
            and spine.snapshot_id = region_counts.snapshot_id
            and spine.pub_year = region_counts.pub_year
            and spine.region = region_counts.region
),

with_history as (
    select
        source,
        snapshot_id,
        snapshot_as_of,
        is_current_snapshot,
        pub_year,
        first_pub_year,
        region,
        publications,
        publications_fractional,
        lag(publications) over (
            partition by source, snapshot_id, region order by pub_year
        ) as previous_publications,
        first_value(publications) over (
            partition by source, snapshot_id, region order by pub_year
        ) as first_year_publications
    from series
)

select
    cast(with_history.source as string) as source,
    cast(with_history.snapshot_id as string) as snapshot_id,
    cast(with_history.snapshot_as_of as date) as snapshot_as_of,
    cast(with_history.is_current_snapshot as boolean) as is_current_snapshot,
    cast(with_history.pub_year as integer) as pub_year,
    cast(with_history.region as string) as region,
    cast(with_history.publications as bigint) as publications,
    cast(with_history.publications_fractional as double) as publications_fractional,
    case
        when with_history.previous_publications > 0
            then cast(with_history.publications as double) / with_history.previous_publications - 1
    end as growth_rate,
    case
        when with_history.pub_year > with_history.first_pub_year and with_history.first_year_publications > 0
            then power(
                cast(with_history.publications as double) / with_history.first_year_publications,
                1.0 / (with_history.pub_year - with_history.first_pub_year)
            ) - 1
    end as cagr_since_first_year,
    {{ completeness_columns() }},
    {{ mart_settings_columns() }}
from with_history
{{ completeness_join('with_history.source', 'with_history.snapshot_id', 'with_history.pub_year') }}
