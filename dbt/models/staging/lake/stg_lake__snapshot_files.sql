-- One row per data file listed in a snapshot manifest: the published files. Staging models keep only
-- lake rows whose (snapshot_id, source_file) appears here.
with

source as (
    select * from {{ lake_manifest_files() }} as manifest_files
),

renamed as (
    select
        source,
        snapshot_id,
        file_path as source_file,
        file_bytes,
        file_sha256,
        file_records,
        file_format
    from source
)

select * from renamed
