{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['source', 'snapshot_id'],
    post_hook="{{ delete_unkept_states(flag='feeds_kept_state') }}",
) }}
-- Whether each kept publication matches the "big-data-related" scope (METHOD.md), as defined by the rows
-- of seeds scope_categories and scope_keywords with var scope_version:
--   category hit: a WoS category (WC) or the OpenAlex primary topic / its subfield is on the list
--                 (OpenAlex: the primary one only, as in the default API filter primary_topic.subfield.id);
--   keyword hit:  a keyword or phrase occurs in the title, abstract or keywords, case-insensitive, as whole
--                 words, a space also matching a hyphen or line break and an optional plural "s"
--                 ("Neural-Networks" matches "neural network"; "networking" does not match "network").
-- The keywords become one alternation regex, built once as a literal (macro scope_keyword_regex), so each
-- text is scanned once. depends_on: {{ ref('scope_keywords') }}
-- Whether out-of-scope records are dropped is decided in int_publications (var scope_filter).
-- One row per version: snapshot_id is the delivery holding it (WoS: the export; OpenAlex: a full snapshot
-- or a delta, joined to its states through int_openalex_state_works.version_snapshot_id), so the match
-- runs once per version. Incremental: a refresh matches only the deliveries it has not matched yet.
with

wos_publications as (
    select
        'wos' as source,
        snapshot_id,
        record_id,
        concat_ws(' ', title, abstract, keywords) as searchable_text
    from {{ ref('stg_wos__publications') }}
),

openalex_publications as (
    select
        'openalex' as source,
        snapshot_id,
        record_id,
        concat_ws(' ', title, abstract, keywords) as searchable_text
    from {{ ref('stg_openalex__publications') }}
),

publications as (
    select * from wos_publications
    union all
    select * from openalex_publications
),

categories as (
    select
        'wos' as source,
        snapshot_id,
        record_id,
        scheme,
        category_id
    from {{ ref('stg_wos__categories') }}
    union all
    select
        'openalex' as source,
        snapshot_id,
        record_id,
        scheme,
        category_id
    from {{ ref('stg_openalex__categories') }}
    where is_primary
),

scope_categories as (
    select distinct
        scheme,
        lower(trim(category_id)) as category_key
    from {{ ref('scope_categories') }}
    where scope_version = {{ scope_version_literal() }}
),

category_hits as (
    select distinct
        categories.source,
        categories.snapshot_id,
        categories.record_id
    from categories
    inner join scope_categories
        on
            categories.scheme = scope_categories.scheme
            and lower(trim(categories.category_id)) = scope_categories.category_key
),

matched as (
    select
        publications.source,
        publications.snapshot_id,
        publications.record_id,
        category_hits.record_id is not null as matches_scope_category,
        coalesce({{ regex_contains('publications.searchable_text', scope_keyword_regex()) }}, false)
            as matches_scope_keyword
    from publications
    left join category_hits
        on
            publications.source = category_hits.source
            and publications.snapshot_id = category_hits.snapshot_id
            and publications.record_id = category_hits.record_id
)

select
    source,
    snapshot_id,
    record_id,
    matches_scope_category,
    matches_scope_keyword,
    matches_scope_category or matches_scope_keyword as matches_scope,
    {{ scope_version_literal() }} as scope_version
from matched
where {{ unbuilt_states('snapshot_id', 'source') }}
