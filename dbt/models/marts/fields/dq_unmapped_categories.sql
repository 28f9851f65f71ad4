-- Categories that seed category_field_groups does not map to a field group, per source and snapshot,
-- with how many counted (in-scope) publications carry them and how many of those fall into
-- 'other_unmapped' because none of their categories is mapped. Publications without any category for
-- fields (a WoS export without WC, an OpenAlex work without primary topic) are one row with a NULL
-- category. Every publication year is included. Add a label to the seed to place its publications.
with

counted_publications as (
    select
        source,
        snapshot_id,
        record_id
    from {{ ref('int_publications') }}
    where in_scope
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
),

unmapped_only_publications as (
    select
        source,
        snapshot_id,
        record_id
    from {{ ref('int_publication_fields') }}
    where field_group_id = 'other_unmapped'
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
),

snapshots as (
    select
        source,
        snapshot_id,
        snapshot_as_of,
        is_current
    from {{ ref('int_served_snapshots') }}
    where is_kept
)

select
    cast(reported.source as string) as source,
    cast(reported.snapshot_id as string) as snapshot_id,
    cast(snapshots.snapshot_as_of as date) as snapshot_as_of,
    cast(snapshots.is_current as boolean) as is_current_snapshot,
    cast(reported.scheme as string) as scheme,
    cast(reported.category_id as string) as category_id,
    cast(reported.category as string) as category,
    cast(reported.records as bigint) as records,
    cast(reported.records_in_other_unmapped as bigint) as records_in_other_unmapped,
    {{ mart_settings_columns() }}
from reported
inner join snapshots
    on
        reported.source = snapshots.source
        and reported.snapshot_id = snapshots.snapshot_id
