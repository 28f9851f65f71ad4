-- WoS categories of the kept record: only rows from the file whose occurrence of the UT was kept
-- (stg_wos__publications), so a record exported twice is not counted twice.
with

source as (
    select * from {{ lake_table('wos', 'categories') }} as categories
),

kept_records as (
    select
        snapshot_id,
        record_id,
        source_file
    from {{ ref('stg_wos__publications') }}
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
