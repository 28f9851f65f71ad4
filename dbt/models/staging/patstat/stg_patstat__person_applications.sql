-- Person-application links (tls207) of published editions: applicant when applt_seq_nr > 0, inventor
-- when invt_seq_nr > 0 (a person can be both).
with

source as (
    select * from {{ lake_table('patstat', 'tls207_pers_appln') }} as person_applications
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
        source.appln_id,
        source.applt_seq_nr,
        source.invt_seq_nr,
        coalesce(source.applt_seq_nr, 0) > 0 as is_applicant,
        coalesce(source.invt_seq_nr, 0) > 0 as is_inventor
    from source
    inner join published_files
        on
            source.snapshot_id = published_files.snapshot_id
            and source.source_file = published_files.source_file
)

select * from renamed
