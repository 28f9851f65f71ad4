-- Every kept affiliation of both sources with its institution (key and method: int_affiliations_keyed).
-- Name and country are those of the institution (one per key, see `institutions`), not of the row.
-- A table over every kept state, not incremental: the names are voted over all kept states, so a new
-- state can rename an institution. Only this vote and its join run over all states; the keying of each
-- affiliation is incremental per state (int_affiliations_keyed).
with

keyed as (
    select * from {{ ref('int_affiliations_keyed') }}
),

-- The registry name and country of a ROR id, where a WoS string resolved to it.
ror_names as (
    select
        ror_id,
        min(canonical_name) as canonical_name,
        min(institution_country) as institution_country
    from {{ ref('stg_institutions__matches') }}
    where ror_id is not null
    group by ror_id
),

-- The name a row proposes for its institution: its WoS match's, else the registry's of its OpenAlex ROR
-- id, else its own text and country.
candidates as (
    select
        keyed.institution_key,
        coalesce(keyed.matched_name, ror_names.canonical_name, keyed.organisation) as candidate_name,
        coalesce(keyed.matched_country, ror_names.institution_country, keyed.country_code)
            as candidate_country
    from keyed
    left join ror_names
        on
            keyed.resolution_method = 'openalex_ror'
            and keyed.institution_key = ror_names.ror_id
    where keyed.institution_key is not null
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
    from candidates
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
