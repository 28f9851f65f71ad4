-- One row per kept publication of both sources (deduplicated in staging), with what the coverage report
-- needs: how many affiliations it has and whether any of them could be placed in a country.
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
    from {{ ref('int_affiliations_regioned') }}
    group by source, snapshot_id, record_id
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
        ) as has_unknown_country_only
    from publications
    left join affiliation_counts
        on
            publications.source = affiliation_counts.source
            and publications.snapshot_id = affiliation_counts.snapshot_id
            and publications.record_id = affiliation_counts.record_id
)

select * from flagged
