-- WIPO technology fields and sectors of EU27/AC-CN co-patent families per edition, filing year and basis:
-- fractional counting (a family's field weights sum to 1: tls230 weights, else the IPC concordance seed,
-- see int_patent_family_fields), so the fields of a year add up to its EU27/AC-CN co-patent families and
-- share_of_copatents adds up to 1. "Telecommunications/electronics" = sector 'Electrical engineering'.
with

families as (
    select * from {{ ref('int_patent_counted_families') }}
),

family_regions as (
    select * from {{ ref('int_patent_family_regions') }}
),

eu_cn_families as (
    select
        families.edition_id,
        families.filing_year,
        family_regions.basis,
        families.docdb_family_id
    from families
    inner join family_regions
        on
            families.edition_id = family_regions.edition_id
            and families.docdb_family_id = family_regions.docdb_family_id
    group by families.edition_id, families.filing_year, family_regions.basis, families.docdb_family_id
    having bool_or(family_regions.region = 'EU27/AC') and bool_or(family_regions.region = 'CN')
),

year_totals as (
    select
        edition_id,
        filing_year,
        basis,
        count(*) as copatent_families
    from eu_cn_families
    group by edition_id, filing_year, basis
),

fields as (
    select
        eu_cn_families.edition_id,
        eu_cn_families.filing_year,
        eu_cn_families.basis,
        family_fields.field_id,
        family_fields.field_name,
        family_fields.sector_id,
        family_fields.sector,
        sum(family_fields.weight) as copatent_families_fractional,
        count(*) as copatent_families_full,
        count(*) filter (where family_fields.uses_concordance) as families_weighted_by_concordance
    from eu_cn_families
    inner join {{ ref('int_patent_family_fields') }} as family_fields
        on
            eu_cn_families.edition_id = family_fields.edition_id
            and eu_cn_families.docdb_family_id = family_fields.docdb_family_id
    group by all
),

editions as (
    select * from {{ ref('int_patent_served_editions') }}
)

select
    'patstat' as source,
    fields.edition_id,
    editions.edition_as_of,
    editions.is_current_edition,
    cast(fields.filing_year as integer) as filing_year,
    fields.basis,
    cast(fields.field_id as integer) as field_id,
    fields.field_name,
    cast(fields.sector_id as integer) as sector_id,
    fields.sector,
    cast(fields.copatent_families_fractional as double) as copatent_families_fractional,
    cast(fields.copatent_families_full as bigint) as copatent_families_full,
    cast(fields.families_weighted_by_concordance as bigint) as families_weighted_by_concordance,
    cast(year_totals.copatent_families as bigint) as copatent_families_in_year,
    cast(fields.copatent_families_fractional / year_totals.copatent_families as double) as share_of_copatents,
    editions.include_utility_models,
    editions.impute_countries,
    editions.patent_scope,
    {{ completeness_columns() }},
    {{ mart_settings_columns() }}
from fields
inner join year_totals
    on
        fields.edition_id = year_totals.edition_id
        and fields.filing_year = year_totals.filing_year
        and fields.basis = year_totals.basis
inner join editions
    on fields.edition_id = editions.edition_id
{{ completeness_join("'patstat'", 'fields.edition_id', 'fields.filing_year') }}
