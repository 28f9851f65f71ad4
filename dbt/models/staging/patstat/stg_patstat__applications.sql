-- PATSTAT applications (tls201) of published editions. appln_filing_year 9999 means "unknown" in
-- PATSTAT: filing_year is NULL then (the raw value stays in appln_filing_year).
with

source as (
    select * from {{ lake_table('patstat', 'tls201_appln') }} as applications
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
        source.source_file,
        source.appln_id,
        source.docdb_family_id,
        source.appln_filing_year,
        source.granted,
        trim(source.appln_auth) as appln_auth,
        trim(source.appln_kind) as appln_kind,
        upper(trim(source.ipr_type)) as ipr_type,
        nullif(source.appln_filing_year, 9999) as filing_year
    from source
    inner join published_files
        on
            source.snapshot_id = published_files.snapshot_id
            and source.source_file = published_files.source_file
)

select * from renamed
