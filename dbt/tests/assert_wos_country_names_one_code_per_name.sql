-- Every WoS country name maps to one code: rows that differ only in case or spacing are the same name
-- (int_wos_affiliations_coded matches that way), so two such rows with different codes are a conflict.
-- Fix the seed: keep one row per name.
select
    {{ wos_country_key('wos_country_name') }} as name_key,
    count(distinct upper(trim(country_code))) as codes,
    string_agg(wos_country_name || ' -> ' || country_code, '; ') as conflicting_rows
from {{ ref('wos_country_names') }}
group by {{ wos_country_key('wos_country_name') }}
having count(distinct upper(trim(country_code))) > 1
