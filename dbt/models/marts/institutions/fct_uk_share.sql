-- The UK's weight in EU27/AC-CN co-publications, per source, snapshot and period ('all' years, then each
-- year of the snapshot's dense spine, 0 when none): co-publications with at least one United Kingdom (GB)
-- affiliation and their share. The brief: about 44%; why fct_top_institutions has an excluding_uk variant.
with

copublications as (
    select * from {{ ref('int_eu_cn_copublications') }}
),

yearly as (
    select
        source,
        snapshot_id,
        pub_year,
        count(*) as eu_cn_copublications,
        count(*) filter (where has_uk) as with_uk_copublications
    from copublications
    group by source, snapshot_id, pub_year
),

all_years as (
    select
        source,
        snapshot_id,
        count(*) as eu_cn_copublications,
        count(*) filter (where has_uk) as with_uk_copublications
    from copublications
    group by source, snapshot_id
),

snapshots as (
    select
        source,
        snapshot_id,
        snapshot_as_of,
        is_current
    from {{ ref('int_served_snapshots') }}
    where is_kept
),

periods as (
    select
        years.source,
        years.snapshot_id,
        years.snapshot_as_of,
        years.is_current_snapshot,
        cast(years.pub_year as string) as period,
        years.pub_year,
        coalesce(yearly.eu_cn_copublications, 0) as eu_cn_copublications,
        coalesce(yearly.with_uk_copublications, 0) as with_uk_copublications
    from {{ ref('int_snapshot_years') }} as years
    left join yearly
        on
            years.source = yearly.source
            and years.snapshot_id = yearly.snapshot_id
            and years.pub_year = yearly.pub_year
    union all
    select
        snapshots.source,
        snapshots.snapshot_id,
        snapshots.snapshot_as_of,
        snapshots.is_current as is_current_snapshot,
        'all' as period,
        cast(null as integer) as pub_year,
        coalesce(all_years.eu_cn_copublications, 0) as eu_cn_copublications,
        coalesce(all_years.with_uk_copublications, 0) as with_uk_copublications
    from snapshots
    left join all_years
        on
            snapshots.source = all_years.source
            and snapshots.snapshot_id = all_years.snapshot_id
    where snapshots.source in ('wos', 'openalex')
)

select
    cast(periods.source as string) as source,
    cast(periods.snapshot_id as string) as snapshot_id,
    cast(periods.snapshot_as_of as date) as snapshot_as_of,
    cast(periods.is_current_snapshot as boolean) as is_current_snapshot,
    cast(periods.period as string) as period,
    cast(periods.pub_year as integer) as pub_year,
    cast(periods.eu_cn_copublications as bigint) as eu_cn_copublications,
    cast(periods.with_uk_copublications as bigint) as with_uk_copublications,
    case
        when periods.eu_cn_copublications > 0
            then cast(periods.with_uk_copublications as double) / periods.eu_cn_copublications
    end as share_with_uk,
    {{ completeness_columns() }},
    {{ mart_settings_columns() }}
from periods
{{ completeness_join('periods.source', 'periods.snapshot_id', 'periods.pub_year') }}
