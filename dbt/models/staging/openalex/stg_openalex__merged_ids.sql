-- Work ids that OpenAlex merged into another work, per published snapshot. The table has no source_file,
-- so publication is checked at snapshot level (the snapshot has a manifest). A snapshot may have none.
with

source as (
    select * from {{ lake_table('openalex', 'merged_ids') }} as merged_ids
),

published_snapshots as (
    select snapshot_id
    from {{ ref('stg_lake__snapshots') }}
    where source = 'openalex'
),

renamed as (
    select distinct
        source.snapshot_id,
        source.record_id,
        source.merge_into_id
    from source
    inner join published_snapshots
        on source.snapshot_id = published_snapshots.snapshot_id
)

select * from renamed
