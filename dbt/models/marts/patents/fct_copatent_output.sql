-- Co-patent families per PATSTAT edition, earliest filing year, pair of named regions and basis
-- (METHOD.md): a family is an R1-R2 co-patent when it has an applicant (basis 'applicant') or an inventor
-- (basis 'inventor') in R1 and one in R2. Full counting: a CN+DE+US family counts for all three pairs.
-- Dense: every pair x basis x year of the edition's counted families has a row (0 when none).
with

families as (
    select * from {{ ref('int_patent_counted_families') }}
),

family_regions as (
    select * from {{ ref('int_patent_family_regions') }}
),

named_regions as (
    select region from {{ ref('int_regions') }}
    where is_named_region
),

region_pairs as (
    select
        region_a.region as region_a,
        region_b.region as region_b,
        region_a.region || '-' || region_b.region as region_pair
    from named_regions as region_a
    inner join named_regions as region_b
        on region_a.region < region_b.region
),

bases as (
    select 'applicant' as basis
    union all
    select 'inventor' as basis
),

years as (
    select
        edition_id,
        filing_year,
        count(*) as families_in_year
    from families
    group by edition_id, filing_year
),

spine as (
    select
        region_pairs.*,
        years.edition_id,
        years.filing_year,
        years.families_in_year,
        bases.basis
    from years
    cross join region_pairs
    cross join bases
),

copatents as (
    select
        families.edition_id,
        families.filing_year,
        side_a.basis,
        side_a.region as region_a,
        side_b.region as region_b,
        count(distinct families.docdb_family_id) as copatent_families
    from families
    inner join family_regions as side_a
        on families.edition_id = side_a.edition_id and families.docdb_family_id = side_a.docdb_family_id
    inner join family_regions as side_b
        on
            side_a.edition_id = side_b.edition_id
            and side_a.docdb_family_id = side_b.docdb_family_id
            and side_a.basis = side_b.basis
            and side_a.region < side_b.region
    group by families.edition_id, families.filing_year, side_a.basis, side_a.region, side_b.region
),

editions as (
    select * from {{ ref('int_patent_served_editions') }}
)

select
    'patstat' as source,
    spine.edition_id,
    editions.edition_as_of,
    editions.is_current_edition,
    cast(spine.filing_year as integer) as filing_year,
    spine.region_pair,
    spine.region_a,
    spine.region_b,
    spine.basis,
    cast(coalesce(copatents.copatent_families, 0) as bigint) as copatent_families,
    cast(spine.families_in_year as bigint) as families_in_year,
    editions.include_utility_models,
    editions.impute_countries,
    editions.patent_scope,
    {{ completeness_columns() }},
    {{ mart_settings_columns() }}
from spine
inner join editions
    on spine.edition_id = editions.edition_id
left join copatents
    on
        spine.edition_id = copatents.edition_id
        and spine.filing_year = copatents.filing_year
        and spine.basis = copatents.basis
        and spine.region_a = copatents.region_a
        and spine.region_b = copatents.region_b
{{ completeness_join("'patstat'", 'spine.edition_id', 'spine.filing_year') }}
