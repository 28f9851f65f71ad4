-- The field shares of each source, snapshot, period and region pair must add up to 1 (every
-- co-publication is split over its field groups, other_unmapped included). Returns the groups where not.
select
    source,
    snapshot_id,
    period,
    pub_year,
    region_pair,
    sum(share_of_pair) as total_share
from {{ ref('fct_field_shares') }}
group by source, snapshot_id, period, pub_year, region_pair
having abs(sum(share_of_pair) - 1) > 1e-9
