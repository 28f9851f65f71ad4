{#-
    Completeness flags on the yearly marts (METHOD.md "Completeness"): every yearly mart joins the year's
    row of int_year_completeness, so BI sees is_provisional / is_incomplete next to each number.
    Usage: `select ..., {{ completeness_columns('x.source', 'x.snapshot_id', 'x.pub_year') }} from x`.
-#}

{% macro completeness_columns(source, snapshot_id, year) -%}
    {#-
        is_provisional, is_incomplete and completeness_ratio of the row's year, as scalar subqueries on
        int_year_completeness (one row per source, snapshot and year), so the mart's own FROM stays as it is.
        NULL when the row has no single year (period 'all').
    -#}
    {%- for column, data_type in [
        ('is_provisional', 'boolean'), ('is_incomplete', 'boolean'), ('completeness_ratio', 'double')
    ] %}
    cast((
        select completeness.{{ column }}
        from {{ ref('int_year_completeness') }} as completeness
        where
            completeness.source = {{ source }}
            and completeness.snapshot_id = {{ snapshot_id }}
            and completeness.year = {{ year }}
    ) as {{ data_type }}) as {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}


{% macro float_var(name) %}
    {#- A numeric var as a SQL literal; fails with the var name when it is not a number. -#}
    {%- set raw = var(name) | string | trim -%}
    {%- if not modules.re.fullmatch('-?[0-9]+([.][0-9]+)?', raw) -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ "=" ~ raw ~ " is not a number, e.g. --vars '{" ~ name ~ ": 0.9}'") }}
    {%- endif -%}
    {{ return('cast(' ~ raw ~ ' as double)') }}
{% endmacro %}
