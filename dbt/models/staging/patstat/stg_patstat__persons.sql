-- PATSTAT persons (tls206) of published editions. A blank ('  ') or missing person_ctry_code becomes
-- 'UNKNOWN' (METHOD.md: kept and reported). Empty names and a han_id of 0 become NULL.
with

source as (
    select * from {{ lake_table('patstat', 'tls206_person') }} as persons
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
        source.person_id,
        source.person_ctry_code as person_ctry_code_raw,
        nullif(trim(source.person_name), '') as person_name,
        coalesce(nullif(upper(trim(source.person_ctry_code)), ''), 'UNKNOWN') as country_code,
        nullif(source.psn_id, 0) as psn_id,
        nullif(trim(source.psn_name), '') as psn_name,
        nullif(trim(source.psn_sector), '') as psn_sector,
        nullif(source.han_id, 0) as han_id,
        nullif(trim(source.han_name), '') as han_name
    from source
    inner join published_files
        on
            source.snapshot_id = published_files.snapshot_id
            and source.source_file = published_files.source_file
)

select * from renamed
