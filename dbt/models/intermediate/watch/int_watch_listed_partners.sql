-- Which counted EU27/AC-CN co-publications have a listed Chinese organisation on them: one row per
-- (state, publication, list entry) with the entry's institution. An affiliation on the CN side is
-- listed when its institution is the institution a current list entry resolved to
-- (stg_indicators__entries: the newest version of each list, resolved entries only); with var
-- roll_up_institutions also when the entry resolved to the affiliation's top-level ROR parent (a CAS
-- institute on a paper then counts for a listed Chinese Academy of Sciences). The reverse never holds:
-- a listed institute does not flag its parent's other institutes.
-- Delisting rule: an entry flags only publications up to its delisting year, by publication year
-- (pub_year <= year of delisted_on); an entry still listed flags every year. The listing date does not
-- limit earlier years: the list describes the organisation, and the date is shown beside each flag.
with

copublications as (
    select * from {{ ref('int_eu_cn_copublications') }}
),

cn_affiliations as (
    select distinct
        affiliations.source,
        affiliations.snapshot_id,
        affiliations.record_id,
        affiliations.institution_key,
        tops.top_ror_id
    from {{ ref('int_affiliation_institutions') }} as affiliations
    left join {{ ref('stg_ror__top_parents') }} as tops
        on affiliations.institution_key = tops.ror_id
    where
        affiliations.region = 'CN'
        and affiliations.institution_key is not null
),

entries as (
    select
        entry_id,
        list_id,
        institution_key,
        institution_name,
        institution_country,
        resolution_method,
        listed_on,
        delisted_on
    from {{ ref('stg_indicators__entries') }}
    where is_current_version and institution_key is not null
)

select distinct
    copublications.source,
    copublications.snapshot_id,
    copublications.record_id,
    copublications.pub_year,
    entries.list_id,
    entries.entry_id,
    entries.institution_key as listed_institution_key,
    entries.institution_name as listed_institution_name,
    entries.institution_country as listed_institution_country,
    entries.resolution_method
from copublications
inner join cn_affiliations
    on
        copublications.source = cn_affiliations.source
        and copublications.snapshot_id = cn_affiliations.snapshot_id
        and copublications.record_id = cn_affiliations.record_id
inner join entries
    on
        entries.institution_key = cn_affiliations.institution_key
        {%- if bool_var('roll_up_institutions') == 'true' %}
            or cn_affiliations.top_ror_id = entries.institution_key
        {%- endif %}
where
    entries.delisted_on is null
    or copublications.pub_year <= extract(year from entries.delisted_on)
