-- Country strings that could not be mapped (country UNKNOWN), per source and snapshot, with how many
-- affiliations and records carry them: reported here, never dropped (they count as region UNKNOWN).
-- A missing country (NULL country_raw) is its own row. Extend the WoS country-name seed to fix them.
with

unknown_affiliations as (
    select
        source,
        snapshot_id,
        record_id,
        country_raw
    from {{ ref('int_affiliations_regioned') }}
    where region = 'UNKNOWN'
),

snapshots as (
    select
        source,
        snapshot_id,
        snapshot_as_of,
        is_current
    from {{ ref('int_served_snapshots') }}
    where is_kept
),

raw_value_counts as (
    select
        source,
        snapshot_id,
        country_raw,
        count(*) as affiliations,
        count(distinct record_id) as records
    from unknown_affiliations
    group by source, snapshot_id, country_raw
)

select
    cast(raw_value_counts.source as string) as source,
    cast(raw_value_counts.snapshot_id as string) as snapshot_id,
    cast(snapshots.snapshot_as_of as date) as snapshot_as_of,
    cast(snapshots.is_current as boolean) as is_current_snapshot,
    cast(raw_value_counts.country_raw as string) as country_raw,
    cast(raw_value_counts.affiliations as bigint) as affiliations,
    cast(raw_value_counts.records as bigint) as records,
    {{ mart_settings_columns() }}
from raw_value_counts
inner join snapshots
    on
        raw_value_counts.source = snapshots.source
        and raw_value_counts.snapshot_id = snapshots.snapshot_id
