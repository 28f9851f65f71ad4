-- How much of each source, snapshot and publication year can be placed in a region: publications
-- without any affiliation (WoS records without C1) and publications whose affiliations all have an
-- unknown country cannot count for any named region. Every year is reported, also those before
-- var first_year and a NULL year, so nothing leaves the warehouse unseen. The counts are over the
-- publications the marts count (in scope, see int_publications); publications_out_of_scope reports those
-- dropped by the scope filter.
with

publications as (
    select
        source,
        snapshot_id,
        pub_year,
        has_affiliation,
        has_unknown_country_only,
        n_affiliations,
        n_unknown_country_affiliations,
        in_scope
    from {{ ref('int_publications') }}
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

year_counts as (
    select
        source,
        snapshot_id,
        pub_year,
        count(*) filter (where in_scope) as publications,
        count(*) filter (where in_scope and not has_affiliation) as publications_without_affiliations,
        count(*) filter (
            where in_scope and has_unknown_country_only
        ) as publications_with_unknown_country_only,
        coalesce(sum(n_affiliations) filter (where in_scope), 0) as affiliations,
        coalesce(
            sum(n_unknown_country_affiliations) filter (where in_scope), 0
        ) as unknown_country_affiliations,
        count(*) filter (where not in_scope) as publications_out_of_scope
    from publications
    group by source, snapshot_id, pub_year
)

select
    cast(year_counts.source as string) as source,
    cast(year_counts.snapshot_id as string) as snapshot_id,
    cast(snapshots.snapshot_as_of as date) as snapshot_as_of,
    cast(snapshots.is_current as boolean) as is_current_snapshot,
    cast(year_counts.pub_year as integer) as pub_year,
    cast(year_counts.publications as bigint) as publications,
    cast(year_counts.publications_without_affiliations as bigint) as publications_without_affiliations,
    cast(year_counts.publications_with_unknown_country_only as bigint)
        as publications_with_unknown_country_only,
    cast(year_counts.affiliations as bigint) as affiliations,
    cast(year_counts.unknown_country_affiliations as bigint) as unknown_country_affiliations,
    cast(year_counts.publications_out_of_scope as bigint) as publications_out_of_scope,
    {{ mart_settings_columns() }}
from year_counts
inner join snapshots
    on
        year_counts.source = snapshots.source
        and year_counts.snapshot_id = snapshots.snapshot_id
