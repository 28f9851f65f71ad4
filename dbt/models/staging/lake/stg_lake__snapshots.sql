-- One row per published snapshot (a manifest exists). The current snapshot of a source is the one with
-- the newest as-of date; on equal dates the greater snapshot id wins, so exactly one is current.
with

source as (
    select * from {{ lake_manifests() }} as manifests
),

renamed as (
    select
        source,
        snapshot_id,
        as_of as snapshot_as_of,
        ingested_at,
        records as snapshot_records,
        row_number() over (
            partition by source
            order by as_of desc, snapshot_id desc
        ) = 1 as is_current
    from source
)

select * from renamed
