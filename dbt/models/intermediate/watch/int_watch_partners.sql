-- Listed Chinese partners per record over every source: int_watch_listed_partners (publications) and
-- int_watch_copatent_partners (patent families).
select
    source,
    snapshot_id,
    record_id,
    pub_year,
    list_id,
    entry_id,
    listed_institution_key,
    listed_institution_name,
    listed_institution_country,
    resolution_method
from {{ ref('int_watch_listed_partners') }}
union all
select
    source,
    snapshot_id,
    record_id,
    pub_year,
    list_id,
    entry_id,
    listed_institution_key,
    listed_institution_name,
    listed_institution_country,
    resolution_method
from {{ ref('int_watch_copatent_partners') }}
