{% macro content_hash(columns) %}
    {#-
        One hash of the given column expressions (NULL read as empty, fields separated), to tell whether two
        rows hold the same content: dbt's cross-database hash() over concat().
    -#}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '')") -%}
        {%- if not loop.last -%}{%- do parts.append("'|'") -%}{%- endif -%}
    {%- endfor -%}
    {{ return(dbt.hash(dbt.concat(parts))) }}
{% endmacro %}
