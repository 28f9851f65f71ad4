{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['source', 'snapshot_id'],
    post_hook="{{ delete_unkept_states(flag='feeds_kept_state') }}",
) }}
-- The sensitive topics of each counted EU27/AC-CN co-publication (int_eu_cn_copublications), as defined by
-- the rows of seeds sensitive_topics / sensitive_topic_terms with var sensitive_topics_version. One row per
-- (version, publication, topic) it falls in, with how: `keyword` (title, abstract or keywords; the scope's
-- matching rules, macro sensitive_topic_regexes), `category` (a WoS category, or the OpenAlex primary
-- topic / its subfield, as in the scope), or both. Only co-publications are matched: the watch list
-- counts nothing else. snapshot_id is the delivery holding the version (macros/utils/state_rows.sql;
-- read per state through int_publication_sensitive_topics). Incremental per delivery
-- (macros/utils/incremental_states.sql).
-- depends_on: {{ ref('sensitive_topics') }}
{%- set patterns = sensitive_topic_regexes() %}
with

copublications as (
    select
        source,
        snapshot_id,
        record_id
    from {{ ref('int_eu_cn_copublications_by_version') }}
    where {{ unbuilt_states('snapshot_id', 'source') }}
),

texts as (
    select
        'wos' as source,
        snapshot_id,
        record_id,
        concat_ws(' ', title, abstract, keywords) as searchable_text
    from {{ ref('stg_wos__publications') }}
    where {{ unbuilt_states('snapshot_id', "'wos'") }}
    union all
    select
        'openalex' as source,
        snapshot_id,
        record_id,
        concat_ws(' ', title, abstract, keywords) as searchable_text
    from {{ ref('stg_openalex__publications') }}
    where {{ unbuilt_states('snapshot_id', "'openalex'") }}
),

copublication_texts as (
    select
        copublications.source,
        copublications.snapshot_id,
        copublications.record_id,
        texts.searchable_text
    from copublications
    inner join texts
        on
            copublications.source = texts.source
            and copublications.snapshot_id = texts.snapshot_id
            and copublications.record_id = texts.record_id
),

-- A typed empty start, then one branch per topic with keywords (none before the seed exists).
keyword_hits as (
    select
        cast(null as string) as source,
        cast(null as string) as snapshot_id,
        cast(null as string) as record_id,
        cast(null as string) as topic_id
    where false
    {%- for topic_id, pattern in patterns.items() %}
        union all
        select
            source,
            snapshot_id,
            record_id,
            {{ string_literal(topic_id) }} as topic_id
        from copublication_texts
        where {{ regex_contains('searchable_text', pattern) }}
    {%- endfor %}
),

categories as (
    select
        'wos' as source,
        snapshot_id,
        record_id,
        scheme,
        category_id
    from {{ ref('stg_wos__categories') }}
    where {{ unbuilt_states('snapshot_id', "'wos'") }}
    union all
    select
        'openalex' as source,
        snapshot_id,
        record_id,
        scheme,
        category_id
    from {{ ref('stg_openalex__categories') }}
    where is_primary and {{ unbuilt_states('snapshot_id', "'openalex'") }}
),

topic_categories as (
    select distinct
        topic_id,
        scheme,
        lower(trim(term)) as category_key
    from {{ ref('sensitive_topic_terms') }}
    where
        topic_version = {{ sensitive_topics_version_literal() }}
        and scheme in ('wos_category', 'openalex_subfield', 'openalex_topic')
),

category_hits as (
    select distinct
        copublications.source,
        copublications.snapshot_id,
        copublications.record_id,
        topic_categories.topic_id
    from copublications
    inner join categories
        on
            copublications.source = categories.source
            and copublications.snapshot_id = categories.snapshot_id
            and copublications.record_id = categories.record_id
    inner join topic_categories
        on
            categories.scheme = topic_categories.scheme
            and lower(trim(categories.category_id)) = topic_categories.category_key
),

hits as (
    select
        *,
        'keyword' as matched_by
    from keyword_hits
    union all
    select
        *,
        'category' as matched_by
    from category_hits
)

select
    source,
    snapshot_id,
    record_id,
    topic_id,
    {{ ordered_string_agg('matched_by', "', '", distinct=true) }} as matched_by,
    {{ sensitive_topics_version_literal() }} as topic_version
from hits
group by source, snapshot_id, record_id, topic_id
