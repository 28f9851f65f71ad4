-- The yearly count whose completeness is judged, per source, snapshot (PATSTAT: edition) and year:
-- publications the marts count (in scope, from var first_year on) for wos/openalex; counted families
-- (int_patent_counted_families: scope and utility-model settings applied) per earliest filing year for
-- patstat. All counted families rather than co-patents only: the publication lag hits every family alike,
-- and the larger count separates lag from chance. Dense from the first to the last year of each snapshot
-- (0 for a year without any row: an empty mid-series year is the clearest gap of all).
with

publication_counts as (
    select
        source,
        snapshot_id,
        pub_year as year,
        count(*) as observed_count
    from {{ ref('int_publications') }}
    where in_scope and pub_year >= {{ int_var('first_year') }}
    group by source, snapshot_id, pub_year
),

patent_counts as (
    select
        'patstat' as source,
        edition_id as snapshot_id,
        filing_year as year,
        count(*) as observed_count
    from {{ ref('int_patent_counted_families') }}
    group by edition_id, filing_year
),

counts as (
    select * from publication_counts
    union all
    select * from patent_counts
),

year_bounds as (
    select
        source,
        snapshot_id,
        min(year) as first_observed_year,
        max(year) as last_observed_year
    from counts
    group by source, snapshot_id
),

years as (
    select cast({{ int_var('first_year') }} + generated_number - 1 as integer) as year
    from ({{ integer_series(300) }}) as series
),

snapshots as (
    select
        source,
        snapshot_id,
        snapshot_as_of,
        is_current
    from {{ ref('int_served_snapshots') }}
    where is_kept
)

select
    year_bounds.source,
    year_bounds.snapshot_id,
    snapshots.snapshot_as_of,
    snapshots.is_current as is_current_snapshot,
    years.year,
    coalesce(counts.observed_count, 0) as observed_count
from year_bounds
inner join years
    on years.year between year_bounds.first_observed_year and year_bounds.last_observed_year
inner join snapshots
    on
        year_bounds.source = snapshots.source
        and year_bounds.snapshot_id = snapshots.snapshot_id
left join counts
    on
        year_bounds.source = counts.source
        and year_bounds.snapshot_id = counts.snapshot_id
        and years.year = counts.year
