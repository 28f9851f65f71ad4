-- One row per publication x side region x institution: the same institution listed at several addresses
-- of a paper counts once. Only EU27/AC and CN affiliations with an institution are kept (the two sides of
-- the top-institution tables); which publications count is decided by int_eu_cn_copublications.
select distinct
    source,
    snapshot_id,
    record_id,
    region as side,
    institution_key,
    institution_name,
    institution_country
from {{ ref('int_affiliation_institutions') }}
where
    region in ('EU27/AC', 'CN')
    and institution_key is not null
