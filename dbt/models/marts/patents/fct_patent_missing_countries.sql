-- Families whose applicants (or inventors) lack a country, per edition, filing year and basis: reported,
-- never hidden (METHOD.md). A person's country is UNKNOWN when tls206 has it blank or NULL and no
-- imputation filled it (var patstat_impute_countries, off by default; imputed countries are counted in
-- families_with_imputed_country). families_without_known_country cannot be placed in any region.
with

families as (
    select * from {{ ref('int_patent_counted_families') }}
),

persons as (
    select
        edition_id,
        docdb_family_id,
        'applicant' as basis,
        country_code,
        country_source
    from {{ ref('int_patent_family_persons') }}
    where is_applicant
    union all
    select
        edition_id,
        docdb_family_id,
        'inventor' as basis,
        country_code,
        country_source
    from {{ ref('int_patent_family_persons') }}
    where is_inventor
),

bases as (
    select 'applicant' as basis
    union all
    select 'inventor' as basis
),

per_family as (
    select
        families.edition_id,
        families.filing_year,
        bases.basis,
        families.docdb_family_id,
        coalesce(bool_or(persons.country_code = 'UNKNOWN'), false) as has_unknown,
        coalesce(bool_or(persons.country_code != 'UNKNOWN'), false) as has_known,
        coalesce(bool_or(persons.country_source like 'imputed%'), false) as has_imputed
    from families
    cross join bases
    left join persons
        on
            families.edition_id = persons.edition_id
            and families.docdb_family_id = persons.docdb_family_id
            and bases.basis = persons.basis
    group by families.edition_id, families.filing_year, bases.basis, families.docdb_family_id
),

per_year as (
    select
        edition_id,
        filing_year,
        basis,
        count(*) as families,
        count(*) filter (where has_unknown) as families_with_unknown_country,
        count(*) filter (where not has_known) as families_without_known_country,
        count(*) filter (where has_imputed) as families_with_imputed_country
    from per_family
    group by edition_id, filing_year, basis
),

editions as (
    select * from {{ ref('int_patent_served_editions') }}
)

select
    'patstat' as source,
    per_year.edition_id,
    editions.edition_as_of,
    editions.is_current_edition,
    cast(per_year.filing_year as integer) as filing_year,
    per_year.basis,
    cast(per_year.families as bigint) as families,
    cast(per_year.families_with_unknown_country as bigint) as families_with_unknown_country,
    cast(per_year.families_without_known_country as bigint) as families_without_known_country,
    cast(per_year.families_with_imputed_country as bigint) as families_with_imputed_country,
    cast(per_year.families_with_unknown_country / per_year.families as double) as share_with_unknown_country,
    editions.include_utility_models,
    editions.impute_countries,
    editions.patent_scope,
    {{ completeness_columns() }},
    {{ mart_settings_columns() }}
from per_year
inner join editions
    on per_year.edition_id = editions.edition_id
{{ completeness_join("'patstat'", 'per_year.edition_id', 'per_year.filing_year') }}
