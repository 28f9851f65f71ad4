{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['source', 'snapshot_id'],
    post_hook="{{ delete_unkept_states(flag='feeds_kept_state') }}",
) }}
-- One row per kept publication of both sources (deduplicated in staging), with what the coverage report
-- needs (how many affiliations it has and whether any of them could be placed in a country) and the
-- publication scope: matches_scope says whether the record is big-data-related (int_publication_scope);
-- in_scope whether it counts in the marts under var scope_filter, i.e. it matches the scope or the filter
-- is off for its source (a WoS export is scoped by its query; see dbt_project.yml). Marts count only
-- in_scope publications; the others are kept here and reported in dq_publication_coverage.
-- One row per version of a publication: snapshot_id is the delivery holding it (WoS: the export; OpenAlex:
-- a full snapshot or a delta), read per state through int_publications (macros/utils/state_rows.sql).
-- Incremental: a refresh adds the deliveries it has not built (macros/utils/incremental_states.sql).
with

wos_publications as (
    select
        'wos' as source,
        snapshot_id,
        record_id,
        pub_year,
        year_basis,
        doi,
        title,
        source_title,
        doc_type,
        n_addresses
    from {{ ref('stg_wos__publications') }}
    where {{ unbuilt_states('snapshot_id', "'wos'") }}
),

openalex_publications as (
    select
        'openalex' as source,
        snapshot_id,
        record_id,
        pub_year,
        year_basis,
        doi,
        title,
        source_title,
        doc_type,
        n_addresses
    from {{ ref('stg_openalex__publications') }}
    where {{ unbuilt_states('snapshot_id', "'openalex'") }}
),

publications as (
    select * from wos_publications
    union all
    select * from openalex_publications
),

affiliation_counts as (
    select
        source,
        snapshot_id,
        record_id,
        count(*) as n_affiliations,
        sum(case when region = 'UNKNOWN' then 1 else 0 end) as n_unknown_country_affiliations
    from {{ ref('int_affiliations_regioned_by_version') }}
    where {{ unbuilt_states('snapshot_id', 'source') }}
    group by source, snapshot_id, record_id
),

scope as (
    select
        source,
        snapshot_id,
        record_id,
        matches_scope_category,
        matches_scope_keyword,
        matches_scope,
        scope_version
    from {{ ref('int_publication_scope') }}
    where {{ unbuilt_states('snapshot_id', 'source') }}
),

flagged as (
    select
        publications.source,
        publications.snapshot_id,
        publications.record_id,
        publications.pub_year,
        publications.year_basis,
        publications.doi,
        publications.title,
        publications.source_title,
        publications.doc_type,
        publications.n_addresses,
        coalesce(affiliation_counts.n_affiliations, 0) as n_affiliations,
        coalesce(affiliation_counts.n_unknown_country_affiliations, 0) as n_unknown_country_affiliations,
        affiliation_counts.n_affiliations is not null as has_affiliation,
        coalesce(
            affiliation_counts.n_unknown_country_affiliations = affiliation_counts.n_affiliations, false
        ) as has_unknown_country_only,
        scope.matches_scope_category,
        scope.matches_scope_keyword,
        scope.matches_scope,
        scope.matches_scope or not ({{ scope_filter_applies('publications.source') }}) as in_scope,
        scope.scope_version
    from publications
    left join affiliation_counts
        on
            publications.source = affiliation_counts.source
            and publications.snapshot_id = affiliation_counts.snapshot_id
            and publications.record_id = affiliation_counts.record_id
    inner join scope
        on
            publications.source = scope.source
            and publications.snapshot_id = scope.snapshot_id
            and publications.record_id = scope.record_id
)

select * from flagged
