{#-
    The SQL that differs between the engines (STIWATCH_ENGINE, dbt/profiles.yml targets duckdb and spark),
    behind dbt dispatch: a model calls the macro, each engine has its <adapter>__ body. Everything else in
    the models is written once in the SQL both engines read the same way (`string` for text types, min_by,
    split_part, printf, concat_ws, FILTER (WHERE ...)). Spark's traps are in docs/SCALE.md ("Spark").
-#}

{% macro timestamp_tz_type() %}
    {{ return(adapter.dispatch('timestamp_tz_type', 'stiwatch')()) }}
{% endmacro %}

{% macro default__timestamp_tz_type() %}{{ return('timestamp with time zone') }}{% endmacro %}

{#- Spark's `timestamp` is an instant (TIMESTAMP_LTZ), shown in the session time zone (UTC in profiles.yml). -#}
{% macro spark__timestamp_tz_type() %}{{ return('timestamp') }}{% endmacro %}


{% macro ordered_string_agg(expr, separator, order_by=none, distinct=false) %}
    {#-
        The non-null values of expr joined by separator (a SQL string literal) in order of order_by
        (default: the values themselves); distinct drops repeated values. NULL when there is none, as
        DuckDB's string_agg.
    -#}
    {{ return(adapter.dispatch('ordered_string_agg', 'stiwatch')(expr, separator, order_by, distinct)) }}
{% endmacro %}

{% macro default__ordered_string_agg(expr, separator, order_by, distinct) -%}
    string_agg({{ 'distinct ' if distinct }}{{ expr }}, {{ separator }} order by {{ order_by or expr }})
{%- endmacro %}

{% macro spark__ordered_string_agg(expr, separator, order_by, distinct) -%}
    {#- Spark has no ordered aggregate: collect, sort (by the order key first), join. -#}
    {%- if order_by is none -%}
        nullif(array_join(array_sort({{ 'collect_set' if distinct else 'collect_list' }}({{ expr }})), {{ separator }}), '')
    {%- else -%}
        nullif(array_join(transform(
            array_sort({{ 'collect_set' if distinct else 'collect_list' }}(
                case when {{ expr }} is not null then named_struct('k', {{ order_by }}, 'v', {{ expr }}) end
            )),
            entry -> entry.v
        ), {{ separator }}), '')
    {%- endif -%}
{%- endmacro %}


{% macro regex_contains(text, pattern) %}
    {#- True when the regular expression pattern (a SQL string literal) matches anywhere in text. -#}
    {{ return(adapter.dispatch('regex_contains', 'stiwatch')(text, pattern)) }}
{% endmacro %}

{% macro default__regex_contains(text, pattern) -%}regexp_matches({{ text }}, {{ pattern }}){%- endmacro %}

{% macro spark__regex_contains(text, pattern) -%}({{ text }} rlike {{ pattern }}){%- endmacro %}


{% macro regex_replace_all(text, pattern, replacement) %}
    {#- Every match of pattern replaced by the plain text replacement (both SQL string literals). -#}
    {{ return(adapter.dispatch('regex_replace_all', 'stiwatch')(text, pattern, replacement)) }}
{% endmacro %}

{% macro default__regex_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{% macro spark__regex_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, {{ pattern }}, {{ replacement }})
{%- endmacro %}


{% macro regex_escape(text) %}
    {#- text with every regex metacharacter backslash-escaped, so it matches itself inside a pattern. -#}
    {{ return(adapter.dispatch('regex_escape', 'stiwatch')(text)) }}
{% endmacro %}

{% macro default__regex_escape(text) -%}
    regexp_replace({{ text }}, '([\\.^$|?*+()\[\]{}])', '\\\1', 'g')
{%- endmacro %}

{#- Java's replacement syntax: $1 is the group, \\ a backslash (string literals are raw: profiles.yml). -#}
{% macro spark__regex_escape(text) -%}
    regexp_replace({{ text }}, '([\\.^$|?*+()\[\]{}])', '\\\\$1')
{%- endmacro %}


{% macro starts_with(text, prefix) %}
    {{ return(adapter.dispatch('starts_with', 'stiwatch')(text, prefix)) }}
{% endmacro %}

{% macro default__starts_with(text, prefix) -%}starts_with({{ text }}, {{ prefix }}){%- endmacro %}

{% macro spark__starts_with(text, prefix) -%}startswith({{ text }}, {{ prefix }}){%- endmacro %}


{% macro ends_with(text, suffix) %}
    {{ return(adapter.dispatch('ends_with', 'stiwatch')(text, suffix)) }}
{% endmacro %}

{% macro default__ends_with(text, suffix) -%}ends_with({{ text }}, {{ suffix }}){%- endmacro %}

{% macro spark__ends_with(text, suffix) -%}endswith({{ text }}, {{ suffix }}){%- endmacro %}


{% macro count_distinct_over(expr, partition_by) %}
    {#- count(distinct expr) over (partition by partition_by): a window DuckDB has and Spark does not. -#}
    {{ return(adapter.dispatch('count_distinct_over', 'stiwatch')(expr, partition_by)) }}
{% endmacro %}

{% macro default__count_distinct_over(expr, partition_by) -%}
    count(distinct {{ expr }}) over (partition by {{ partition_by }})
{%- endmacro %}

{% macro spark__count_distinct_over(expr, partition_by) -%}
    size(collect_set({{ expr }}) over (partition by {{ partition_by }}))
{%- endmacro %}


{% macro positioned_elements(list_expr, element_alias, position_alias) %}
    {#-
        Select-list items that turn each row into one row per element of list_expr, with the element and
        its 1-based position. Only in a select whose other items are plain columns.
    -#}
    {{ return(adapter.dispatch('positioned_elements', 'stiwatch')(list_expr, element_alias, position_alias)) }}
{% endmacro %}

{% macro default__positioned_elements(list_expr, element_alias, position_alias) -%}
    {#- Two unnests in one select list advance together: element i with its position i. -#}
    unnest({{ list_expr }}) as {{ element_alias }},
    unnest(range(1, len({{ list_expr }}) + 1)) as {{ position_alias }}
{%- endmacro %}

{% macro spark__positioned_elements(list_expr, element_alias, position_alias) -%}
    {#- The index lambda of transform() numbers from 0. An empty or NULL list gives no row, as unnest. -#}
    inline(transform({{ list_expr }}, (element, position) -> named_struct('e', element, 'p', position + 1)))
        as ({{ element_alias }}, {{ position_alias }})
{%- endmacro %}


{% macro relation_exists(relation) %}
    {#-
        Whether relation (a ref()) exists: asked of the catalog itself, not dbt's relation cache, which can
        be stale mid-build (compiling on a fresh warehouse finds no seed table yet).
    -#}
    {{ return(adapter.dispatch('relation_exists', 'stiwatch')(relation)) }}
{% endmacro %}

{% macro default__relation_exists(relation) %}
    {%- set query -%}
        select count(*) from information_schema.tables
        where table_schema = '{{ relation.schema }}' and table_name = '{{ relation.identifier }}'
    {%- endset -%}
    {{ return(run_query(query).columns[0].values()[0] > 0) }}
{% endmacro %}

{% macro spark__relation_exists(relation) %}
    {%- set query = "show tables in " ~ relation.schema ~ " like '" ~ relation.identifier ~ "'" -%}
    {{ return(run_query(query).rows | length > 0) }}
{% endmacro %}


{% macro string_literal(value) %}
    {#- value (any text, quotes and backslashes included) as a SQL string literal of the engine. -#}
    {{ return(adapter.dispatch('string_literal', 'stiwatch')(value | string)) }}
{% endmacro %}

{% macro default__string_literal(value) %}{{ return("'" ~ value | replace("'", "''") ~ "'") }}{% endmacro %}

{% macro spark__string_literal(value) %}
    {#-
        Spark reads '' inside a literal as two adjacent literals ('a''b' is 'ab'), and with
        escapedStringLiterals (profiles.yml) a backslash before the closing quote escapes it: quotes, and
        the backslashes that would end a literal, are spliced in with chr() (constant-folded).
    -#}
    {%- set pieces = [] -%}
    {%- for piece in value.split("'") -%}
        {%- set text = piece.rstrip('\\') -%}
        {%- do pieces.append(["'" ~ text ~ "'"] + ['chr(92)'] * (piece | length - text | length)) -%}
    {%- endfor -%}
    {%- if pieces | length == 1 and pieces[0] | length == 1 -%}
        {{ return(pieces[0][0]) }}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for piece_parts in pieces -%}
        {%- if not loop.first -%}{%- do parts.append('chr(39)') -%}{%- endif -%}
        {%- do parts.extend(piece_parts) -%}
    {%- endfor -%}
    {{ return('concat(' ~ parts | join(', ') ~ ')') }}
{% endmacro %}
