-- The field groups of fct_field_shares (seed field_groups, Science-Metrix labels) with the categories
-- mapped to each (seed category_field_groups): one row per field group, 'other_unmapped' included.
with

field_groups as (
    select
        field_group_id,
        field_group,
        level,
        domain,
        field,
        sort_order,
        note
    from {{ ref('field_groups') }}
),

mappings as (
    select
        field_group_id,
        scheme,
        category_id,
        category
    from {{ ref('category_field_groups') }}
),

mapped_categories as (
    select
        field_group_id,
        {{ ordered_string_agg(
            "case when scheme = 'wos_category' then category end", "'; '"
        ) }} as wos_categories,
        {{ ordered_string_agg(
            "case when scheme = 'openalex_subfield' then category_id || ' ' || category end",
            "'; '",
            order_by='category_id',
        ) }} as openalex_subfields,
        count(*) filter (where scheme = 'wos_category') as n_wos_categories,
        count(*) filter (where scheme = 'openalex_subfield') as n_openalex_subfields
    from mappings
    group by field_group_id
)

select
    cast(field_groups.field_group_id as string) as field_group_id,
    cast(field_groups.field_group as string) as field_group,
    cast(field_groups.level as string) as level,
    cast(field_groups.domain as string) as domain,
    cast(field_groups.field as string) as field,
    cast(field_groups.sort_order as integer) as sort_order,
    cast(mapped_categories.wos_categories as string) as wos_categories,
    cast(mapped_categories.openalex_subfields as string) as openalex_subfields,
    cast(coalesce(mapped_categories.n_wos_categories, 0) as bigint) as n_wos_categories,
    cast(coalesce(mapped_categories.n_openalex_subfields, 0) as bigint) as n_openalex_subfields,
    cast(field_groups.note as string) as note,
    {{ mart_settings_columns() }}
from field_groups
left join mapped_categories
    on field_groups.field_group_id = mapped_categories.field_group_id
