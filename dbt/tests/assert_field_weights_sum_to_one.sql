-- Each publication's field weights (1/k per mapped category, or 1 for other_unmapped) must add up to 1.
-- Returns the publications where they do not.
select
    source,
    snapshot_id,
    record_id,
    sum(field_weight) as total_weight
from {{ ref('int_publication_fields') }}
group by source, snapshot_id, record_id
having abs(sum(field_weight) - 1) > 1e-9
