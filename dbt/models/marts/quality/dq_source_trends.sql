-- Per publication source and kept snapshot (state): the shares that say how well its records can be
-- placed, for the quality summary's trends (doc: dq_source_trends in _quality_trends__models.yml).
with

coverage as (
    select
        source,
        snapshot_id,
        snapshot_as_of,
        is_current_snapshot,
        sum(publications) as publications,
        sum(publications_without_affiliations) as publications_without_affiliations,
        sum(affiliations) as affiliations,
        sum(unknown_country_affiliations) as unknown_country_affiliations
    from {{ ref('dq_publication_coverage') }}
    group by source, snapshot_id, snapshot_as_of, is_current_snapshot
),

resolution as (
    select
        source,
        snapshot_id,
        count(*) as keyed_affiliations,
        count(*) filter (where is_resolved) as resolved_affiliations
    from {{ ref('int_affiliation_institutions') }}
    group by source, snapshot_id
)

select
    coverage.source,
    coverage.snapshot_id,
    coverage.snapshot_as_of,
    coverage.is_current_snapshot,
    cast(coverage.publications as bigint) as publications,
    cast(coverage.publications_without_affiliations as bigint) as publications_without_affiliations,
    cast(coverage.affiliations as bigint) as affiliations,
    cast(coverage.unknown_country_affiliations as bigint) as unknown_country_affiliations,
    cast(coalesce(resolution.keyed_affiliations, 0) as bigint) as keyed_affiliations,
    cast(coalesce(resolution.resolved_affiliations, 0) as bigint) as resolved_affiliations,
    cast(
        coverage.publications_without_affiliations * 1.0 / nullif(coverage.publications, 0) as double
    ) as share_without_addresses,
    cast(coverage.unknown_country_affiliations * 1.0 / nullif(coverage.affiliations, 0) as double)
        as share_unmapped_countries,
    cast(resolution.resolved_affiliations * 1.0 / nullif(resolution.keyed_affiliations, 0) as double)
        as resolution_rate
from coverage
left join resolution
    on coverage.source = resolution.source and coverage.snapshot_id = resolution.snapshot_id
