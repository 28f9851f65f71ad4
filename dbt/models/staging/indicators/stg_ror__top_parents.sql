-- Each ROR organisation with a parent -> its top-level parent (stiwatch.institutions.hierarchy). Empty
-- without a landed ROR dump: then nothing rolls up.
with

source as (
    select * from {{ lake_file('ror_hierarchy', 'top_parents', 'institutions/hierarchy.parquet') }} as tops
)

select
    ror_id,
    top_ror_id,
    top_name,
    top_country,
    levels,
    registry_id
from source
