-- The European side of co-patents in the watch list: one row per counted EU27/AC-CN co-patent family
-- (applicant basis, per edition) x EU27/AC applicant on it x period (its earliest filing year, and 'all'),
-- with has_listed_partner (int_watch_copatent_partners) and has_sensitive_topic
-- (int_patent_family_sensitive_topics). The applicant is keyed by its name (han_name, else psn_name, else
-- person_name: the key of fct_top_applicants), left out on a family where the same name also files from
-- China (intra-group); institution_country is the alphabetically first country it files from in the
-- edition, so one applicant is one row. Same columns as int_watch_copublication_periods.
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
    where persons.is_applicant and persons.region in ('EU27/AC', 'CN') and persons.applicant_name is not null
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

european as (
    -- An applicant name that also files from the CN side of the family is one group's arms (Huawei's
    -- German and Chinese companies, both HUAWEI): an intra-group filing, not a European partner
    -- (fct_top_applicants flags the same families as intra_group).
    select
        edition_id,
        docdb_family_id,
        applicant_name
    from applicants
    group by edition_id, docdb_family_id, applicant_name
    having bool_or(region = 'EU27/AC') and not bool_or(region = 'CN')
),

countries as (
    select
        edition_id,
        applicant_name,
        min(country_code) as country_code
    from applicants
    where region = 'EU27/AC'
    group by edition_id, applicant_name
),

listed as (
    select distinct
        snapshot_id,
        record_id
    from {{ ref('int_watch_copatent_partners') }}
),

sensitive as (
    select distinct
        edition_id,
        cast(docdb_family_id as string) as record_id
    from {{ ref('int_patent_family_sensitive_topics') }}
),

flagged as (
    select
        copatents.edition_id,
        cast(copatents.docdb_family_id as string) as record_id,
        copatents.docdb_family_id,
        copatents.filing_year,
        listed.record_id is not null as has_listed_partner,
        sensitive.record_id is not null as has_sensitive_topic
    from copatents
    left join listed
        on
            copatents.edition_id = listed.snapshot_id
            and cast(copatents.docdb_family_id as string) = listed.record_id
    left join sensitive
        on
            copatents.edition_id = sensitive.edition_id
            and cast(copatents.docdb_family_id as string) = sensitive.record_id
),

periods as (
    select
        *,
        cast(filing_year as string) as period,
        filing_year as pub_year
    from flagged
    union all
    select
        *,
        'all' as period,
        cast(null as integer) as pub_year
    from flagged
)

select
    'patstat' as source,
    periods.edition_id as snapshot_id,
    periods.record_id,
    periods.period,
    periods.pub_year,
    periods.filing_year as record_year,
    periods.has_listed_partner,
    periods.has_sensitive_topic,
    european.applicant_name as institution_key,
    european.applicant_name as institution_name,
    countries.country_code as institution_country,
    'applicant' as institution_level
from periods
inner join european
    on
        periods.edition_id = european.edition_id
        and periods.docdb_family_id = european.docdb_family_id
inner join countries
    on
        european.edition_id = countries.edition_id
        and european.applicant_name = countries.applicant_name
