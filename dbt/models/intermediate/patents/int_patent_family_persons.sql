{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['edition_id'],
    post_hook="{{ delete_unkept_states(source_name='patstat') }}",
) }}
-- Applicants and inventors of each family (over its counted applications), with country and region.
-- Country: tls206 person_ctry_code; blank or missing is 'UNKNOWN'. With var patstat_impute_countries
-- (default false) an UNKNOWN country is filled from the same person elsewhere in the edition: the
-- country most often reported for its psn_id (over its application links; ties -> alphabetical), else for
-- its han_id; country_source says 'imputed_psn' / 'imputed_han' so imputed countries stay visible.
-- Region: alias seed (EL -> GR, UK -> GB), then the regions seed: HK/MO count as CN only while
-- cn_includes_hk_mo is true (else OTHER); a country not in the seed is OTHER; UNKNOWN stays UNKNOWN.
-- applicant_name: harmonised name (han_name), else psn_name, else person_name (METHOD.md).
-- Incremental per edition (macros/utils/incremental_states.sql).
with

applications as (
    select
        edition_id,
        appln_id,
        docdb_family_id
    from {{ ref('int_patent_applications') }}
    where {{ unbuilt_states('edition_id') }}
),

links as (
    select * from {{ ref('stg_patstat__person_applications') }}
    where {{ unbuilt_states('edition_id') }}
),

persons as (
    select * from {{ ref('stg_patstat__persons') }}
    where {{ unbuilt_states('edition_id') }}
),

editions as (
    select
        edition_id,
        impute_countries
    from {{ ref('int_patent_editions') }}
),

{{ country_region_lookups() }},

coded_persons as (
    select
        persons.*,
        coalesce(aliases.country_code, persons.country_code) as reported_country_code
    from persons
    left join aliases
        on persons.country_code = aliases.alias_code
),

reported_links as (
    select
        links.edition_id,
        coded_persons.psn_id,
        coded_persons.han_id,
        coded_persons.reported_country_code as country_code
    from links
    inner join coded_persons
        on
            links.edition_id = coded_persons.edition_id
            and links.person_id = coded_persons.person_id
    where coded_persons.reported_country_code != 'UNKNOWN'
),

psn_country_votes as (
    select
        edition_id,
        psn_id,
        country_code,
        count(*) as links
    from reported_links
    where psn_id is not null
    group by edition_id, psn_id, country_code
),

-- ordered by the alias: Spark cannot order a QUALIFY window by an aggregate of a grouped query
psn_countries as (
    select
        edition_id,
        psn_id,
        country_code
    from psn_country_votes
    qualify row_number() over (partition by edition_id, psn_id order by links desc, country_code asc) = 1
),

han_country_votes as (
    select
        edition_id,
        han_id,
        country_code,
        count(*) as links
    from reported_links
    where han_id is not null
    group by edition_id, han_id, country_code
),

-- ordered by the alias: Spark cannot order a QUALIFY window by an aggregate of a grouped query
han_countries as (
    select
        edition_id,
        han_id,
        country_code
    from han_country_votes
    qualify row_number() over (partition by edition_id, han_id order by links desc, country_code asc) = 1
),

family_links as (
    select
        applications.edition_id,
        applications.docdb_family_id,
        links.person_id,
        bool_or(links.is_applicant) as is_applicant,
        bool_or(links.is_inventor) as is_inventor
    from applications
    inner join links
        on
            applications.edition_id = links.edition_id
            and applications.appln_id = links.appln_id
    group by applications.edition_id, applications.docdb_family_id, links.person_id
),

located as (
    select
        family_links.edition_id,
        family_links.docdb_family_id,
        family_links.person_id,
        family_links.is_applicant,
        family_links.is_inventor,
        coded_persons.psn_id,
        coded_persons.han_id,
        coded_persons.psn_sector,
        psn_countries.country_code as psn_country_code,
        han_countries.country_code as han_country_code,
        coalesce(coded_persons.reported_country_code, 'UNKNOWN') as reported_country_code,
        case
            when coalesce(coded_persons.reported_country_code, 'UNKNOWN') != 'UNKNOWN' then 'reported'
            when editions.impute_countries and psn_countries.country_code is not null then 'imputed_psn'
            when editions.impute_countries and han_countries.country_code is not null then 'imputed_han'
            else 'unknown'
        end as country_source,
        coalesce(coded_persons.han_name, coded_persons.psn_name, coded_persons.person_name) as applicant_name
    from family_links
    inner join editions
        on family_links.edition_id = editions.edition_id
    left join coded_persons
        on
            family_links.edition_id = coded_persons.edition_id
            and family_links.person_id = coded_persons.person_id
    left join psn_countries
        on
            coded_persons.edition_id = psn_countries.edition_id
            and coded_persons.psn_id = psn_countries.psn_id
    left join han_countries
        on
            coded_persons.edition_id = han_countries.edition_id
            and coded_persons.han_id = han_countries.han_id
),

regioned as (
    select
        located.edition_id,
        located.docdb_family_id,
        located.person_id,
        located.is_applicant,
        located.is_inventor,
        located.country_source,
        located.psn_id,
        located.han_id,
        located.psn_sector,
        located.applicant_name,
        case located.country_source
            when 'reported' then located.reported_country_code
            when 'imputed_psn' then located.psn_country_code
            when 'imputed_han' then located.han_country_code
            else 'UNKNOWN'
        end as country_code
    from located
)

select
    regioned.*,
    {{ region_of_country('regioned.country_code', 'regions.region', 'regions.is_hk_mo') }} as region
from regioned
left join regions
    on regioned.country_code = regions.country_code
