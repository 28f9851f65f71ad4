{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['source', 'snapshot_id'],
    post_hook="{{ delete_unkept_states() }}",
) }}
-- The counts of dq_unmapped_categories, per state: categories that seed category_field_groups does not
-- map to a field group, with how many counted (in-scope) publications carry them and how many of those
-- fall into 'other_unmapped' because none of their categories is mapped; publications without any
-- category for fields are one row with a NULL category. Incremental per state
-- (macros/utils/incremental_states.sql): a delta build counts its new state only; the mart adds the
-- snapshot columns, which change with every new state.
with

counted_publications as (
    select
        source,
        snapshot_id,
        record_id
    from {{ ref('int_publications') }}
    where in_scope and {{ unbuilt_states('snapshot_id', 'source') }}
),

categories as (
    select
        categories.source,
        categories.snapshot_id,
        categories.record_id,
        categories.scheme,
        categories.category_id,
        categories.category,
        categories.field_group_id
    from {{ ref('int_publication_categories') }} as categories
    inner join counted_publications
        on
            categories.source = counted_publications.source
            and categories.snapshot_id = counted_publications.snapshot_id
            and categories.record_id = counted_publications.record_id
    where {{ unbuilt_states('categories.snapshot_id', 'categories.source') }}
),

unmapped_only_publications as (
    select
        source,
        snapshot_id,
        record_id
    from {{ ref('int_publication_fields') }}
    where field_group_id = 'other_unmapped' and {{ unbuilt_states('snapshot_id', 'source') }}
),

unmapped_labels as (
    select
        categories.source,
        categories.snapshot_id,
        categories.scheme,
        categories.category_id,
        min(categories.category) as category,
        count(distinct categories.record_id) as records,
        count(distinct unmapped_only_publications.record_id) as records_in_other_unmapped
    from categories
    left join unmapped_only_publications
        on
            categories.source = unmapped_only_publications.source
            and categories.snapshot_id = unmapped_only_publications.snapshot_id
            and categories.record_id = unmapped_only_publications.record_id
    where categories.field_group_id is null
    group by categories.source, categories.snapshot_id, categories.scheme, categories.category_id
),

publications_without_category as (
    select
        counted_publications.source,
        counted_publications.snapshot_id,
        cast(null as string) as scheme,
        cast(null as string) as category_id,
        cast(null as string) as category,
        count(*) as records,
        count(*) as records_in_other_unmapped
    from counted_publications
    left join categories
        on
            counted_publications.source = categories.source
            and counted_publications.snapshot_id = categories.snapshot_id
            and counted_publications.record_id = categories.record_id
    where categories.record_id is null
    group by counted_publications.source, counted_publications.snapshot_id
),

reported as (
    select * from unmapped_labels
    union all
    select * from publications_without_category
)

select * from reported
