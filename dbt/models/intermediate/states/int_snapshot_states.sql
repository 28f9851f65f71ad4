-- The member deliveries of every kept state (METHOD.md "Snapshots, bases and deltas"), one row per
-- (state, member). A state is named after its newest delivery (state_id); its members are its base and
-- every delta of that base delivered up to and including it, in delivery order (member_order 1 = the
-- base). A WoS export or PATSTAT edition is a full delivery: its state has only itself; so has the state
-- of a new full OpenAlex snapshot, which starts a new base. A delta is never a state on its own.
with

deliveries as (
    select
        source,
        snapshot_id,
        snapshot_kind,
        base_snapshot_id,
        delivery_order,
        snapshot_as_of,
        is_current,
        is_kept
    from {{ ref('stg_lake__snapshots') }}
)

select
    states.source,
    states.snapshot_id as state_id,
    members.snapshot_id as member_snapshot_id,
    members.snapshot_kind as member_kind,
    cast(row_number() over (
        partition by states.source, states.snapshot_id
        order by members.delivery_order
    ) as integer) as member_order,
    states.snapshot_as_of as state_as_of,
    states.is_current,
    states.is_kept
from deliveries as states
inner join deliveries as members
    on
        states.source = members.source
        and states.base_snapshot_id = members.base_snapshot_id
        and states.delivery_order >= members.delivery_order
