-- Per source, snapshot, period ('all' years, then each year), European institution and sensitive topic:
-- its co-publications with China in the topic (int_publication_sensitive_topics), their share of all its
-- co-publications with China, and how many of them involve a listed Chinese organisation. Only topics
-- with at least one co-publication have a row (absent = 0). The report's institution x topic heat map.
with

european as (
    select * from {{ ref('int_watch_periods') }}
),

totals as (
    select
        source,
        snapshot_id,
        period,
        institution_key,
        count(distinct record_id) as copublications_with_cn
    from european
    group by source, snapshot_id, period, institution_key
),

in_topic as (
    select
        european.source,
        european.snapshot_id,
        european.period,
        european.pub_year,
        european.institution_key,
        european.institution_name,
        european.institution_country,
        topics.topic_id,
        count(distinct european.record_id) as topic_copublications,
        count(distinct european.record_id) filter (where european.has_listed_partner)
            as listed_topic_copublications
    from european
    inner join {{ ref('int_watch_topics') }} as topics
        on
            european.source = topics.source
            and european.snapshot_id = topics.snapshot_id
            and european.record_id = topics.record_id
    group by
        european.source, european.snapshot_id, european.period, european.pub_year,
        european.institution_key, european.institution_name, european.institution_country, topics.topic_id
),

topic_labels as (
    select
        topic_id,
        label
    from {{ ref('sensitive_topics') }}
    where topic_version = {{ sensitive_topics_version_literal() }}
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
    cast(in_topic.source as string) as source,
    cast(in_topic.snapshot_id as string) as snapshot_id,
    cast(snapshots.snapshot_as_of as date) as snapshot_as_of,
    cast(snapshots.is_current as boolean) as is_current_snapshot,
    cast(in_topic.period as string) as period,
    cast(in_topic.pub_year as integer) as pub_year,
    cast(in_topic.institution_key as string) as institution_key,
    cast(in_topic.institution_name as string) as institution_name,
    cast(in_topic.institution_country as string) as institution_country,
    cast(in_topic.topic_id as string) as topic_id,
    cast(topic_labels.label as string) as topic_label,
    cast(in_topic.topic_copublications as bigint) as topic_copublications,
    cast(totals.copublications_with_cn as bigint) as copublications_with_cn,
    cast(in_topic.topic_copublications as double) / totals.copublications_with_cn as topic_share,
    cast(in_topic.listed_topic_copublications as bigint) as listed_topic_copublications,
    cast(case when in_topic.source = 'patstat' then 'applicant' else {{ institution_level() }} end as string)
        as institution_level,
    cast({{ sensitive_topics_version_literal() }} as string) as topic_version,
    {{ completeness_columns() }},
    {{ mart_settings_columns() }}
from in_topic
inner join totals
    on
        in_topic.source = totals.source
        and in_topic.snapshot_id = totals.snapshot_id
        and in_topic.period = totals.period
        and in_topic.institution_key = totals.institution_key
inner join topic_labels
    on in_topic.topic_id = topic_labels.topic_id
inner join snapshots
    on
        in_topic.source = snapshots.source
        and in_topic.snapshot_id = snapshots.snapshot_id
{{ completeness_join('in_topic.source', 'in_topic.snapshot_id', 'in_topic.pub_year') }}
