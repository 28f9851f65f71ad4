{% macro lake_file(source_name, table_name, relative_path) %}
    {#-
        A lake table kept as one file outside the snapshot layout (lake/institutions/matches.parquet,
        rewritten whole by the institution resolution step), with the columns and types declared for it
        in its sources YAML. Before the step has ever run the file is missing: an empty relation of the
        same shape stands in, as in lake_table().
    -#}
    {%- set declared = source(source_name, table_name) -%}  {#- registers the lineage; not rendered -#}
    {{ return(stiwatch.declared_files(source_name, table_name, stiwatch.lake_path(relative_path))) }}
{% endmacro %}


{% macro quality_results() %}
    {#-
        The quality step's findings: one Parquet file per run under var quality_results_dir
        (`<run>-<hash>.parquet`), typed as declared in staging/quality/_quality__sources.yml; an
        empty relation of that shape before the first quality run.
    -#}
    {%- set declared = source('quality', 'results') -%}  {#- registers the lineage; not rendered -#}
    {%- set pattern = (var('quality_results_dir') ~ '/*.parquet') | replace("'", "''") -%}
    {{ return(stiwatch.declared_files('quality', 'results', pattern)) }}
{% endmacro %}


{% macro declared_files(source_name, table_name, pattern) %}
    {#- The files matching `pattern` with the declared columns of the source table, else an empty relation. -#}
    {%- if not execute -%}
        {{ return('(select 1 as parse_time_placeholder)') }}
    {%- endif -%}
    {%- set columns = stiwatch.declared_source_columns(source_name, table_name) -%}
    {%- if stiwatch.lake_has_files(pattern) -%}
        {{ return(stiwatch.read_lake_parquet(pattern, columns)) }}
    {%- else -%}
        {{ return(stiwatch.empty_relation(columns)) }}
    {%- endif -%}
{% endmacro %}
