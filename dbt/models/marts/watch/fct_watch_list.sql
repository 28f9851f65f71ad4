-- The watch list: per source, snapshot, period ('all' years, then each year), European institution,
-- listed Chinese organisation, list and sensitive topic, the co-publications (PATSTAT: co-patent families)
-- the two share (int_watch_periods x int_watch_partners x int_watch_topics, each the union of publications
-- and patents).
-- topic_id 'all_topics' counts every shared co-publication whatever its topic; a co-publication in two
-- topics counts in each. An organisation is listed from a list's newest version; the delisting rule
-- (int_watch_listed_partners): no flag for publications after the entry's delisting year. entry_ids and
-- match_methods trace each row to its list entries (dim_indicator_entry) and how they were resolved.
-- These are indicators from public lists, not verdicts.
with

european as (
    select * from {{ ref('int_watch_periods') }}
    where has_listed_partner
),

partners as (
    select * from {{ ref('int_watch_partners') }}
),

topics as (
    select * from {{ ref('int_watch_topics') }}
    union all
    select distinct
        source,
        snapshot_id,
        record_id,
        'all_topics' as topic_id
    from partners
),

topic_labels as (
    select
        topic_id,
        label as topic_label
    from {{ ref('sensitive_topics') }}
    where topic_version = {{ sensitive_topics_version_literal() }}
    union all
    select
        'all_topics' as topic_id,
        'All topics' as topic_label
),

shared as (
    select
        european.source,
        european.snapshot_id,
        european.period,
        european.pub_year,
        european.record_id,
        european.record_year,
        european.institution_key,
        european.institution_name,
        european.institution_country,
        partners.list_id,
        partners.entry_id,
        partners.listed_institution_key,
        partners.listed_institution_name,
        partners.listed_institution_country,
        partners.resolution_method,
        topics.topic_id
    from european
    inner join partners
        on
            european.source = partners.source
            and european.snapshot_id = partners.snapshot_id
            and european.record_id = partners.record_id
    inner join topics
        on
            european.source = topics.source
            and european.snapshot_id = topics.snapshot_id
            and european.record_id = topics.record_id
),

counted as (
    select
        source,
        snapshot_id,
        period,
        pub_year,
        institution_key,
        institution_name,
        institution_country,
        list_id,
        listed_institution_key,
        listed_institution_name,
        listed_institution_country,
        topic_id,
        count(distinct record_id) as copublications,
        min(record_year) as first_year_shared,
        max(record_year) as last_year_shared,
        {{ ordered_string_agg('entry_id', "', '", distinct=true) }} as entry_ids,
        {{ ordered_string_agg('resolution_method', "', '", distinct=true) }} as match_methods
    from shared
    group by
        source, snapshot_id, period, pub_year, institution_key, institution_name, institution_country,
        list_id, listed_institution_key, listed_institution_name, listed_institution_country, topic_id
),

snapshots as (
    select
        source,
        snapshot_id,
        snapshot_as_of,
        is_current
    from {{ ref('int_served_snapshots') }}
    where is_kept
)

select
    cast(counted.source as string) as source,
    cast(counted.snapshot_id as string) as snapshot_id,
    cast(snapshots.snapshot_as_of as date) as snapshot_as_of,
    cast(snapshots.is_current as boolean) as is_current_snapshot,
    cast(counted.period as string) as period,
    cast(counted.pub_year as integer) as pub_year,
    cast(counted.institution_key as string) as institution_key,
    cast(counted.institution_name as string) as institution_name,
    cast(counted.institution_country as string) as institution_country,
    cast(counted.list_id as string) as list_id,
    cast(counted.listed_institution_key as string) as listed_institution_key,
    cast(counted.listed_institution_name as string) as listed_institution_name,
    cast(counted.listed_institution_country as string) as listed_institution_country,
    cast(counted.topic_id as string) as topic_id,
    cast(topic_labels.topic_label as string) as topic_label,
    cast(counted.copublications as bigint) as copublications,
    cast(counted.first_year_shared as integer) as first_year_shared,
    cast(counted.last_year_shared as integer) as last_year_shared,
    cast(counted.entry_ids as string) as entry_ids,
    cast(counted.match_methods as string) as match_methods,
    cast(case when counted.source = 'patstat' then 'applicant' else {{ institution_level() }} end as string)
        as institution_level,
    cast({{ sensitive_topics_version_literal() }} as string) as topic_version,
    {{ completeness_columns() }},
    {{ mart_settings_columns() }}
from counted
inner join snapshots
    on
        counted.source = snapshots.source
        and counted.snapshot_id = snapshots.snapshot_id
inner join topic_labels
    on counted.topic_id = topic_labels.topic_id
{{ completeness_join('counted.source', 'counted.snapshot_id', 'counted.pub_year') }}
