{% macro lake_file(source_name, table_name, relative_path) %}
    {#-
        A lake table kept as one file outside the snapshot layout (lake/institutions/matches.parquet,
        rewritten whole by the institution resolution step), with the columns and types declared for it
        in its sources YAML. Before the step has ever run the file is missing: an empty relation of the
        same shape stands in, as in lake_table().
    -#}
    {%- set declared = source(source_name, table_name) -%}  {#- registers the lineage; not rendered -#}
    {%- if not execute -%}
        {{ return('(select 1 as parse_time_placeholder)') }}
    {%- endif -%}
    {%- set columns = stiwatch.declared_source_columns(source_name, table_name) -%}
    {%- set path = stiwatch.lake_path(relative_path) -%}
    {%- if stiwatch.lake_has_files(path) -%}
        {{ return(stiwatch.read_lake_parquet(path, columns)) }}
    {%- else -%}
        {{ return(stiwatch.empty_relation(columns)) }}
    {%- endif -%}
{% endmacro %}
