{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['source', 'snapshot_id'],
    carry_forward='versions',
    post_hook="{{ delete_unkept_states() }}",
) }}
-- Every kept affiliation of both sources with its region, per state (snapshot_id; OpenAlex: the
-- affiliations of the version kept in the state, int_openalex_state_works; WoS: codes from
-- int_wos_affiliations_coded, OpenAlex codes as delivered). The country code is
-- normalised through the alias seed (EU usage EL -> GR, UK -> GB) and placed with the regions seed:
--   UNKNOWN country -> 'UNKNOWN' (kept and reported, never dropped)
--   HK / MO         -> CN when var cn_includes_hk_mo is true, else 'OTHER'
--   not in the seed -> 'OTHER'
with

wos_affiliations as (
    select
        'wos' as source,
        snapshot_id,
        snapshot_id as version_snapshot_id,
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
        state_works.snapshot_id,
        state_works.version_snapshot_id,
        versions.record_id,
        versions.affiliation_seq,
        versions.n_authors,
        versions.organisation,
        versions.institution_id,
        versions.ror,
        versions.country_raw,
        versions.country_code,
        versions.country_basis
    from {{ ref('int_openalex_state_works') }} as state_works
    inner join {{ ref('stg_openalex__affiliations') }} as versions
        on
            state_works.version_snapshot_id = versions.snapshot_id
            and state_works.record_id = versions.record_id
    where
        {{ unbuilt_states('state_works.snapshot_id', "'openalex'") }}
        and {{ fresh_works('state_works.snapshot_id', 'state_works.record_id') }}
        and {{ fresh_versions('versions.snapshot_id') }}
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
        affiliations.version_snapshot_id,
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
        coded.version_snapshot_id,
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
