{% macro region_of_country(country_code, seed_region, is_hk_mo) %}
    {#-
        SQL: the region a country counts for under the current settings, from its code and its row of the
        regions seed (both seed columns NULL when the country is not in the seed):
        UNKNOWN stays UNKNOWN; a country outside the seed is OTHER; Hong Kong and Macau are OTHER while
        var cn_includes_hk_mo is false. Shared by int_affiliations_regioned and dim_country.
    -#}
    case
        when {{ country_code }} = 'UNKNOWN' then 'UNKNOWN'
        when {{ seed_region }} is null then 'OTHER'
        when {{ is_hk_mo }} and not {{ stiwatch.bool_var('cn_includes_hk_mo') }} then 'OTHER'
        else {{ seed_region }}
    end
{%- endmacro %}
