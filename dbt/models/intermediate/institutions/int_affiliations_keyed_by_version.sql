{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['source', 'snapshot_id'],
    post_hook="{{ delete_unkept_states(flag='feeds_kept_state') }}",
) }}
-- Every affiliation of each version of a record of both sources with its institution key, per delivery
-- (snapshot_id; macros/utils/state_rows.sql; read per state through int_affiliations_keyed), before the
-- name vote of int_affiliation_institutions:
--   WoS:      the resolution step's match of (organisation, lake country code): a ROR id or
--             unresolved:<country>:<text>; a string the step has not seen yet (ingested after it ran)
--             is kept as unresolved:<country>:<lower-case text> with method 'pending'
--   OpenAlex: the affiliation's ROR id as given; without one, the OpenAlex institution id (openalex:I...)
--   neither:  no organisation (WoS address of one part, OpenAlex authorship country only): NULL key,
--             method 'no_organisation'; the affiliation still counts for its region
-- matched_name / matched_country: the registry name and country of the WoS string's match. The
-- registry name of an OpenAlex ROR id is looked up over all matches by int_affiliation_institutions,
-- not here, because a later WoS snapshot can match a string to that ROR id.
-- Incremental per delivery (macros/utils/incremental_states.sql). A built delivery's rows cannot go stale:
-- the match of a (string, country) pair changes only with the ROR dump or the alias and abbreviation
-- seeds, which change the build fingerprint (stiwatch.build_plan: full rebuild); the resolution step
-- runs before dbt at every refresh over every WoS part in the lake, so the strings of a new delivery
-- are matched before it is built, and 'pending' appears only when dbt runs without that step.
with

staged as (
    select
        'wos' as source,
        snapshot_id,
        record_id,
        affiliation_seq,
        organisation,
        country_code as lake_country_code,
        cast(null as string) as ror,
        cast(null as string) as openalex_institution_id
    from {{ ref('int_wos_affiliations_coded') }}
    where {{ unbuilt_states('snapshot_id', "'wos'") }}
    union all
    select
        'openalex' as source,
        snapshot_id,
        record_id,
        affiliation_seq,
        organisation,
        country_code as lake_country_code,
        ror,
        institution_id as openalex_institution_id
    from {{ ref('stg_openalex__affiliations') }}
    where {{ unbuilt_states('snapshot_id', "'openalex'") }}
),

regioned as (
    select
        source,
        snapshot_id,
        record_id,
        affiliation_seq,
        country_code,
        region
    from {{ ref('int_affiliations_regioned_by_version') }}
    where {{ unbuilt_states('snapshot_id', 'source') }}
),

matches as (
    select * from {{ ref('stg_institutions__matches') }}
),

keyed as (
    select
        staged.source,
        staged.snapshot_id,
        staged.record_id,
        staged.affiliation_seq,
        regioned.country_code,
        regioned.region,
        staged.organisation,
        matches.canonical_name as matched_name,
        matches.institution_country as matched_country,
        case
            when staged.source = 'openalex' and staged.ror is not null then staged.ror
            when staged.source = 'openalex' and staged.openalex_institution_id is not null
                then concat('openalex:', staged.openalex_institution_id)
            when trim(coalesce(staged.organisation, '')) = '' then null
            when matches.institution_key is not null then matches.institution_key
            else concat('unresolved:', staged.lake_country_code, ':', lower(trim(staged.organisation)))
        end as institution_key,
        case
            when staged.source = 'openalex' and staged.ror is not null then 'openalex_ror'
            when staged.source = 'openalex' and staged.openalex_institution_id is not null then 'openalex_id'
            when trim(coalesce(staged.organisation, '')) = '' then 'no_organisation'
            when matches.institution_key is not null then matches.method
            else 'pending'
        end as resolution_method
    from staged
    inner join regioned
        on
            staged.source = regioned.source
            and staged.snapshot_id = regioned.snapshot_id
            and staged.record_id = regioned.record_id
            and staged.affiliation_seq = regioned.affiliation_seq
    left join matches
        on
            staged.source = 'wos'
            and staged.organisation = matches.organisation
            and staged.lake_country_code = matches.country_code
)

select * from keyed
