{% macro region_of_country(country_code, seed_region, is_hk_mo) %}
    {#-
        SQL: the region a country counts for under the current settings, from its code and its row of the
        regions seed (both seed columns NULL when the country is not in the seed):
        UNKNOWN stays UNKNOWN; a country outside the seed is OTHER; Hong Kong and Macau are OTHER while
        var cn_includes_hk_mo is false. Shared by every model that places a country in a region.
    -#}
    case
        when {{ country_code }} = 'UNKNOWN' then 'UNKNOWN'
        when {{ seed_region }} is null then 'OTHER'
        when {{ is_hk_mo }} and not {{ stiwatch.bool_var('cn_includes_hk_mo') }} then 'OTHER'
        else {{ seed_region }}
    end
{%- endmacro %}


{% macro country_region_lookups() %}
    {#-
        SQL: the two lookup CTEs region_of_country needs, for a model's `with` list (no trailing comma):
        `aliases` (alias_code -> country_code, seed country_code_aliases: EL -> GR, UK -> GB) and
        `regions` (country_code, region, is_hk_mo, seed regions). One definition, so every model that
        places countries reads the seeds the same way.
    -#}
aliases as (
    select
        alias_code,
        country_code
    from {{ ref('country_code_aliases') }}
),

regions as (
    select
        country_code,
        region,
        is_hk_mo
    from {{ ref('regions') }}
)
{%- endmacro %}
