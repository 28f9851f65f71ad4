{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['source', 'snapshot_id'],
    post_hook="{{ delete_unkept_states(flag='feeds_kept_state') }}",
) }}
-- One row per publication x pair of named regions it has an affiliation in each of (full counting), from
-- var first_year on: the co-publications every pair mart counts. region_a sorts before region_b and
-- region_pair is 'region_a-region_b'; a publication in k named regions has k(k-1)/2 rows, so one in
-- every named region has a row for every pair (fct_region_pair_output counts those as trilateral).
-- Per version (snapshot_id: the delivery holding it; macros/utils/state_rows.sql), read per state through
-- int_publication_pairs. Incremental per delivery (macros/utils/incremental_states.sql).
with

named_regions as (
    select region
    from {{ ref('int_regions') }}
    where is_named_region
),

publication_regions as (
    select
        publication_regions.source,
        publication_regions.snapshot_id,
        publication_regions.record_id,
        publication_regions.pub_year,
        publication_regions.region
    from {{ ref('int_publication_regions_by_version') }} as publication_regions
    inner join named_regions
        on publication_regions.region = named_regions.region
    where
        publication_regions.pub_year >= {{ int_var('first_year') }}
        and {{ unbuilt_states('publication_regions.snapshot_id', 'publication_regions.source') }}
)

select
    side_a.source,
    side_a.snapshot_id,
    side_a.record_id,
    side_a.pub_year,
    side_a.region as region_a,
    side_b.region as region_b,
    concat(side_a.region, '-', side_b.region) as region_pair
from publication_regions as side_a
inner join publication_regions as side_b
    on
        side_a.source = side_b.source
        and side_a.snapshot_id = side_b.snapshot_id
        and side_a.record_id = side_b.record_id
        and side_a.region < side_b.region
