{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['edition_id'],
    post_hook="{{ delete_unkept_states(source_name='patstat') }}",
) }}
-- The regions (and countries) of each family, per basis: 'applicant' (applt_seq_nr > 0, the default
-- co-patent definition) and 'inventor' (invt_seq_nr > 0, the variant). One row per distinct
-- (family, basis, country); a family with an applicant in R1 and one in R2 is an R1-R2 co-patent.
-- Incremental per edition (macros/utils/incremental_states.sql).
with

persons as (
    select * from {{ ref('int_patent_family_persons') }}
    where {{ unbuilt_states('edition_id') }}
),

by_basis as (
    select
        edition_id,
        docdb_family_id,
        'applicant' as basis,
        country_code,
        region
    from persons
    where is_applicant
    union all
    select
        edition_id,
        docdb_family_id,
        'inventor' as basis,
        country_code,
        region
    from persons
    where is_inventor
)

select distinct * from by_basis
