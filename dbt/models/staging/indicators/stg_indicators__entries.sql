-- Indicator-list entries resolved by the resolution step (stiwatch.indicators.resolve), every version.
-- Empty until the step has run once (or when no list is landed).
with

source as (
    select * from {{ lake_file('indicators', 'entries', 'indicators/entries.parquet') }} as entries
)

select
    entry_id,
    list_id,
    list_version,
    list_as_of,
    is_current_version,
    source_file,
    source_format,
    record_seq,
    name,
    aliases,
    country_code,
    given_ror_id,
    category,
    listed_on,
    delisted_on,
    source_url,
    notes,
    institution_key,
    institution_name,
    institution_country,
    resolution_method,
    resolution_score,
    matched_text,
    ror_in_registry,
    registry_id
from source
