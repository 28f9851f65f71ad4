{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['snapshot_id'],
    post_hook="{{ delete_unkept_states(source_name='wos') }}",
) }}
-- Kept WoS affiliations with their country code, decided here from the seeds (METHOD.md, "Countries from
-- Web of Science addresses"), so a seed fix takes effect on the next refresh without re-ingesting. The
-- lake holds only what the address says (country_raw, country_form, place_parts):
--   a place part that the seed maps to Hong Kong or Macau (is_hk_mo in regions) -> that code, basis
--     hk_mo_city (the first such part; `Kowloon, Hong Kong, Peoples R China` is HK)
--   an old ending `<ST> <ZIP>` (country_form us_state_zip) with ST in us_state_codes -> US, us_state_zip
--   otherwise the wos_country_names code of country_raw, UNKNOWN when the seed lacks it (reported in
--     dq_country_mapping, never dropped); basis address
-- Parts ingested before country_form existed (country_form NULL) keep the code decided at their ingest:
-- re-ingest them (`stiwatch ingest --force`) to apply later seed changes.
-- Incremental per WoS snapshot (macros/utils/incremental_states.sql): a refresh without a new WoS
-- snapshot codes nothing; a seed change rebuilds every snapshot (the build fingerprint covers seeds).
with

affiliations as (
    select
        snapshot_id,
        record_id,
        source_file,
        affiliation_seq,
        n_authors,
        organisation,
        sub_units,
        city,
        institution_id,
        ror,
        country_raw,
        country_code as ingested_country_code,
        country_basis as ingested_country_basis,
        country_form,
        place_parts
    from {{ ref('stg_wos__affiliations') }}
    where {{ unbuilt_states('snapshot_id') }}
),

country_names as (
    -- distinct: rows that differ only in case or spacing are one name (a conflict fails a seed test)
    select distinct
        {{ wos_country_key('wos_country_name') }} as name_key,
        upper(trim(country_code)) as country_code
    from {{ ref('wos_country_names') }}
),

us_states as (
    select distinct upper(trim(state_code)) as state_code
    from {{ ref('us_state_codes') }}
),

hk_mo_names as (
    select
        country_names.name_key,
        country_names.country_code
    from country_names
    inner join {{ ref('regions') }} as regions
        on country_names.country_code = regions.country_code
    where regions.is_hk_mo
),

places as (
    select
        snapshot_id,
        record_id,
        affiliation_seq,
        {{ positioned_elements('place_parts', 'place', 'place_seq') }}
    from affiliations
    where country_form is not null
),

hk_mo_places as (
    select
        places.snapshot_id,
        places.record_id,
        places.affiliation_seq,
        min_by(hk_mo_names.country_code, places.place_seq) as country_code
    from places
    inner join hk_mo_names
        on {{ wos_country_key('places.place') }} = hk_mo_names.name_key
    group by places.snapshot_id, places.record_id, places.affiliation_seq
),

coded as (
    select
        affiliations.snapshot_id,
        affiliations.record_id,
        affiliations.source_file,
        affiliations.affiliation_seq,
        affiliations.n_authors,
        affiliations.organisation,
        affiliations.sub_units,
        affiliations.city,
        affiliations.institution_id,
        affiliations.ror,
        affiliations.country_raw,
        affiliations.country_form,
        case
            when affiliations.country_form is null
                then coalesce(affiliations.ingested_country_code, 'UNKNOWN')
            when hk_mo_places.country_code is not null then hk_mo_places.country_code
            when us_states.state_code is not null then 'US'
            else coalesce(country_names.country_code, 'UNKNOWN')
        end as country_code,
        case
            when affiliations.country_form is null then affiliations.ingested_country_basis
            when hk_mo_places.country_code is not null then 'hk_mo_city'
            when us_states.state_code is not null then 'us_state_zip'
            else 'address'
        end as country_basis
    from affiliations
    left join hk_mo_places
        on
            affiliations.snapshot_id = hk_mo_places.snapshot_id
            and affiliations.record_id = hk_mo_places.record_id
            and affiliations.affiliation_seq = hk_mo_places.affiliation_seq
    left join us_states
        on
            affiliations.country_form = 'us_state_zip'
            and left(affiliations.country_raw, 2) = us_states.state_code
    left join country_names
        on {{ wos_country_key('affiliations.country_raw') }} = country_names.name_key
)

select * from coded
