-- Every country code the warehouse knows: the countries of the regions seed, those of the WoS
-- country-name seed and any other code found in the affiliations of a served state (an OpenAlex country
-- code, UNKNOWN), with its region membership under the current settings (var cn_includes_hk_mo) and the
-- flags the EU27/AC variants need (EU27 member, UK, EU27/AC excluding the UK).
with

regions as (
    select
        country_code,
        country_name,
        region,
        subregion,
        is_hk_mo
    from {{ ref('regions') }}
),

wos_names as (
    select
        country_code,
        min(wos_country_name) as wos_country_name
    from {{ ref('wos_country_names') }}
    where country_code is not null and country_code != 'UNKNOWN'
    group by country_code
),

-- Of served states only: a state the plausibility gate holds back is in no mart (int_served_snapshots).
affiliation_codes as (
    select distinct affiliations.country_code
    from {{ ref('int_affiliations_regioned') }} as affiliations
    inner join {{ ref('int_served_snapshots') }} as served
        on
            affiliations.source = served.source
            and affiliations.snapshot_id = served.snapshot_id
    where served.is_kept
),

country_codes as (
    select country_code from regions
    union
    select country_code from wos_names
    union
    select country_code from affiliation_codes
    union
    select 'UNKNOWN' as country_code
)

select
    cast(country_codes.country_code as string) as country_code,
    cast(
        case
            when country_codes.country_code = 'UNKNOWN' then 'Unknown or missing country'
            else coalesce(regions.country_name, wos_names.wos_country_name)
        end as string
    ) as country_name,
    cast(
        case
            when country_codes.country_code = 'UNKNOWN' then 'UNKNOWN'
            else coalesce(regions.region, 'OTHER')
        end as string
    ) as region,
    cast(regions.subregion as string) as subregion,
    cast(coalesce(regions.is_hk_mo, false) as boolean) as is_hk_mo,
    cast(
        {{ region_of_country('country_codes.country_code', 'regions.region', 'regions.is_hk_mo') }}
        as string
    ) as effective_region,
    cast(coalesce(regions.subregion = 'EU27', false) as boolean) as is_eu27,
    cast(country_codes.country_code = 'GB' as boolean) as is_uk,
    cast(coalesce(regions.region = 'EU27/AC' and country_codes.country_code != 'GB', false) as boolean)
        as is_eu27_ac_excluding_uk,
    {{ mart_settings_columns() }}
from country_codes
left join regions
    on country_codes.country_code = regions.country_code
left join wos_names
    on country_codes.country_code = wos_names.country_code
