{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['edition_id'],
    post_hook="{{ delete_unkept_states(source_name='patstat') }}",
) }}
-- The applications that count (METHOD.md "Patents"): inventions (ipr_type 'PI'), plus utility models
-- ('UM') when var include_utility_models is true. The rule applies per application: a family keeps its
-- invention filings when it also holds a utility model, and the persons of the utility model do not count.
-- Design patents and other types never count.
-- Incremental per edition (macros/utils/incremental_states.sql).
with

applications as (
    select * from {{ ref('stg_patstat__applications') }}
    where {{ unbuilt_states('edition_id') }}
),

editions as (
    select
        edition_id,
        include_utility_models
    from {{ ref('int_patent_editions') }}
)

select distinct
    applications.edition_id,
    applications.appln_id,
    applications.docdb_family_id,
    applications.filing_year,
    applications.ipr_type
from applications
inner join editions
    on applications.edition_id = editions.edition_id
where
    applications.ipr_type = 'PI'
    or (applications.ipr_type = 'UM' and editions.include_utility_models)
