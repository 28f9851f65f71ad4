-- The sector shares of each edition, filing year and basis must add up to 1 (every co-patent family is
-- split over its WIPO fields, field 0 'Unclassified' included). Returns the groups where not.
select
    edition_id,
    filing_year,
    basis,
    sum(share_of_copatents) as total_share
from {{ ref('fct_copatent_sectors') }}
group by edition_id, filing_year, basis
having abs(sum(share_of_copatents) - 1) > 1e-9
