{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['source', 'snapshot_id'],
    post_hook="{{ delete_unkept_states(flag='feeds_kept_state') }}",
) }}
-- One row per kept publication and field group it counts for, with its fractional field weight: a
-- publication with k mapped categories counts 1/k for each (two categories of the same group give that
-- group 2/k), so the weights of a publication sum to 1. Unmapped categories of a publication that has
-- mapped ones do not dilute the weights; a publication whose categories are all unmapped, or that has none
-- (a WoS record exported without WC, an OpenAlex work without primary topic), counts 1 for the explicit
-- group 'other_unmapped' (labels listed in dq_unmapped_categories).
-- Per version (snapshot_id: the delivery holding it; macros/utils/state_rows.sql), read per state through
-- int_publication_fields. Incremental per delivery (macros/utils/incremental_states.sql).
with

publications as (
    select
        source,
        snapshot_id,
        record_id
    from {{ ref('int_publications_by_version') }}
    where {{ unbuilt_states('snapshot_id', 'source') }}
),

mapped_categories as (
    select
        source,
        snapshot_id,
        record_id,
        field_group_id
    from {{ ref('int_publication_categories_by_version') }}
    where
        field_group_id is not null and {{ unbuilt_states('snapshot_id', 'source') }}
),

mapped_counts as (
    select
        source,
        snapshot_id,
        record_id,
        field_group_id,
        count(*) as n_categories_in_group,
        sum(count(*)) over (partition by source, snapshot_id, record_id) as n_mapped_categories
    from mapped_categories
    group by source, snapshot_id, record_id, field_group_id
)

select
    publications.source,
    publications.snapshot_id,
    publications.record_id,
    cast(coalesce(mapped_counts.n_mapped_categories, 0) as integer) as n_mapped_categories,
    coalesce(mapped_counts.field_group_id, 'other_unmapped') as field_group_id,
    coalesce(cast(mapped_counts.n_categories_in_group as double) / mapped_counts.n_mapped_categories, 1.0)
        as field_weight
from publications
left join mapped_counts
    on
        publications.source = mapped_counts.source
        and publications.snapshot_id = mapped_counts.snapshot_id
        and publications.record_id = mapped_counts.record_id
