-- WIPO technology fields of applications (tls230) with EPO's weights, of published editions.
with

source as (
    select * from {{ lake_table('patstat', 'tls230_appln_techn_field') }} as techn_fields
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
        cast(source.techn_field_nr as integer) as field_id,
        source.weight
    from source
    inner join published_files
        on
            source.snapshot_id = published_files.snapshot_id
            and source.source_file = published_files.source_file
)

select * from renamed
