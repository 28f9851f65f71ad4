{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['source', 'snapshot_id'],
    post_hook="{{ delete_unkept_states(flag='feeds_kept_state') }}",
) }}
-- The categories that place a publication in a field group (METHOD.md "Fields"), one row per kept
-- publication and category, with its field group from seed category_field_groups (NULL when unmapped):
--   WoS:      every Web of Science category (WC) of the record;
--   OpenAlex: the subfield of the work's primary topic only (one category).
-- WoS research areas (SC) and OpenAlex secondary topics are not used for fields.
-- Labels are matched case-insensitively (WoS exports differ in capitalisation, e.g. "Philosophy Of").
-- Per version (snapshot_id: the delivery holding it; macros/utils/state_rows.sql), read per state through
-- int_publication_categories. Incremental per delivery (macros/utils/incremental_states.sql).
with

categories as (
    select distinct
        'wos' as source,
        snapshot_id,
        record_id,
        scheme,
        category_id,
        category
    from {{ ref('stg_wos__categories') }}
    where scheme = 'wos_category' and {{ unbuilt_states('snapshot_id', "'wos'") }}
    union all
    select distinct
        'openalex' as source,
        snapshot_id,
        record_id,
        scheme,
        category_id,
        category
    from {{ ref('stg_openalex__categories') }}
    where
        scheme = 'openalex_subfield' and is_primary
        and {{ unbuilt_states('snapshot_id', "'openalex'") }}
),

category_field_groups as (
    select
        scheme,
        field_group_id,
        lower(trim(category_id)) as category_key
    from {{ ref('category_field_groups') }}
)

select
    categories.source,
    categories.snapshot_id,
    categories.record_id,
    categories.scheme,
    categories.category_id,
    categories.category,
    category_field_groups.field_group_id
from categories
left join category_field_groups
    on
        categories.scheme = category_field_groups.scheme
        and lower(trim(categories.category_id)) = category_field_groups.category_key
