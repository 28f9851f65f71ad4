-- The European (EU27/AC) countries partnering with China in co-patents, per edition and basis, over all
-- counted filing years of the edition (first_year on; the span is in first/last_filing_year): families
-- with a person of the basis in the country and one in CN. Ranked by families, ties by country code.
with

families as (
    select * from {{ ref('int_patent_counted_families') }}
),

family_regions as (
    select * from {{ ref('int_patent_family_regions') }}
),

counted_regions as (
    select family_regions.*
    from family_regions
    inner join families
        on
            family_regions.edition_id = families.edition_id
            and family_regions.docdb_family_id = families.docdb_family_id
),

cn_families as (
    select distinct
        edition_id,
        basis,
        docdb_family_id
    from counted_regions
    where region = 'CN'
),

european_with_cn as (
    select
        counted_regions.edition_id,
        counted_regions.basis,
        counted_regions.country_code,
        counted_regions.docdb_family_id
    from counted_regions
    inner join cn_families
        on
            counted_regions.edition_id = cn_families.edition_id
            and counted_regions.basis = cn_families.basis
            and counted_regions.docdb_family_id = cn_families.docdb_family_id
    where counted_regions.region = 'EU27/AC'
),

eu_cn_totals as (
    select
        edition_id,
        basis,
        count(distinct docdb_family_id) as eu_cn_copatent_families
    from european_with_cn
    group by edition_id, basis
),

countries as (
    select
        edition_id,
        basis,
        country_code,
        count(distinct docdb_family_id) as copatent_families_with_cn
    from european_with_cn
    group by edition_id, basis, country_code
),

year_span as (
    select
        edition_id,
        min(filing_year) as first_filing_year,
        max(filing_year) as last_filing_year
    from families
    group by edition_id
),

editions as (
    select * from {{ ref('int_patent_served_editions') }}
)

select
    'patstat' as source,
    countries.edition_id,
    editions.edition_as_of,
    editions.is_current_edition,
    countries.basis,
    cast(row_number() over (
        partition by countries.edition_id, countries.basis
        order by countries.copatent_families_with_cn desc, countries.country_code asc
    ) as integer) as country_rank,
    countries.country_code,
    regions.country_name,
    cast(countries.copatent_families_with_cn as bigint) as copatent_families_with_cn,
    cast(eu_cn_totals.eu_cn_copatent_families as bigint) as eu_cn_copatent_families,
    cast(countries.copatent_families_with_cn / eu_cn_totals.eu_cn_copatent_families as double)
        as share_of_eu_cn_copatents,
    cast(year_span.first_filing_year as integer) as first_filing_year,
    cast(year_span.last_filing_year as integer) as last_filing_year,
    editions.include_utility_models,
    editions.impute_countries,
    editions.patent_scope,
    {{ mart_settings_columns() }}
from countries
inner join eu_cn_totals
    on countries.edition_id = eu_cn_totals.edition_id and countries.basis = eu_cn_totals.basis
inner join year_span
    on countries.edition_id = year_span.edition_id
inner join editions
    on countries.edition_id = editions.edition_id
left join {{ ref('regions') }} as regions
    on countries.country_code = regions.country_code
