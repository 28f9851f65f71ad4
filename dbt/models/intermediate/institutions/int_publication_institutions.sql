{{ config(materialized='view') }}
-- One row per publication x side region x institution (int_publication_institution_keys, per state),
-- named by the vote over all kept states (int_institution_names). With var roll_up_institutions a
-- parent reached only through its institutes is named as the parent itself is named in the EU27/AC or
-- CN affiliations of any kept state when it appears there, else by ROR (a CAS institute counts as the
-- Chinese Academy of Sciences). A view, so a new state renames institutions without rewriting the rows
-- of every kept state.
with

keys as (
    select * from {{ ref('int_publication_institution_keys') }}
),

voted as (
    select * from {{ ref('int_institution_names') }}
)

select
    keys.source,
    keys.snapshot_id,
    keys.record_id,
    keys.side,
    keys.institution_key,
    keys.institution_level,
    case
        when not keys.is_rolled_up then voted.institution_name
        when voted.appears_on_eu_cn_side then coalesce(voted.institution_name, keys.top_name)
        else keys.top_name
    end as institution_name,
    case
        when not keys.is_rolled_up then voted.institution_country
        when voted.appears_on_eu_cn_side then coalesce(voted.institution_country, keys.top_country)
        else keys.top_country
    end as institution_country
from keys
left join voted
    on keys.institution_key = voted.institution_key
