{#-
    The counting settings (dbt vars), rendered as SQL literals and recorded on every mart row.

    Who validates: stiwatch.config.Settings is the authority for the supported path (CLI, DAGs): it
    checks every STIWATCH_* value and hands dbt typed --vars. These macros still check the type of what
    they render, on purpose, because dbt also runs by hand (`dbt build --vars ...`, documented in
    dbt_project.yml) and some vars exist only here (patent_scope): a value is pasted into SQL text, so
    a malformed one must fail with the var's name, not become broken or different SQL.
-#}

{% macro bool_var(name) %}
    {#-
        A boolean var as a SQL literal. `--vars` from YAML gives a real boolean; an environment value
        passed through may arrive as text, so the usual spellings are accepted and anything else fails.
    -#}
    {%- set raw = var(name) -%}
    {%- set text = (raw | string | lower | trim) -%}
    {%- if text in ['true', '1', 'yes', 'on'] -%}
        {{ return('true') }}
    {%- elif text in ['false', '0', 'no', 'off'] -%}
        {{ return('false') }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(
        "var " ~ name ~ "=" ~ raw ~ " is not a boolean: pass true or false, e.g. --vars '{"
        ~ name ~ ": false}'") }}
{% endmacro %}


{% macro int_var(name) %}
    {#- An integer var as a SQL literal; fails with the var name when it is not a whole number. -#}
    {%- set raw = var(name) | string | trim -%}
    {%- if raw != (raw | int | string) -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ "=" ~ raw ~ " is not a whole number, e.g. --vars '{" ~ name ~ ": 2011}'") }}
    {%- endif -%}
    {{ return(raw | int) }}
{% endmacro %}


{% macro choice_var(name, allowed) %}
    {#- A text var that must be one of `allowed`, returned as a quoted SQL literal. -#}
    {%- set raw = var(name) | string | trim -%}
    {%- if raw not in allowed -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ "=" ~ raw ~ " is not one of " ~ (allowed | join(', '))) }}
    {%- endif -%}
    {{ return("'" ~ raw ~ "'") }}
{% endmacro %}


{% macro mart_settings_columns() -%}
    {#-
        The settings and build stamp every mart row carries, so a figure can be traced to how it was made.
        Publication marts also carry the publication scope (scope_version, scope_filter); the patent marts
        (models under marts/patents) have their own patent_scope column instead.
    -#}
    cast({{ stiwatch.int_var('first_year') }} as integer) as first_year,
    {{ stiwatch.bool_var('cn_includes_hk_mo') }} as cn_includes_hk_mo,
    {%- if 'patents' not in model.fqn %}
    cast({{ stiwatch.scope_version_literal() }} as string) as scope_version,
    cast('{{ stiwatch.scope_filter_setting() }}' as string) as scope_filter,
    {%- endif %}
    {{ dbt.current_timestamp() }} as built_at,
    '{{ invocation_id }}' as dbt_invocation_id
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
