-- Fractional counting splits one unit per publication: the weights of its regions must add up to 1.
-- Returns the publications where they do not.
select
    source,
    snapshot_id,
    record_id,
    sum(fractional_weight) as total_weight
from {{ ref('int_publication_regions') }}
group by source, snapshot_id, record_id
having abs(sum(fractional_weight) - 1) > 1e-9
