{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['source', 'snapshot_id'],
    post_hook="{{ delete_unkept_states(flag='feeds_kept_state') }}",
) }}
-- The counted EU27/AC-CN co-publications: publications (from var first_year on) with at least one
-- EU27/AC and at least one CN affiliation, whatever their institutions, as in fct_region_pair_output.
-- has_uk: at least one affiliation in the United Kingdom (GB). Only in-scope publications count (var
-- scope_filter, int_publications.in_scope), as in every publication mart.
-- Per version (snapshot_id: the delivery holding it; macros/utils/state_rows.sql), read per state through
-- int_eu_cn_copublications. Incremental per delivery (macros/utils/incremental_states.sql).
with

publications as (
    select
        source,
        snapshot_id,
        record_id,
        pub_year
    from {{ ref('int_publications_by_version') }}
    where
        pub_year >= {{ int_var('first_year') }} and in_scope
        and {{ unbuilt_states('snapshot_id', 'source') }}
),

publication_places as (
    select
        source,
        snapshot_id,
        record_id,
        bool_or(region = 'EU27/AC') as has_eu27_ac,
        bool_or(region = 'CN') as has_cn,
        bool_or(country_code = 'GB') as has_uk
    from {{ ref('int_affiliations_regioned_by_version') }}
    where {{ unbuilt_states('snapshot_id', 'source') }}
    group by source, snapshot_id, record_id
)

select
    publications.source,
    publications.snapshot_id,
    publications.record_id,
    publications.pub_year,
    publication_places.has_uk
from publications
inner join publication_places
    on
        publications.source = publication_places.source
        and publications.snapshot_id = publication_places.snapshot_id
        and publications.record_id = publication_places.record_id
where publication_places.has_eu27_ac and publication_places.has_cn
