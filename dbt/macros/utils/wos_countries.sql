{% macro wos_country_key(text) -%}
    {#-
        SQL: the case- and spacing-insensitive form of a WoS country or place name, the key on which
        address texts meet the wos_country_names seed (old upper-case records need no extra seed rows).
    -#}
    lower(trim({{ stiwatch.regex_replace_all(text, "'\\s+'", "' '") }}))
{%- endmacro %}
