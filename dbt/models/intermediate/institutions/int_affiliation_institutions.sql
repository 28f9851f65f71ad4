-- Every kept affiliation of both sources with its institution:
--   WoS:      the resolution step's match of (organisation, lake country code): a ROR id or
--             unresolved:<country>:<text>; a string the step has not seen yet (ingested after it ran)
--             is kept as unresolved:<country>:<lower-case text> with method 'pending'
--   OpenAlex: the affiliation's ROR id as given; without one, the OpenAlex institution id (openalex:I...)
--   neither:  no organisation (WoS address of one part, OpenAlex authorship country only): NULL key,
--             method 'no_organisation'; the affiliation still counts for its region
-- Name and country are those of the institution (one per key, see `institutions`), not of the row.
-- Per state (snapshot_id; OpenAlex: the affiliations of the version kept in the state). A table, not
-- incremental: the institution names are voted over every kept state, so a new state can rename one.
with

staged as (
    select
        'wos' as source,
        snapshot_id,
        record_id,
        affiliation_seq,
        organisation,
        country_code as lake_country_code,
        cast(null as varchar) as ror,
        cast(null as varchar) as openalex_institution_id
    from {{ ref('int_wos_affiliations_coded') }}
    union all
    select
        'openalex' as source,
        state_works.snapshot_id,
        versions.record_id,
        versions.affiliation_seq,
        versions.organisation,
        versions.country_code as lake_country_code,
        versions.ror,
        versions.institution_id as openalex_institution_id
    from {{ ref('int_openalex_state_works') }} as state_works
    inner join {{ ref('stg_openalex__affiliations') }} as versions
        on
            state_works.version_snapshot_id = versions.snapshot_id
            and state_works.record_id = versions.record_id
),

regioned as (
    select
        source,
        snapshot_id,
        record_id,
        affiliation_seq,
        country_code,
        region
    from {{ ref('int_affiliations_regioned') }}
),

matches as (
    select * from {{ ref('stg_institutions__matches') }}
),

-- The registry name and country of a ROR id, where a WoS string resolved to it.
ror_names as (
    select
        ror_id,
        min(canonical_name) as canonical_name,
        min(institution_country) as institution_country
    from matches
    where ror_id is not null
    group by ror_id
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
        end as resolution_method,
        coalesce(matches.canonical_name, ror_names.canonical_name, staged.organisation) as candidate_name,
        coalesce(matches.institution_country, ror_names.institution_country, regioned.country_code)
            as candidate_country
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
    left join ror_names
        on staged.ror = ror_names.ror_id
),

-- One name and country per institution: the most frequent over its affiliation rows (ties: the
-- alphabetically first), so a ROR id named slightly differently by two sources reads the same everywhere.
name_votes as (
    select
        institution_key,
        candidate_name,
        candidate_country,
        row_number() over (
            partition by institution_key
            order by count(*) desc, candidate_name asc, candidate_country asc
        ) as vote_rank
    from keyed
    where institution_key is not null
    group by institution_key, candidate_name, candidate_country
),

institutions as (
    select
        institution_key,
        candidate_name as institution_name,
        candidate_country as institution_country
    from name_votes
    where vote_rank = 1
)

select
    keyed.source,
    keyed.snapshot_id,
    keyed.record_id,
    keyed.affiliation_seq,
    keyed.country_code,
    keyed.region,
    keyed.organisation,
    keyed.institution_key,
    institutions.institution_name,
    institutions.institution_country,
    keyed.resolution_method,
    coalesce(keyed.institution_key like 'https://ror.org/%', false) as is_resolved
from keyed
left join institutions
    on keyed.institution_key = institutions.institution_key
