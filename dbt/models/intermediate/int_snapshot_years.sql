-- The dense year spine of every published snapshot: each year from the first to the last publication
-- year of the snapshot (not before var first_year), including years without any publication, so that
-- the yearly marts have a row (with 0) for every year and growth rates compare consecutive years.
-- Years come from a 300-year integer series starting at first_year; the data test
-- assert_publication_years_on_spine fails if a publication year ever falls outside it.
with

snapshots as (
    select
        source,
        snapshot_id,
        snapshot_as_of,
        is_current
    from {{ ref('int_served_snapshots') }}
    where is_kept
),

year_bounds as (
    select
        source,
        snapshot_id,
        min(pub_year) as first_pub_year,
        max(pub_year) as last_pub_year
    from {{ ref('int_publications') }}
    where pub_year >= {{ int_var('first_year') }}
    group by source, snapshot_id
),

years as (
    select
        cast({{ int_var('first_year') }} + generated_number - 1 as integer) as pub_year
    from ({{ integer_series(300) }}) as series
)

select
    year_bounds.source,
    year_bounds.snapshot_id,
    snapshots.snapshot_as_of,
    snapshots.is_current as is_current_snapshot,
    years.pub_year,
    year_bounds.first_pub_year
from year_bounds
inner join years
    on years.pub_year between year_bounds.first_pub_year and year_bounds.last_pub_year
inner join snapshots
    on
        year_bounds.source = snapshots.source
        and year_bounds.snapshot_id = snapshots.snapshot_id
