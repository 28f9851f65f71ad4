-- The sector shares of each edition, filing year and basis must add up to 1 (every co-patent family is
-- split over its WIPO fields, field 0 'Unclassified' included). Returns the groups where not.
-- Tolerance 2e-5, not the 1e-9 of the publication weights: PATSTAT delivers tls230 weights rounded to six
-- decimals, each off by up to 5e-7, so an application's weights over its fields (at most the 35 WIPO
-- fields) may miss 1 by up to 35 x 5e-7 = 1.75e-5 (six fields of 0.166667 give 1.000002).
select
    edition_id,
    filing_year,
    basis,
    sum(share_of_copatents) as total_share
from {{ ref('fct_copatent_sectors') }}
group by edition_id, filing_year, basis
having abs(sum(share_of_copatents) - 1) > 2e-5
