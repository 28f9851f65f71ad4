{#-
    Completeness flags on the yearly marts (METHOD.md "Completeness"): every yearly mart joins the year's
    row of int_year_completeness, so BI sees is_provisional / is_incomplete next to each number.
    Usage: `select ..., {{ completeness_columns() }} from x ... {{ completeness_join('x.source',
    'x.snapshot_id', 'x.pub_year') }}` (the join goes last in the FROM clause).
-#}

{% macro completeness_columns() -%}
    {#- is_provisional, is_incomplete and completeness_ratio of the row's year (completeness_join). -#}
    cast(completeness.year_is_provisional as boolean) as is_provisional,
    cast(completeness.year_is_incomplete as boolean) as is_incomplete,
    cast(completeness.year_completeness_ratio as double) as completeness_ratio
{%- endmacro %}


{% macro completeness_join(source, snapshot_id, year) -%}
    {#-
        A left join to int_year_completeness (one row per source, snapshot and year: a tested key), so
        the mart keeps every row; the flags are NULL when the row has no single year (period 'all').
        The joined columns are renamed so the mart's unqualified names (source, year ...) stay unambiguous.
    -#}
left join (
    select
        source as completeness_source,
        snapshot_id as completeness_snapshot_id,
        year as completeness_year,
        is_provisional as year_is_provisional,
        is_incomplete as year_is_incomplete,
        completeness_ratio as year_completeness_ratio
    from {{ ref('int_year_completeness') }}
) as completeness
    on
        {{ source }} = completeness.completeness_source
        and {{ snapshot_id }} = completeness.completeness_snapshot_id
        and {{ year }} = completeness.completeness_year
{%- endmacro %}
