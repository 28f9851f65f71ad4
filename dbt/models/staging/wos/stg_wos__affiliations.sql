-- WoS affiliations of the kept record: only rows from the file whose occurrence of the UT was kept
-- (stg_wos__publications), so a record exported twice is not counted twice. The country is as delivered
-- (country_raw, country_form, place_parts); int_wos_affiliations_coded maps it with the seeds.
with

source as (
    select * from {{ lake_table('wos', 'affiliations') }} as affiliations
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
        source.affiliation_seq,
        source.n_authors,
        source.organisation,
        source.sub_units,
        source.city,
        source.institution_id,
        source.ror,
        source.country_raw,
        source.country_code,
        source.country_basis,
        source.country_form,
        source.place_parts
    from source
    inner join kept_records
        on
            source.snapshot_id = kept_records.snapshot_id
            and source.record_id = kept_records.record_id
            and source.source_file = kept_records.source_file
)

select * from renamed
