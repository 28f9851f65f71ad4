{#-
    The per-snapshot manifests lake/<source>/snapshot=<id>/_manifest.json: the commit marker of a
    snapshot. Staging keeps only rows of files listed here.
-#}

{% macro manifest_snapshot_columns() %}
    {{ return([
        ('source', 'string'),
        ('snapshot_id', 'string'),
        ('as_of', 'date'),
        ('ingested_at', stiwatch.timestamp_tz_type()),
        ('records', 'bigint'),
        ('kind', 'string'),
        ('base', 'string'),
        ('accepted_by', 'string'),
        ('accepted_at', 'string'),
    ]) }}
{% endmacro %}

{% macro manifest_file_columns() %}
    {{ return([
        ('source', 'string'),
        ('snapshot_id', 'string'),
        ('file_path', 'string'),
        ('file_bytes', 'bigint'),
        ('file_sha256', 'string'),
        ('file_records', 'bigint'),
        ('file_format', 'string'),
    ]) }}
{% endmacro %}


{% macro counted_sources_list() -%}
    {#- The counted sources as SQL string literals, e.g. 'wos', 'openalex', 'patstat'. -#}
    {%- for name in var('counted_sources') -%}
        {{ stiwatch.string_literal(name) }}{{ ", " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}


{% macro lake_manifests() %}
    {#- One row per published snapshot (every source). -#}
    {%- set declared = source('lake', 'manifests') -%}  {#- registers the lineage; not rendered -#}
    {%- if not execute -%}
        {{ return('(select 1 as parse_time_placeholder)') }}
    {%- endif -%}
    {%- set pattern = stiwatch.lake_path('*/snapshot=*/_manifest.json') -%}
    {%- if adapter.dispatch('lake_has_manifests', 'stiwatch')(pattern) -%}
        {{ return(adapter.dispatch('read_lake_manifests', 'stiwatch')(pattern)) }}
    {%- else -%}
        {{ return(stiwatch.empty_relation(stiwatch.manifest_snapshot_columns())) }}
    {%- endif -%}
{% endmacro %}


{% macro lake_manifest_files() %}
    {#- One row per data file listed in a manifest (every source). -#}
    {%- set declared = source('lake', 'manifests') -%}  {#- registers the lineage; not rendered -#}
    {%- if not execute -%}
        {{ return('(select 1 as parse_time_placeholder)') }}
    {%- endif -%}
    {%- set pattern = stiwatch.lake_path('*/snapshot=*/_manifest.json') -%}
    {%- if adapter.dispatch('lake_has_manifests', 'stiwatch')(pattern) -%}
        {{ return(adapter.dispatch('read_lake_manifest_files', 'stiwatch')(pattern)) }}
    {%- else -%}
        {{ return(stiwatch.empty_relation(stiwatch.manifest_file_columns())) }}
    {%- endif -%}
{% endmacro %}


{% macro default__lake_has_manifests(pattern) %}
    {{ return(stiwatch.lake_has_files(pattern)) }}
{% endmacro %}

{% macro default__read_lake_manifests(pattern) %}
    {{ exceptions.raise_compiler_error(
        "read_lake_manifests is not implemented for adapter '" ~ adapter.type() ~ "'") }}
{% endmacro %}

{% macro default__read_lake_manifest_files(pattern) %}
    {{ exceptions.raise_compiler_error(
        "read_lake_manifest_files is not implemented for adapter '" ~ adapter.type() ~ "'") }}
{% endmacro %}


{% macro duckdb__read_manifest_json(pattern) -%}
    {#-
        An explicit schema: keys we do not use (unknown_country_strings, ...) are ignored; a key missing
        from an older manifest (kind, base) reads as NULL (stg_lake__snapshots treats it as a full delivery).
        Only the counted sources (var counted_sources, from stiwatch.sources.registry): lake/ror/ holds the
        ROR registry (reference data for the institution step, no as-of date, nothing to count).
        A retracted snapshot (`stiwatch retract`: key `retracted` with who, when and why) stays on disk
        but is not in the lake view; `accepted` (`stiwatch accept`) lets a held state through the
        plausibility gate (int_state_plausibility).
    -#}
    (select * from read_json('{{ pattern }}', format = 'auto', columns = {
        source: 'varchar',
        snapshot_id: 'varchar',
        as_of: 'date',
        ingested_at: 'timestamp with time zone',
        records: 'bigint',
        kind: 'varchar',
        base: 'varchar',
        files: 'struct(path varchar, bytes bigint, sha256 varchar, records bigint, format varchar)[]',
        accepted: 'struct("by" varchar, "at" varchar)',
        retracted: 'struct("by" varchar, "at" varchar, why varchar)'
    }) where source in ({{ stiwatch.counted_sources_list() }}) and retracted is null)
{%- endmacro %}

{% macro duckdb__read_lake_manifests(pattern) %}
    {{ return(
        '(select source, snapshot_id, as_of, ingested_at, records, kind, base,'
        ~ ' accepted."by" as accepted_by, accepted."at" as accepted_at from '
        ~ stiwatch.duckdb__read_manifest_json(pattern) ~ ')'
    ) }}
{% endmacro %}

{% macro duckdb__read_lake_manifest_files(pattern) %}
    {{ return(
        '(select source, snapshot_id, file.path as file_path, file.bytes as file_bytes,'
        ~ ' file.sha256 as file_sha256, file.records as file_records, file.format as file_format'
        ~ ' from (select source, snapshot_id, unnest(files) as file from '
        ~ stiwatch.duckdb__read_manifest_json(pattern) ~ '))'
    ) }}
{% endmacro %}


{#-
    Spark never lists files whose names start with `_` (Hadoop's hidden files): it reads the manifests
    from the copy stiwatch.spark_manifests writes before each build (var spark_manifest_index), one
    manifest per line, unchanged.
-#}
{% macro spark__lake_has_manifests(pattern) %}
    {%- set index = var('spark_manifest_index') | string -%}
    {%- if not stiwatch.lake_has_files(index) -%}
        {{ exceptions.raise_compiler_error(
            index ~ " is missing: Spark builds read the lake's manifests from it. Build through stiwatch "
            ~ "(stiwatch refresh, or stiwatch.dbt_runner.run_dbt), which writes it first") }}
    {%- endif -%}
    {%- set lines = run_query('select count(*) from text.`' ~ stiwatch.spark_path(index) ~ '`') -%}
    {{ return(lines.columns[0].values()[0] > 0) }}
{% endmacro %}

{% macro spark__read_manifest_json(pattern) -%}
    {#- As duckdb__read_manifest_json (the same keys and filters); pattern is DuckDB's, unused here. -#}
    (select manifest.* from (
        select from_json(value, 'source string, snapshot_id string, as_of date,
            ingested_at timestamp, records bigint, kind string, base string,
            files array<struct<path: string, bytes: bigint, sha256: string, records: bigint, format: string>>,
            accepted struct<`by`: string, `at`: string>,
            retracted struct<`by`: string, `at`: string, why: string>') as manifest
        from text.`{{ stiwatch.spark_path(var('spark_manifest_index') | string) }}`
    ) as parsed
    where manifest.source in ({{ stiwatch.counted_sources_list() }}) and manifest.retracted is null)
{%- endmacro %}
{% macro spark__read_lake_manifests(pattern) %}
    {{ return(
        '(select source, snapshot_id, as_of, ingested_at, records, kind, base,'
        ~ ' accepted.`by` as accepted_by, accepted.`at` as accepted_at from '
        ~ stiwatch.spark__read_manifest_json(pattern) ~ ' as manifests)'
    ) }}
{% endmacro %}

{% macro spark__read_lake_manifest_files(pattern) %}
    {{ return(
        '(select source, snapshot_id, file.path as file_path, file.bytes as file_bytes,'
        ~ ' file.sha256 as file_sha256, file.records as file_records, file.format as file_format'
        ~ ' from ' ~ stiwatch.spark__read_manifest_json(pattern) ~ ' as manifests'
        ~ ' lateral view explode(files) exploded as file)'
    ) }}
{% endmacro %}
