-- Work ids that OpenAlex merged into another work, per published delivery. The table has no source_file,
-- so publication is checked at delivery level (it has a manifest and feeds a kept state). A delivery may
-- have none. A work merged in any member delivery of a state is dropped from it (int_openalex_state_works).
with

source as (
    select * from {{ lake_table('openalex', 'merged_ids') }} as merged_ids
),

published_snapshots as (
    select snapshot_id
    from {{ ref('stg_lake__snapshots') }}
    where source = 'openalex' and feeds_kept_state
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
