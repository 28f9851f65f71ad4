{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['source', 'snapshot_id'],
    carry_forward='versions',
    post_hook="{{ delete_unkept_states() }}",
) }}
-- The categories that place a publication in a field group (METHOD.md "Fields"), one row per kept
-- publication and category, with its field group from seed category_field_groups (NULL when unmapped):
--   WoS:      every Web of Science category (WC) of the record;
--   OpenAlex: the subfield of the work's primary topic only (one category).
-- WoS research areas (SC) and OpenAlex secondary topics are not used for fields.
-- Labels are matched case-insensitively (WoS exports differ in capitalisation, e.g. "Philosophy Of").
-- Per state (snapshot_id); OpenAlex: the categories of the version kept in the state.
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
        state_works.snapshot_id,
        versions.record_id,
        versions.scheme,
        versions.category_id,
        versions.category
    from {{ ref('int_openalex_state_works') }} as state_works
    inner join {{ ref('stg_openalex__categories') }} as versions
        on
            state_works.version_snapshot_id = versions.snapshot_id
            and state_works.record_id = versions.record_id
    where
        versions.scheme = 'openalex_subfield' and versions.is_primary
        and {{ unbuilt_states('state_works.snapshot_id', "'openalex'") }}
        and {{ fresh_works('state_works.snapshot_id', 'state_works.record_id') }}
        and {{ fresh_versions('versions.snapshot_id') }}
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
