{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['source', 'snapshot_id'],
    post_hook="{{ delete_unkept_states(flag='feeds_kept_state') }}",
) }}
-- The institutions of int_publication_institutions, per version and without their names (which the vote
-- over all kept states can change with any new state): one row per publication x side region x
-- institution key. Only EU27/AC and CN affiliations with an institution are kept; the same institution
-- at several addresses of a paper counts once. Var roll_up_institutions replaces each ROR institution by
-- its top-level parent in ROR (stg_ror__top_parents; the ROR dump is in the build fingerprint, so a
-- built delivery's rows cannot go stale): is_rolled_up says the key is a parent reached only through its
-- institutes on this paper and side, with the parent's ROR name and country for the view to fall back on.
-- Per version (snapshot_id: the delivery holding it; macros/utils/state_rows.sql), read per state through
-- int_publication_institution_keys. Incremental per delivery (macros/utils/incremental_states.sql).
with

affiliations as (
    select distinct
        source,
        snapshot_id,
        record_id,
        region as side,
        institution_key
    from {{ ref('int_affiliations_keyed_by_version') }}
    where
        region in ('EU27/AC', 'CN')
        and institution_key is not null
        and {{ unbuilt_states('snapshot_id', 'source') }}
),

tops as (
    select
        ror_id,
        top_ror_id,
        top_name,
        top_country
    from {{ ref('stg_ror__top_parents') }}
    where {{ bool_var('roll_up_institutions') }}
)

select
    affiliations.source,
    affiliations.snapshot_id,
    affiliations.record_id,
    affiliations.side,
    coalesce(tops.top_ror_id, affiliations.institution_key) as institution_key,
    {{ institution_level() }} as institution_level,
    bool_and(tops.top_ror_id is not null) as is_rolled_up,
    min(tops.top_name) as top_name,
    min(tops.top_country) as top_country
from affiliations
left join tops
    on affiliations.institution_key = tops.ror_id
group by
    affiliations.source,
    affiliations.snapshot_id,
    affiliations.record_id,
    affiliations.side,
    coalesce(tops.top_ror_id, affiliations.institution_key)
