-- The sector shares of each edition, filing year and basis must add up to 1 (every co-patent family is
-- split over its WIPO fields, field 0 'Unclassified' included). Returns the groups where not.
-- Tolerance 1e-6, not the 1e-9 of the publication weights: PATSTAT delivers tls230 weights rounded to six
-- decimals (three fields of 0.333333), so a family's weights may miss 1 by a few 1e-7.
select
    edition_id,
    filing_year,
    basis,
    sum(share_of_copatents) as total_share
from {{ ref('fct_copatent_sectors') }}
group by edition_id, filing_year, basis
having abs(sum(share_of_copatents) - 1) > 1e-6
