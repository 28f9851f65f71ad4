{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['source', 'snapshot_id'],
    post_hook="{{ delete_unkept_states() }}",
) }}
-- The ballots of the institution name vote (int_institution_names), counted per state: how many keyed
-- affiliation rows of the state carry each combination of what a row can propose as its institution's
-- name and country, with the row's region (int_publication_institutions asks whether a key appears on
-- the EU27/AC or CN side). The registry name of an OpenAlex ROR id is not resolved here but at the vote,
-- over all matches (a later WoS snapshot can match a string to that ROR id), so a built state's counts
-- never go stale. Incremental per state (macros/utils/incremental_states.sql): a delta build counts only
-- its new state, and the vote sums these counts over the kept states instead of re-reading every
-- affiliation.
select
    source,
    snapshot_id,
    institution_key,
    matched_name,
    matched_country,
    organisation,
    country_code,
    region,
    resolution_method = 'openalex_ror' as is_openalex_ror,
    count(*) as n_affiliations
from {{ ref('int_affiliations_keyed') }}
where
    institution_key is not null
    and {{ unbuilt_states('snapshot_id', 'source') }}
group by
    source,
    snapshot_id,
    institution_key,
    matched_name,
    matched_country,
    organisation,
    country_code,
    region,
    resolution_method = 'openalex_ror'
