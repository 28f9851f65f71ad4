-- One row per published delivery (a manifest exists), with how it enters the marts (METHOD.md
-- "Snapshots, bases and deltas"):
--   snapshot_kind / base_snapshot_id: a 'full' delivery is its own base; a 'delta' (OpenAlex only) applies
--     to base_snapshot_id. A manifest written before these keys existed is a full delivery.
--   delivery_order: 1 = the oldest delivery of the source, by as-of date, then a full before a delta of
--     the same day (a same-day delta applies on top of it, whatever the ids), then snapshot id, then
--     ingest time (stiwatch.build_plan.deliveries keeps the same order). Every delivery defines a state
--     (its base with every delta of that base up to it folded in, int_snapshot_states), whose id is the
--     delivery's id.
--   accepted_by / accepted_at: who let the state through the plausibility gate (stiwatch accept), else NULL;
--     a retracted delivery (stiwatch retract) is not listed at all (macros/lake/lake_manifests.sql).
--     The marts take is_current / is_kept after the plausibility gate from int_served_snapshots.
--   is_current: the newest state of the source; is_kept: one of the newest var keep_snapshots states (only
--     those are counted in the marts; the lake keeps every delivery); feeds_kept_state: the delivery is a
--     member of a kept state (a kept state itself, or an earlier delivery of the same base as one).
with

source as (
    select * from {{ lake_manifests() }} as manifests
),

renamed as (
    select
        source,
        snapshot_id,
        as_of as snapshot_as_of,
        ingested_at,
        records as snapshot_records,
        accepted_by,
        cast(accepted_at as {{ timestamp_tz_type() }}) as accepted_at,
        coalesce(kind, 'full') as snapshot_kind,
        coalesce(base, snapshot_id) as base_snapshot_id,
        row_number() over (
            partition by source
            order by as_of, coalesce(kind, 'full') <> 'full', snapshot_id, ingested_at
        ) as delivery_order,
        row_number() over (
            partition by source
            order by as_of desc, coalesce(kind, 'full') <> 'full' desc, snapshot_id desc, ingested_at desc
        ) as newness
    from source
),

kept as (
    select
        source,
        snapshot_id,
        snapshot_as_of,
        ingested_at,
        snapshot_records,
        snapshot_kind,
        base_snapshot_id,
        accepted_by,
        accepted_at,
        delivery_order,
        newness = 1 as is_current,
        newness <= {{ int_var('keep_snapshots') }} as is_kept
    from renamed
)

select
    source,
    snapshot_id,
    snapshot_as_of,
    ingested_at,
    snapshot_records,
    snapshot_kind,
    base_snapshot_id,
    accepted_by,
    accepted_at,
    delivery_order,
    is_current,
    is_kept,
    -- The newest delivery of a base is the newest state holding each of its deliveries: kept states are
    -- the newest ones, so a delivery feeds a kept state exactly when the newest delivery of its base is kept.
    bool_or(is_kept) over (partition by source, base_snapshot_id) as feeds_kept_state
from kept
