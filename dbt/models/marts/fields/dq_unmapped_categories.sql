-- Categories that seed category_field_groups does not map to a field group, per source and snapshot,
-- with how many counted (in-scope) publications carry them and how many of those fall into
-- 'other_unmapped' because none of their categories is mapped. Publications without any category for
-- fields (a WoS export without WC, an OpenAlex work without primary topic) are one row with a NULL
-- category. Every publication year is included. Add a label to the seed to place its publications.
with

reported as (
    select
        source,
        snapshot_id,
        scheme,
        category_id,
        category,
        records,
        records_in_other_unmapped
    from {{ ref('int_unmapped_category_counts') }}
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
