-- The regions reported in the marts: the named regions of the regions seed (the pair and trilateral
-- series are built over these), then OTHER (a country not in the seed) and UNKNOWN (no country).
with

named_regions as (
    select distinct
        region,
        true as is_named_region
    from {{ ref('regions') }}
),

catch_all_regions as (
    select
        'OTHER' as region,
        false as is_named_region
    union all
    select
        'UNKNOWN' as region,
        false as is_named_region
)

select * from named_regions
union all
select * from catch_all_regions
