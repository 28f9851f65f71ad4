-- Co-publications per source, snapshot, year and pair of named regions (full counting: a publication
-- with at least one affiliation in each region of the pair). A publication in all named regions counts
-- for every pair, so the pair series overlap; trilateral_copublications is that overlap (publications
-- with an affiliation in every named region), repeated on each pair row of the year.
-- Dense: every pair x every year of the snapshot's spine has a row (0 when none).
with

named_regions as (
    select region
    from {{ ref('int_regions') }}
    where is_named_region
),

region_pairs as (
    select
        region_a.region as region_a,
        region_b.region as region_b,
        concat(region_a.region, '-', region_b.region) as region_pair
    from named_regions as region_a
    inner join named_regions as region_b
        on region_a.region < region_b.region
),

region_pair_count as (
    select count(*) as n_region_pairs
    from region_pairs
),

publication_pairs as (
    select
        source,
        snapshot_id,
        record_id,
        pub_year,
        region_a,
        region_b
    from {{ ref('int_publication_pairs') }}
),

pair_counts as (
    select
        source,
        snapshot_id,
        pub_year,
        region_a,
        region_b,
        count(*) as copublications
    from publication_pairs
    group by source, snapshot_id, pub_year, region_a, region_b
),

-- In every named region exactly when in every pair of them (k regions give k(k-1)/2 pairs).
publications_in_every_region as (
    select
        publication_pairs.source,
        publication_pairs.snapshot_id,
        publication_pairs.record_id,
        publication_pairs.pub_year
    from publication_pairs
    cross join region_pair_count
    group by
        publication_pairs.source,
        publication_pairs.snapshot_id,
        publication_pairs.record_id,
        publication_pairs.pub_year,
        region_pair_count.n_region_pairs
    having count(*) = region_pair_count.n_region_pairs
),

trilateral_counts as (
    select
        source,
        snapshot_id,
        pub_year,
        count(*) as trilateral_copublications
    from publications_in_every_region
    group by source, snapshot_id, pub_year
),

series as (
    select
        years.source,
        years.snapshot_id,
        years.snapshot_as_of,
        years.is_current_snapshot,
        years.pub_year,
        region_pairs.region_pair,
        region_pairs.region_a,
        region_pairs.region_b,
        coalesce(pair_counts.copublications, 0) as copublications,
        coalesce(trilateral_counts.trilateral_copublications, 0) as trilateral_copublications
    from {{ ref('int_snapshot_years') }} as years
    cross join region_pairs
    left join pair_counts
        on
            years.source = pair_counts.source
            and years.snapshot_id = pair_counts.snapshot_id
            and years.pub_year = pair_counts.pub_year
            and region_pairs.region_a = pair_counts.region_a
            and region_pairs.region_b = pair_counts.region_b
    left join trilateral_counts
        on
            years.source = trilateral_counts.source
            and years.snapshot_id = trilateral_counts.snapshot_id
            and years.pub_year = trilateral_counts.pub_year
)

select
    cast(series.source as string) as source,
    cast(series.snapshot_id as string) as snapshot_id,
    cast(series.snapshot_as_of as date) as snapshot_as_of,
    cast(series.is_current_snapshot as boolean) as is_current_snapshot,
    cast(series.pub_year as integer) as pub_year,
    cast(series.region_pair as string) as region_pair,
    cast(series.region_a as string) as region_a,
    cast(series.region_b as string) as region_b,
    cast(series.copublications as bigint) as copublications,
    cast(series.trilateral_copublications as bigint) as trilateral_copublications,
    case
        when series.copublications > 0
            then cast(series.trilateral_copublications as double) / series.copublications
    end as share_of_pair_also_trilateral,
    {{ completeness_columns() }},
    {{ mart_settings_columns() }}
from series
{{ completeness_join('series.source', 'series.snapshot_id', 'series.pub_year') }}
