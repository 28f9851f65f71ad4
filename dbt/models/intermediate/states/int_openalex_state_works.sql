{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['snapshot_id'],
    carry_forward=true,
    post_hook="{{ delete_unkept_states(source_name='openalex') }}",
) }}
-- The OpenAlex works of every kept state, one row per (state, work) (METHOD.md "Snapshots, bases and
-- deltas"): over the state's member deliveries (int_snapshot_states) the latest version of each work wins
-- (updated_date, then the later delivery, then the greater source_file and later record, as within one
-- delivery); a work listed in merged_ids of any member is dropped; a work absent from a delta keeps its
-- earlier version. version_snapshot_id is the delivery whose version was kept: its affiliations,
-- categories and scope match (int_publication_scope, computed once per version) are the state's.
with

members as (
    select
        state_id,
        member_snapshot_id,
        member_order
    from {{ ref('int_snapshot_states') }}
    where source = 'openalex' and is_kept and {{ unbuilt_states('state_id') }}
),

versions as (
    select
        snapshot_id,
        record_id,
        source_file,
        record_seq,
        updated_date
    from {{ ref('stg_openalex__publications') }}
),

merged_ids as (
    select distinct
        members.state_id,
        merged.record_id
    from {{ ref('stg_openalex__merged_ids') }} as merged
    inner join members
        on merged.snapshot_id = members.member_snapshot_id
),

ranked as (
    select
        members.state_id,
        versions.record_id,
        versions.snapshot_id as version_snapshot_id,
        versions.source_file,
        row_number() over (
            partition by members.state_id, versions.record_id
            order by
                versions.updated_date desc nulls last,
                members.member_order desc,
                versions.source_file desc,
                versions.record_seq desc
        ) as recency
    from versions
    inner join members
        on versions.snapshot_id = members.member_snapshot_id
    where {{ fresh_works('members.state_id', 'versions.record_id') }}
)

select
    ranked.state_id as snapshot_id,
    ranked.record_id,
    ranked.version_snapshot_id,
    ranked.source_file
from ranked
left join merged_ids
    on
        ranked.state_id = merged_ids.state_id
        and ranked.record_id = merged_ids.record_id
where ranked.recency = 1 and merged_ids.record_id is null
