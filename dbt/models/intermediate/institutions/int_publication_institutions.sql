-- One row per publication x side region x institution: the same institution listed at several addresses
-- of a paper counts once. Only EU27/AC and CN affiliations with an institution are kept (the two sides of
-- the top-institution tables); which publications count is decided by int_eu_cn_copublications.
-- Var roll_up_institutions (organisation hierarchy): each ROR institution is replaced by its top-level
-- parent in ROR (stg_ror__top_parents: a CAS institute counts as the Chinese Academy of Sciences), named
-- as the parent is named in the affiliations when it appears there itself, else by ROR; two institutes of
-- one parent on a paper then count once. institution_level says which level the row is at.
with

affiliations as (
    select distinct
        source,
        snapshot_id,
        record_id,
        region as side,
        institution_key,
        institution_name,
        institution_country
    from {{ ref('int_affiliation_institutions') }}
    where
        region in ('EU27/AC', 'CN')
        and institution_key is not null
),

-- The name an institution key carries in the affiliations (one per key: int_affiliation_institutions).
named as (
    select distinct
        institution_key,
        institution_name,
        institution_country
    from affiliations
),

tops as (
    select
        ror_id,
        top_ror_id,
        top_name,
        top_country
    from {{ ref('stg_ror__top_parents') }}
    where {{ bool_var('roll_up_institutions') }}
),

levelled as (
    select
        affiliations.source,
        affiliations.snapshot_id,
        affiliations.record_id,
        affiliations.side,
        coalesce(tops.top_ror_id, affiliations.institution_key) as institution_key,
        case
            when tops.top_ror_id is null then affiliations.institution_name
            else coalesce(named.institution_name, tops.top_name)
        end as institution_name,
        case
            when tops.top_ror_id is null then affiliations.institution_country
            else coalesce(named.institution_country, tops.top_country)
        end as institution_country
    from affiliations
    left join tops
        on affiliations.institution_key = tops.ror_id
    left join named
        on tops.top_ror_id = named.institution_key
)

select distinct
    *,
    {{ institution_level() }} as institution_level
from levelled
