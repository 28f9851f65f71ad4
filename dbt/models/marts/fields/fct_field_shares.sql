-- Field profile of the co-publications of each pair of named regions, per source, snapshot and period:
-- every publication year from var first_year on (period 'year') and all those years together (period
-- 'all', pub_year NULL). A co-publication (full counting, as in fct_region_pair_output) is split over
-- its field groups by its field weights (int_publication_fields: 1/k per mapped category), so
-- copublications_fractional adds up to pair_copublications over the field groups of a row's period and
-- pair, and share_of_pair to 1. Dense over field groups: a period and pair with co-publications has a
-- row for every field group of seed field_groups (0 where none); a period without any has no row.
with

pair_publications as (
    select
        source,
        snapshot_id,
        record_id,
        pub_year,
        region_a,
        region_b
    from {{ ref('int_publication_pairs') }}
),

-- Each co-publication once in its year and once in the all-years period.
period_pair_publications as (
    select
        source,
        snapshot_id,
        record_id,
        'year' as period,
        pub_year,
        region_a,
        region_b
    from pair_publications
    union all
    select
        source,
        snapshot_id,
        record_id,
        'all' as period,
        cast(null as integer) as pub_year,
        region_a,
        region_b
    from pair_publications
),

pair_totals as (
    select
        source,
        snapshot_id,
        period,
        pub_year,
        region_a,
        region_b,
        count(*) as pair_copublications
    from period_pair_publications
    group by source, snapshot_id, period, pub_year, region_a, region_b
),

field_counts as (
    select
        pairs.source,
        pairs.snapshot_id,
        pairs.period,
        pairs.pub_year,
        pairs.region_a,
        pairs.region_b,
        publication_fields.field_group_id,
        sum(publication_fields.field_weight) as copublications_fractional
    from period_pair_publications as pairs
    inner join {{ ref('int_publication_fields') }} as publication_fields
        on
            pairs.source = publication_fields.source
            and pairs.snapshot_id = publication_fields.snapshot_id
            and pairs.record_id = publication_fields.record_id
    group by
        pairs.source, pairs.snapshot_id, pairs.period, pairs.pub_year, pairs.region_a, pairs.region_b,
        publication_fields.field_group_id
),

field_groups as (
    select
        field_group_id,
        field_group
    from {{ ref('field_groups') }}
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

dense as (
    select
        pair_totals.source,
        pair_totals.snapshot_id,
        snapshots.snapshot_as_of,
        snapshots.is_current as is_current_snapshot,
        pair_totals.period,
        pair_totals.pub_year,
        pair_totals.region_a,
        pair_totals.region_b,
        field_groups.field_group_id,
        field_groups.field_group,
        pair_totals.pair_copublications,
        coalesce(field_counts.copublications_fractional, 0) as copublications_fractional
    from pair_totals
    inner join snapshots
        on
            pair_totals.source = snapshots.source
            and pair_totals.snapshot_id = snapshots.snapshot_id
    cross join field_groups
    left join field_counts
        on
            pair_totals.source = field_counts.source
            and pair_totals.snapshot_id = field_counts.snapshot_id
            and pair_totals.period = field_counts.period
            and pair_totals.pub_year is not distinct from field_counts.pub_year
            and pair_totals.region_a = field_counts.region_a
            and pair_totals.region_b = field_counts.region_b
            and field_groups.field_group_id = field_counts.field_group_id
)

select
    cast(dense.source as string) as source,
    cast(dense.snapshot_id as string) as snapshot_id,
    cast(dense.snapshot_as_of as date) as snapshot_as_of,
    cast(dense.is_current_snapshot as boolean) as is_current_snapshot,
    cast(dense.period as string) as period,
    cast(dense.pub_year as integer) as pub_year,
    cast(concat(dense.region_a, '-', dense.region_b) as string) as region_pair,
    cast(dense.region_a as string) as region_a,
    cast(dense.region_b as string) as region_b,
    cast(dense.field_group_id as string) as field_group_id,
    cast(dense.field_group as string) as field_group,
    cast(dense.pair_copublications as bigint) as pair_copublications,
    cast(dense.copublications_fractional as double) as copublications_fractional,
    cast(dense.copublications_fractional / dense.pair_copublications as double) as share_of_pair,
    {{ completeness_columns() }},
    {{ mart_settings_columns() }}
from dense
{{ completeness_join('dense.source', 'dense.snapshot_id', 'dense.pub_year') }}
