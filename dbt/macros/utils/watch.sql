{#- The watch list's settings (vars roll_up_institutions, sensitive_topics_version) and topic matching. -#}

{% macro institution_level() %}
    {#- The institution level of the marts as a SQL literal: 'top_parent' (var roll_up_institutions) or
        'institution'. -#}
    {%- if stiwatch.bool_var('roll_up_institutions') == 'true' -%}
        {{ return("'top_parent'") }}
    {%- endif -%}
    {{ return("'institution'") }}
{% endmacro %}


{% macro sensitive_topics_version_literal() %}
    {#- Var sensitive_topics_version as a quoted SQL literal (it selects rows of the topic seeds). -#}
    {{ return(stiwatch.string_literal(var('sensitive_topics_version') | string | trim)) }}
{% endmacro %}


{% macro sensitive_topic_regexes() %}
    {#-
        topic_id -> ONE regex of its keywords (var sensitive_topics_version), each a SQL string literal,
        built with the scope's rules (macro scope_keyword_regex: case-insensitive whole words, a run of
        spaces also matching hyphens and line breaks, an optional plural "s", metacharacters escaped).
        Built by a query when the model runs, so DuckDB compiles each pattern once (see scope_keyword_regex).
        Empty before the seed exists (parse, compile on a fresh warehouse).
    -#}
    {%- set terms = ref('sensitive_topic_terms') -%}
    {%- if not execute -%}
        {{ return({}) }}
    {%- endif -%}
    {%- if not stiwatch.relation_exists(terms) -%}
        {{ return({}) }}
    {%- endif -%}
    {%- set keyword_patterns -%}
        {{ stiwatch.regex_replace_all(stiwatch.regex_escape('lower(trim(term))'), "'\\s+'", "'[\\\\s-]+'") }}
    {%- endset -%}
    {%- set query -%}
        select topic_id, '(?i)\b(?:' || {{ stiwatch.ordered_string_agg(keyword_patterns, "'|'", order_by='term') }} || ')s?\b' as pattern
        from {{ terms }}
        where topic_version = {{ stiwatch.sensitive_topics_version_literal() }} and scheme = 'keyword'
        group by topic_id
        order by topic_id
    {%- endset -%}
    {%- set rows = run_query(query) -%}
    {%- set patterns = {} -%}
    {%- for row in rows -%}
        {%- do patterns.update({row[0]: stiwatch.string_literal(row[1])}) -%}
    {%- endfor -%}
    {{ return(patterns) }}
{% endmacro %}


{% macro build_stamp_columns() -%}
    {#- When and by which dbt run a table was built (the tail of mart_settings_columns), for marts that
        carry no counting setting (dim_indicator_entry). -#}
    {{ dbt.current_timestamp() }} as built_at,
    '{{ invocation_id }}' as dbt_invocation_id
{%- endmacro %}
