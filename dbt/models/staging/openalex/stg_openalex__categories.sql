-- OpenAlex categories of each delivery's version of a work: only rows from the file holding that version
-- (stg_openalex__publications), so older versions within the delivery drop out with it.
with

source as (
    select * from {{ lake_table('openalex', 'categories') }} as categories
),

kept_records as (
    select
        snapshot_id,
        record_id,
        source_file
    from {{ ref('stg_openalex__publications') }}
),

renamed as (
    select
        source.snapshot_id,
        source.record_id,
        source.source_file,
        source.scheme,
        source.category_id,
        source.category,
        source.is_primary
    from source
    inner join kept_records
        on
            source.snapshot_id = kept_records.snapshot_id
            and source.record_id = kept_records.record_id
            and source.source_file = kept_records.source_file
)

select * from renamed
