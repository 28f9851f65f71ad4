-- EPO's IPC -> WIPO technology field table (tls901) as delivered with each edition. Kept for checking
-- the concordance seed against an edition; the marts use tls230 and the seed.
with

source as (
    select * from {{ lake_table('patstat', 'tls901_techn_field_ipc') }} as field_ipc
),

published_files as (
    select
        snapshot_id,
        source_file
    from {{ ref('stg_lake__snapshot_files') }}
    where source = 'patstat'
),

renamed as (
    select
        source.snapshot_id as edition_id,
        cast(source.techn_field_nr as integer) as field_id,
        trim(source.ipc_maingroup_symbol) as ipc_maingroup_symbol_raw,
        trim(source.techn_sector) as sector,
        trim(source.techn_field) as field_name
    from source
    inner join published_files
        on
            source.snapshot_id = published_files.snapshot_id
            and source.source_file = published_files.source_file
)

select * from renamed
