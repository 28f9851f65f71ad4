{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['source', 'snapshot_id'],
    post_hook="{{ delete_unkept_states(flag='feeds_kept_state') }}",
) }}
-- One row per publication x region it has at least one affiliation in.
--   full counting: the row itself (the publication counts once for the region, however many addresses)
--   fractional:    fractional_weight = authors at addresses in the region / authors over all its
--                  addresses, where an affiliation row weighs n_authors (WoS bracket group size, 1 per
--                  OpenAlex authorship-institution); the weights of a publication sum to 1.
-- Publications without any affiliation have no row here (they are counted in dq_publication_coverage),
-- nor have publications outside the scope while the scope filter applies to their source (in_scope false
-- in int_publications): every publication mart built on this model counts in-scope publications only.
-- Per version (snapshot_id: the delivery holding it; macros/utils/state_rows.sql), read per state through
-- int_publication_regions. Incremental per delivery (macros/utils/incremental_states.sql).
with

affiliations as (
    select
        source,
        snapshot_id,
        record_id,
        region,
        n_authors
    from {{ ref('int_affiliations_regioned_by_version') }}
    where {{ unbuilt_states('snapshot_id', 'source') }}
),

publications as (
    select
        source,
        snapshot_id,
        record_id,
        pub_year
    from {{ ref('int_publications_by_version') }}
    where
        in_scope and {{ unbuilt_states('snapshot_id', 'source') }}
),

region_authors as (
    select
        source,
        snapshot_id,
        record_id,
        region,
        count(*) as n_affiliations,
        sum(n_authors) as n_authors
    from affiliations
    group by source, snapshot_id, record_id, region
),

weighted as (
    select
        source,
        snapshot_id,
        record_id,
        region,
        n_affiliations,
        n_authors,
        cast(n_authors as double)
        / sum(n_authors) over (partition by source, snapshot_id, record_id) as fractional_weight
    from region_authors
)

select
    weighted.source,
    weighted.snapshot_id,
    weighted.record_id,
    publications.pub_year,
    weighted.region,
    weighted.n_affiliations,
    weighted.n_authors,
    weighted.fractional_weight
from weighted
inner join publications
    on
        weighted.source = publications.source
        and weighted.snapshot_id = publications.snapshot_id
        and weighted.record_id = publications.record_id
