-- One name and country per institution key, voted over the served states (kept, and not held back by
-- the plausibility gate: int_served_snapshots): each affiliation row proposes its WoS match's registry
-- name, else the registry name of its OpenAlex ROR id (looked up over all matches), else its own text
-- and country; the most frequent proposal wins (ties: the alphabetically first), so a ROR id named
-- slightly differently by two sources reads the same everywhere. A table over all kept states, as a new
-- state can rename an institution, but it reads only the per-state ballot counts
-- (int_institution_name_votes), not the affiliations.
with

ballots as (
    select
        counted.institution_key,
        counted.is_openalex_ror,
        counted.matched_name,
        counted.matched_country,
        counted.organisation,
        counted.country_code,
        counted.region,
        counted.n_affiliations,
        coalesce(served.is_kept, false) as is_served
    from {{ ref('int_institution_name_votes') }} as counted
    left join {{ ref('int_served_snapshots') }} as served
        on
            counted.source = served.source
            and counted.snapshot_id = served.snapshot_id
),

-- A state the plausibility gate holds back is in no mart, so it does not name what the marts show: a
-- key's ballots from served states decide; a key found only in held states is named by those.
votes as (
    select
        institution_key,
        is_openalex_ror,
        matched_name,
        matched_country,
        organisation,
        country_code,
        region,
        n_affiliations
    from ballots
    qualify is_served or not bool_or(is_served) over (partition by institution_key)
),

-- Whether a key is on an EU27/AC or CN affiliation of any state that votes (the two sides of the
-- top-institution tables): int_publication_institutions names a rolled-up parent by its vote only then.
sides as (
    select
        institution_key,
        bool_or(region in ('EU27/AC', 'CN')) as appears_on_eu_cn_side
    from votes
    group by institution_key
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

candidates as (
    select
        votes.institution_key,
        votes.n_affiliations,
        coalesce(votes.matched_name, ror_names.canonical_name, votes.organisation) as candidate_name,
        coalesce(votes.matched_country, ror_names.institution_country, votes.country_code)
            as candidate_country
    from votes
    left join ror_names
        on
            votes.is_openalex_ror
            and votes.institution_key = ror_names.ror_id
),

name_votes as (
    select
        institution_key,
        candidate_name,
        candidate_country,
        row_number() over (
            partition by institution_key
            order by sum(n_affiliations) desc, candidate_name asc, candidate_country asc
        ) as vote_rank
    from candidates
    group by institution_key, candidate_name, candidate_country
)

select
    name_votes.institution_key,
    name_votes.candidate_name as institution_name,
    name_votes.candidate_country as institution_country,
    sides.appears_on_eu_cn_side
from name_votes
inner join sides
    on name_votes.institution_key = sides.institution_key
where name_votes.vote_rank = 1
