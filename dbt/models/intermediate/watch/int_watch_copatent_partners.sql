-- Which counted EU27/AC-CN co-patent families (applicant basis) have a listed Chinese applicant: one row
-- per (edition, family, list entry). A CN-side applicant is listed when its applicant name (han_name, else
-- psn_name, else person_name) and reported country were matched to a current list entry by the
-- resolution step (stg_indicators__applicant_matches: by the entry's names and aliases, since listed
-- companies are often not in ROR). The entry's ROR institution names the partner when it resolved, else
-- the entry itself (key = entry_id). resolution_method is the applicant match (`applicant:<method>`).
-- Delisting rule as for publications, by the family's earliest filing year.
with

families as (
    select
        edition_id,
        docdb_family_id,
        filing_year
    from {{ ref('int_patent_counted_families') }}
),

applicants as (
    select
        persons.edition_id,
        persons.docdb_family_id,
        persons.applicant_name,
        persons.country_code,
        persons.region
    from {{ ref('int_patent_family_persons') }} as persons
    where persons.is_applicant and persons.region in ('EU27/AC', 'CN')
),

copatents as (
    select
        families.edition_id,
        families.docdb_family_id,
        families.filing_year
    from families
    inner join applicants
        on
            families.edition_id = applicants.edition_id
            and families.docdb_family_id = applicants.docdb_family_id
    group by families.edition_id, families.docdb_family_id, families.filing_year
    having bool_or(applicants.region = 'EU27/AC') and bool_or(applicants.region = 'CN')
),

matches as (
    select * from {{ ref('stg_indicators__applicant_matches') }}
),

entries as (
    select
        entry_id,
        list_id,
        delisted_on,
        coalesce(institution_key, entry_id) as listed_institution_key,
        coalesce(institution_name, name) as listed_institution_name,
        coalesce(institution_country, country_code) as listed_institution_country
    from {{ ref('stg_indicators__entries') }}
    where is_current_version
)

select distinct
    'patstat' as source,
    copatents.edition_id as snapshot_id,
    cast(copatents.docdb_family_id as string) as record_id,
    copatents.filing_year as pub_year,
    entries.list_id,
    entries.entry_id,
    entries.listed_institution_key,
    entries.listed_institution_name,
    entries.listed_institution_country,
    matches.match_method as resolution_method
from copatents
inner join applicants
    on
        copatents.edition_id = applicants.edition_id
        and copatents.docdb_family_id = applicants.docdb_family_id
inner join matches
    on
        applicants.applicant_name = matches.applicant_name
        and applicants.country_code = matches.country_code
inner join entries
    on matches.entry_id = entries.entry_id
where
    applicants.region = 'CN'
    and (entries.delisted_on is null or copatents.filing_year <= extract(year from entries.delisted_on))
