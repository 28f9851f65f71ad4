-- stg_lake__snapshots after the plausibility gate (int_state_plausibility): the deliveries the marts
-- count and publish. A held state is not kept (is_kept false) and is never current; is_current is the
-- newest kept state that is not held, so the state a held delivery would have replaced keeps serving.
-- The marts and their intermediate tables (spines, editions, completeness) read this model instead of
-- stg_lake__snapshots; the per-state incremental models still compute held states, so the gate can
-- compare them and an accepted state needs no rebuild.
with

deliveries as (
    select * from {{ ref('stg_lake__snapshots') }}
),

gate as (
    select
        source,
        snapshot_id,
        is_held
    from {{ ref('int_state_plausibility') }}
),

served as (
    select
        deliveries.*,
        coalesce(gate.is_held, false) as is_held,
        deliveries.is_kept and not coalesce(gate.is_held, false) as is_served
    from deliveries
    left join gate
        on
            deliveries.source = gate.source
            and deliveries.snapshot_id = gate.snapshot_id
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
    is_served as is_kept,
    is_held,
    feeds_kept_state,
    coalesce(
        is_served
        and delivery_order = max(case when is_served then delivery_order end) over (partition by source),
        false
    ) as is_current
from served
