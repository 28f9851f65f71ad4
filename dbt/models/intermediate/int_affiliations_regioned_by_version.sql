{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['source', 'snapshot_id'],
    post_hook="{{ delete_unkept_states(flag='feeds_kept_state') }}",
) }}
-- Every affiliation of each version of a record of both sources with its region, per delivery
-- (snapshot_id; macros/utils/state_rows.sql; read per state through int_affiliations_regioned). WoS: codes
-- from int_wos_affiliations_coded; OpenAlex: codes as delivered. The country code is
-- normalised through the alias seed (EU usage EL -> GR, UK -> GB) and placed with the regions seed:
--   UNKNOWN country -> 'UNKNOWN' (kept and reported, never dropped)
--   HK / MO         -> CN when var cn_includes_hk_mo is true, else 'OTHER'
--   not in the seed -> 'OTHER'
with

wos_affiliations as (
    select
        'wos' as source,
        snapshot_id,
        record_id,
        affiliation_seq,
        n_authors,
        organisation,
        institution_id,
        ror,
        country_raw,
        country_code,
        country_basis
    from {{ ref('int_wos_affiliations_coded') }}
    where {{ unbuilt_states('snapshot_id', "'wos'") }}
),

openalex_affiliations as (
    select
        'openalex' as source,
        snapshot_id,
        record_id,
        affiliation_seq,
        n_authors,
        organisation,
        institution_id,
        ror,
        country_raw,
        country_code,
        country_basis
    from {{ ref('stg_openalex__affiliations') }}
    where {{ unbuilt_states('snapshot_id', "'openalex'") }}
),

affiliations as (
    select * from wos_affiliations
    union all
    select * from openalex_affiliations
),

{{ country_region_lookups() }},

coded as (
    select
        affiliations.source,
        affiliations.snapshot_id,
        affiliations.record_id,
        affiliations.affiliation_seq,
        affiliations.n_authors,
        affiliations.organisation,
        affiliations.institution_id,
        affiliations.ror,
        affiliations.country_raw,
        affiliations.country_basis,
        coalesce(aliases.country_code, affiliations.country_code, 'UNKNOWN') as country_code
    from affiliations
    left join aliases
        on affiliations.country_code = aliases.alias_code
),

regioned as (
    select
        coded.source,
        coded.snapshot_id,
        coded.record_id,
        coded.affiliation_seq,
        coded.n_authors,
        coded.country_code,
        {{ region_of_country('coded.country_code', 'regions.region', 'regions.is_hk_mo') }} as region,
        coded.organisation,
        coded.institution_id,
        coded.ror,
        coded.country_raw,
        coded.country_basis
    from coded
    left join regions
        on coded.country_code = regions.country_code
)

select * from regioned
