-- WoS organisation strings resolved to institutions by the resolution step (one row per distinct
-- organisation and lake country code). Empty until the step has run once.
with

source as (
    select * from {{ lake_file('institutions', 'matches', 'institutions/matches.parquet') }} as matches
)

select
    organisation,
    country_code,
    institution_key,
    canonical_name,
    institution_country,
    method,
    confidence,
    ror_id,
    matched_part,
    registry_id
from source
