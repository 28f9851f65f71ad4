{#-
    Reading the Parquet lake (docs/ARCHITECTURE.md). Only staging models call these macros.

    The engine-specific SQL (DuckDB's glob(), read_parquet(), read_json()) lives in the duckdb__
    implementations; another engine reading the same lake adds its own <adapter>__ versions.
-#}

{% macro lake_table(source_name, table_name) %}
    {#-
        One lake table, with exactly the columns and types declared for it in _lake__sources.yml.
        A source may have no published snapshot at all (a user with only WoS): reading a glob that
        matches no file is an error, so the files are looked up first and an empty relation of the same
        shape stands in when there are none.
    -#}
    {%- set declared = source(source_name, table_name) -%}  {#- registers the lineage; not rendered -#}
    {%- if not execute -%}
        {{ return('(select 1 as parse_time_placeholder)') }}
    {%- endif -%}
    {%- set columns = stiwatch.declared_source_columns(source_name, table_name) -%}
    {%- set pattern = stiwatch.lake_path(source_name ~ '/snapshot=*/' ~ table_name ~ '/*.parquet') -%}
    {%- if stiwatch.lake_has_files(pattern) -%}
        {{ return(stiwatch.read_lake_parquet(pattern, columns)) }}
    {%- else -%}
        {{ return(stiwatch.empty_relation(columns)) }}
    {%- endif -%}
{% endmacro %}


{% macro lake_path(relative_pattern) %}
    {#- An absolute glob under the lake, quoted for a SQL string literal. -#}
    {{ return((var('lake_dir') ~ '/' ~ relative_pattern) | replace("'", "''")) }}
{% endmacro %}


{% macro declared_source_columns(source_name, table_name) %}
    {#- [(name, data_type), ...] in YAML order, from the source declaration in the graph. -#}
    {%- set matches = graph.sources.values()
        | selectattr('source_name', 'equalto', source_name)
        | selectattr('name', 'equalto', table_name)
        | list -%}
    {%- if matches | length != 1 -%}
        {{ exceptions.raise_compiler_error(
            "lake_table('" ~ source_name ~ "', '" ~ table_name ~ "'): declare this table once in "
            ~ "models/staging/lake/_lake__sources.yml") }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for column in matches[0].columns.values() -%}
        {%- if not column.data_type -%}
            {{ exceptions.raise_compiler_error(
                "source " ~ source_name ~ "." ~ table_name ~ ", column " ~ column.name
                ~ ": add a data_type in _lake__sources.yml (it types the empty relation too)") }}
        {%- endif -%}
        {%- do columns.append((column.name, column.data_type)) -%}
    {%- endfor -%}
    {{ return(columns) }}
{% endmacro %}


{% macro empty_relation(columns) %}
    {#- A typed relation with no rows: stands in for a lake table without any file. -#}
    {%- set typed_nulls = [] -%}
    {%- for name, data_type in columns -%}
        {%- do typed_nulls.append('cast(null as ' ~ data_type ~ ') as ' ~ name) -%}
    {%- endfor -%}
    {{ return('(select ' ~ typed_nulls | join(', ') ~ ' where 1 = 0)') }}
{% endmacro %}


{% macro lake_has_files(pattern) %}
    {{ return(adapter.dispatch('lake_has_files', 'stiwatch')(pattern)) }}
{% endmacro %}

{% macro default__lake_has_files(pattern) %}
    {{ exceptions.raise_compiler_error(
        "lake_has_files is not implemented for adapter '" ~ adapter.type() ~ "': add a "
        ~ adapter.type() ~ "__lake_has_files macro in macros/lake/") }}
{% endmacro %}

{% macro duckdb__lake_has_files(pattern) %}
    {%- set result = run_query("select count(*) from glob('" ~ pattern ~ "')") -%}
    {{ return(result.columns[0].values()[0] > 0) }}
{% endmacro %}


{% macro read_lake_parquet(pattern, columns) %}
    {{ return(adapter.dispatch('read_lake_parquet', 'stiwatch')(pattern, columns)) }}
{% endmacro %}

{% macro default__read_lake_parquet(pattern, columns) %}
    {{ exceptions.raise_compiler_error(
        "read_lake_parquet is not implemented for adapter '" ~ adapter.type() ~ "': add a "
        ~ adapter.type() ~ "__read_lake_parquet macro in macros/lake/") }}
{% endmacro %}

{% macro duckdb__read_lake_parquet(pattern, columns) %}
    {#-
        union_by_name: parts written by different parser versions may order columns differently.
        hive_types_autocast off: a snapshot id such as 2024-08-27 must stay text, never become a DATE.
    -#}
    {#-
        The typed empty relation is unioned by name, so a declared column that no part has yet (every
        part was written before the column was added, e.g. WoS country_form) reads as NULL, not an error.
    -#}
    {%- set casts = [] -%}
    {%- for name, data_type in columns -%}
        {%- do casts.append('cast(' ~ name ~ ' as ' ~ data_type ~ ') as ' ~ name) -%}
    {%- endfor -%}
    {{ return(
        '(select ' ~ casts | join(', ')
        ~ " from (select * from read_parquet('" ~ pattern ~ "', hive_partitioning = true,"
        ~ ' hive_types_autocast = false, union_by_name = true)'
        ~ ' union all by name ' ~ stiwatch.empty_relation(columns) ~ '))'
    ) }}
{% endmacro %}


{#-
    Spark: a glob that matches no file is an error (PATH_NOT_FOUND), so the files are listed first:
    binaryFile over the lake folder (content is not read unless selected), filtered by the glob as a
    regex. The folder must exist (stiwatch.dbt_runner creates the data folders before a Spark build).
-#}
{% macro spark__lake_has_files(pattern) %}
    {%- set glob = pattern | replace("''", "'") -%}
    {%- set lake_dir = var('lake_dir') | string -%}
    {%- set folder = lake_dir if glob.startswith(lake_dir ~ '/') else glob.split('*')[0].rsplit('/', 1)[0] -%}
    {%- set regex = '(^|:)' ~ (modules.re.escape(glob) | replace('\\*', '[^/]*')) ~ '$' -%}
    {%- do run_query(
        "create or replace temporary view stiwatch_lake_listing using binaryFile options (path "
        ~ stiwatch.string_literal(folder) ~ ", recursiveFileLookup 'true')"
    ) -%}
    {%- set result = run_query(
        "select count(*) from stiwatch_lake_listing where path rlike " ~ stiwatch.string_literal(regex)
    ) -%}
    {{ return(result.columns[0].values()[0] > 0) }}
{% endmacro %}

{% macro spark__read_lake_parquet(pattern, columns) %}
    {#-
        spark.sql.parquet.mergeSchema (profiles.yml): parts written by different parser versions may differ.
        A declared column that no part has yet reads as NULL (as the typed union on DuckDB): the columns
        present are looked up in the parts' footers first.
    -#}
    {%- set relation = 'parquet.`' ~ stiwatch.spark_path(pattern) ~ '`' -%}
    {%- set present = get_columns_in_query('select * from ' ~ relation) | map('lower') | list -%}
    {%- set casts = [] -%}
    {%- for name, data_type in columns -%}
        {%- set value = name if name | lower in present else 'null' -%}
        {%- do casts.append('cast(' ~ value ~ ' as ' ~ data_type ~ ') as ' ~ name) -%}
    {%- endfor -%}
    {{ return('(select ' ~ casts | join(', ') ~ ' from ' ~ relation ~ ')') }}
{% endmacro %}

{% macro spark_path(pattern) %}
    {#- A glob quoted for a SQL string literal (lake_path) as a Spark path identifier in backticks. -#}
    {{ return(pattern | replace("''", "'") | replace('`', '``')) }}
{% endmacro %}
