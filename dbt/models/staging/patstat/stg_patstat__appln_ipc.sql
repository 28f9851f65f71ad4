-- IPC classes (tls209) of published editions. PATSTAT pads symbols with spaces ('G06N   3/08',
-- 'H04L  41/16', 'G06T2207/20081'); symbol drops them ('G06N3/08') and is split into the subclass
-- ('G06N') and the main group ('3') for the concordance and scope matching.
with

source as (
    select * from {{ lake_table('patstat', 'tls209_appln_ipc') }} as classes
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
        source.appln_id,
        source.ipc_class_symbol as symbol_raw,
        replace(source.ipc_class_symbol, ' ', '') as symbol
    from source
    inner join published_files
        on
            source.snapshot_id = published_files.snapshot_id
            and source.source_file = published_files.source_file
),

split as (
    select
        *,
        left(symbol, 4) as subclass,
        split_part(substr(symbol, 5), '/', 1) as main_group
    from renamed
)

select * from split
