-- European (EU27/AC) and Chinese (CN) applicants in EU27/AC-CN co-patent families, per edition, over all
-- counted filing years: families per applicant name (han_name, else psn_name, else person_name) and side.
-- intra_group_families: of those, the families where the same harmonised name also files from the other
-- side (a European parent and its Chinese subsidiary, e.g. NOKIA in FI and CN): a co-operation inside one
-- group. Ranked per side by families, ties by name.
with

families as (
    select * from {{ ref('int_patent_counted_families') }}
),

applicants as (
    select persons.*
    from {{ ref('int_patent_family_persons') }} as persons
    inner join families
        on persons.edition_id = families.edition_id and persons.docdb_family_id = families.docdb_family_id
    where persons.is_applicant and persons.region in ('EU27/AC', 'CN')
),

eu_cn_families as (
    select
        edition_id,
        docdb_family_id
    from applicants
    group by edition_id, docdb_family_id
    having bool_or(region = 'EU27/AC') and bool_or(region = 'CN')
),

intra_group as (
    -- (family, name) pairs where the name files from both sides of the same family
    select
        applicants.edition_id,
        applicants.docdb_family_id,
        applicants.applicant_name
    from applicants
    group by applicants.edition_id, applicants.docdb_family_id, applicants.applicant_name
    having bool_or(applicants.region = 'EU27/AC') and bool_or(applicants.region = 'CN')
),

sides as (
    select
        applicants.edition_id,
        applicants.region as side,
        applicants.applicant_name,
        applicants.docdb_family_id,
        applicants.country_code,
        intra_group.applicant_name is not null as is_intra_group_family
    from applicants
    inner join eu_cn_families
        on
            applicants.edition_id = eu_cn_families.edition_id
            and applicants.docdb_family_id = eu_cn_families.docdb_family_id
    left join intra_group
        on
            applicants.edition_id = intra_group.edition_id
            and applicants.docdb_family_id = intra_group.docdb_family_id
            and applicants.applicant_name = intra_group.applicant_name
),

ranked as (
    select
        edition_id,
        side,
        applicant_name,
        {{ ordered_string_agg('country_code', "' '", distinct=true) }} as country_codes,
        count(distinct docdb_family_id) as copatent_families,
        count(distinct docdb_family_id) filter (where is_intra_group_family) as intra_group_families
    from sides
    where applicant_name is not null
    group by edition_id, side, applicant_name
),

editions as (
    select * from {{ ref('int_patent_served_editions') }}
)

select
    'patstat' as source,
    ranked.edition_id,
    editions.edition_as_of,
    editions.is_current_edition,
    ranked.side,
    cast(row_number() over (
        partition by ranked.edition_id, ranked.side
        order by ranked.copatent_families desc, ranked.applicant_name asc
    ) as integer) as applicant_rank,
    ranked.applicant_name,
    ranked.country_codes,
    cast(ranked.copatent_families as bigint) as copatent_families,
    cast(ranked.intra_group_families as bigint) as intra_group_families,
    ranked.intra_group_families > 0 as is_intra_group,
    editions.include_utility_models,
    editions.impute_countries,
    editions.patent_scope,
    {{ mart_settings_columns() }}
from ranked
inner join editions
    on ranked.edition_id = editions.edition_id
