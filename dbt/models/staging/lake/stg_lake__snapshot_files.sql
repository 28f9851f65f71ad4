-- One row per data file listed in a snapshot manifest: the published files. Staging models keep only
-- lake rows whose (snapshot_id, source_file) appears here. Files of deliveries that feed no kept state
-- (stg_lake__snapshots.feeds_kept_state: older than the newest var keep_snapshots states) are left out,
-- so nothing downstream reads or counts them; the lake keeps them.
with

source as (
    select * from {{ lake_manifest_files() }} as manifest_files
),

deliveries as (
    select
        source,
        snapshot_id
    from {{ ref('stg_lake__snapshots') }}
    where feeds_kept_state
),

renamed as (
    select
        source.source,
        source.snapshot_id,
        source.file_path as source_file,
        source.file_bytes,
        source.file_sha256,
        source.file_records,
        source.file_format
    from source
    inner join deliveries
        on
            source.source = deliveries.source
            and source.snapshot_id = deliveries.snapshot_id
)

select * from renamed
