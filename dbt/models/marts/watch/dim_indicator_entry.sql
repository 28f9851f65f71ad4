-- Every entry of every landed indicator-list version (stg_indicators__entries), with its resolution:
-- the institution it resolved to (by the given ROR id, else by name or alias through the matcher),
-- how and with which score, or 'unresolved' (listed, flags nothing). is_current_version: the newest
-- version of its list, the one the watch marts use. flagged_in_sources: the sources whose current snapshot
-- has a counted co-publication or co-patent family it flags (after the delisting rule; counts per source
-- are in fct_watch_list, never added across sources), so an entry that matched nothing is visible.
with

entries as (
    select * from {{ ref('stg_indicators__entries') }}
),

current_snapshots as (
    select
        source,
        snapshot_id
    from {{ ref('int_served_snapshots') }}
    where is_kept and is_current
),

flags as (
    select
        partners.entry_id,
        {{ ordered_string_agg('partners.source', "', '", distinct=true) }} as flagged_in_sources
    from {{ ref('int_watch_partners') }} as partners
    inner join current_snapshots
        on
            partners.source = current_snapshots.source
            and partners.snapshot_id = current_snapshots.snapshot_id
    group by partners.entry_id
)

select
    cast(entries.entry_id as string) as entry_id,
    cast(entries.list_id as string) as list_id,
    cast(entries.list_version as string) as list_version,
    cast(entries.list_as_of as date) as list_as_of,
    cast(entries.is_current_version as boolean) as is_current_version,
    cast(entries.source_file as string) as source_file,
    cast(entries.source_format as string) as source_format,
    cast(entries.record_seq as integer) as record_seq,
    cast(entries.name as string) as name,  -- noqa: RF04
    cast(entries.aliases as string) as aliases,
    cast(entries.country_code as string) as country_code,
    cast(entries.given_ror_id as string) as given_ror_id,
    cast(entries.category as string) as category,
    cast(entries.listed_on as date) as listed_on,
    cast(entries.delisted_on as date) as delisted_on,
    cast(entries.source_url as string) as source_url,
    cast(entries.notes as string) as notes,
    cast(entries.institution_key is not null as boolean) as is_resolved,
    cast(entries.institution_key as string) as institution_key,
    cast(entries.institution_name as string) as institution_name,
    cast(entries.institution_country as string) as institution_country,
    cast(entries.resolution_method as string) as resolution_method,
    cast(entries.resolution_score as double) as resolution_score,
    cast(entries.matched_text as string) as matched_text,
    cast(entries.ror_in_registry as boolean) as ror_in_registry,
    cast(entries.registry_id as string) as registry_id,
    cast(flags.flagged_in_sources is not null as boolean) as is_flagging,
    cast(flags.flagged_in_sources as string) as flagged_in_sources,
    {{ build_stamp_columns() }}
from entries
left join flags
    on
        entries.is_current_version
        and entries.entry_id = flags.entry_id
