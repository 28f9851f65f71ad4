{{ config(materialized='view') }}
-- Every kept affiliation of both sources with its institution (key and method: int_affiliations_keyed),
-- named by the vote over all kept states (int_institution_names). A view: the join of each state's
-- keyed rows with one name per key is cheap to read, so a new state, which can rename any institution,
-- rewrites only the names, not every affiliation of every kept state.
select
    keyed.source,
    keyed.snapshot_id,
    keyed.record_id,
    keyed.affiliation_seq,
    keyed.country_code,
    keyed.region,
    keyed.organisation,
    keyed.institution_key,
    voted.institution_name,
    voted.institution_country,
    keyed.resolution_method,
    coalesce(keyed.institution_key like 'https://ror.org/%', false) as is_resolved
from {{ ref('int_affiliations_keyed') }} as keyed
left join {{ ref('int_institution_names') }} as voted
    on keyed.institution_key = voted.institution_key
