-- The families the yearly marts count: a known earliest filing year from var first_year on, and in the
-- AI/big-data scope unless var patent_scope is 'all'. Carries the edition and its settings.
with

families as (
    select * from {{ ref('int_patent_families') }}
),

editions as (
    select * from {{ ref('int_patent_served_editions') }}
)

select
    families.edition_id,
    editions.edition_as_of,
    editions.is_current_edition,
    families.docdb_family_id,
    families.earliest_filing_year as filing_year,
    families.is_ai_scope
from families
inner join editions
    on families.edition_id = editions.edition_id
where
    families.earliest_filing_year >= {{ int_var('first_year') }}
    and (editions.patent_scope = 'all' or families.is_ai_scope)
