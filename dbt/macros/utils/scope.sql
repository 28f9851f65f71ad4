{#- The publication scope settings (vars scope_version, scope_filter, scope_filtered_sources). -#}

{% macro scope_filter_setting() %}
    {#- Var scope_filter as one of per_source / on / off; true and false are read as on and off. -#}
    {%- set raw = var('scope_filter') | string | lower | trim -%}
    {%- set aliases = {'true': 'on', '1': 'on', 'yes': 'on', 'false': 'off', '0': 'off', 'no': 'off'} -%}
    {%- set setting = aliases.get(raw, raw) -%}
    {%- if setting not in ['per_source', 'on', 'off'] -%}
        {{ exceptions.raise_compiler_error(
            "var scope_filter=" ~ var('scope_filter') ~ " is not one of per_source, on, off, e.g. --vars "
            ~ "'{scope_filter: off}' (or STIWATCH_SCOPE_FILTER=off)") }}
    {%- endif -%}
    {{ return(setting) }}
{% endmacro %}


{% macro scope_filter_applies(source_column) %}
    {#- SQL: true when the scope filter drops out-of-scope records of the source in `source_column`. -#}
    {%- set setting = stiwatch.scope_filter_setting() -%}
    {%- if setting == 'on' -%}
        {{ return('true') }}
    {%- elif setting == 'off' -%}
        {{ return('false') }}
    {%- endif -%}
    {%- set sources = var('scope_filtered_sources') -%}
    {%- if sources is string -%}
        {%- set sources = sources.split(',') -%}
    {%- endif -%}
    {%- set quoted = [] -%}
    {%- for name in sources if name | trim -%}
        {%- do quoted.append(stiwatch.string_literal(name | trim)) -%}
    {%- endfor -%}
    {%- if not quoted -%}
        {{ return('false') }}
    {%- endif -%}
    {{ return(source_column ~ ' in (' ~ quoted | join(', ') ~ ')') }}
{% endmacro %}


{% macro scope_version_literal() %}
    {#- Var scope_version as a quoted SQL literal (it selects rows of the scope seeds). -#}
    {{ return(stiwatch.string_literal(var('scope_version') | string | trim)) }}
{% endmacro %}


{% macro scope_keyword_regex() %}
    {#-
        The scope keywords of var scope_version as ONE regex, returned as a SQL string literal. Built by a
        query when the model runs (the seed is loaded by then) rather than joined in as a column: DuckDB
        compiles a pattern that arrives as a column again for every row (about 500x slower on 20k texts).
        Regex metacharacters in a keyword are escaped; a run of spaces also matches hyphens and line breaks;
        a plural "s" is allowed. NULL (no keyword hit possible) when the version has no keywords.
        In a dbt unit test the seed is a mocked CTE that a separate query cannot see: there the same query
        is inlined as a scalar subquery (slow per row, irrelevant for a handful of fixture rows).
    -#}
    {%- set keywords = ref('scope_keywords') -%}
    {%- set keyword_patterns -%}
        {{ stiwatch.regex_replace_all(stiwatch.regex_escape('lower(trim(keyword))'), "'\\s+'", "'[\\\\s-]+'") }}
    {%- endset -%}
    {%- set query -%}
        select '(?i)\b(?:' || {{ stiwatch.ordered_string_agg(keyword_patterns, "'|'", order_by='keyword') }} || ')s?\b'
        from {{ keywords }}
        where scope_version = {{ scope_version_literal() }}
    {%- endset -%}
    {%- if (keywords | string).startswith('__dbt__cte__') -%}
        {{ return('(' ~ query ~ ')') }}
    {%- endif -%}
    {%- if not execute -%}
        {{ return("NULL") }}
    {%- endif -%}
    {#- Compiling without a build (dbt compile, docs generate on a fresh warehouse) finds no seed table
        yet: asked of the catalog itself, not dbt's relation cache, which could be stale mid-build. -#}
    {%- if not stiwatch.relation_exists(keywords) -%}
        {{ return("NULL") }}
    {%- endif -%}
    {%- set pattern = run_query(query).columns[0].values()[0] -%}
    {%- if pattern is none -%}
        {{ return("NULL") }}
    {%- endif -%}
    {{ return(stiwatch.string_literal(pattern)) }}
{% endmacro %}
