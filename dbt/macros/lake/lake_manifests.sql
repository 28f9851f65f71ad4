{#-
    The per-snapshot manifests lake/<source>/snapshot=<id>/_manifest.json: the commit marker of a
    snapshot. Staging keeps only rows of files listed here. dbt reads them from the index frozen before
    each build (lake_index() below, stiwatch.lake_index), never from the lake's folders.
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
    {#- One row per published snapshot (every source), as the build's frozen index lists them. -#}
    {%- set declared = source('lake', 'manifests') -%}  {#- registers the lineage; not rendered -#}
    {%- if not execute -%}
        {{ return('(select 1 as parse_time_placeholder)') }}
    {%- endif -%}
    {%- set index = stiwatch.lake_index() -%}
    {%- if adapter.dispatch('lake_index_has_manifests', 'stiwatch')(index) -%}
        {{ return(adapter.dispatch('read_lake_manifests', 'stiwatch')(index)) }}
    {%- else -%}
        {{ return(stiwatch.empty_relation(stiwatch.manifest_snapshot_columns())) }}
    {%- endif -%}
{% endmacro %}


{% macro lake_manifest_files() %}
    {#- One row per data file listed in a manifest of the build's frozen index (every source). -#}
    {%- set declared = source('lake', 'manifests') -%}  {#- registers the lineage; not rendered -#}
    {%- if not execute -%}
        {{ return('(select 1 as parse_time_placeholder)') }}
    {%- endif -%}
    {%- set index = stiwatch.lake_index() -%}
    {%- if adapter.dispatch('lake_index_has_manifests', 'stiwatch')(index) -%}
        {{ return(adapter.dispatch('read_lake_manifest_files', 'stiwatch')(index)) }}
    {%- else -%}
        {{ return(stiwatch.empty_relation(stiwatch.manifest_file_columns())) }}
    {%- endif -%}
{% endmacro %}


{% macro lake_index() %}
    {#-
        The path of the lake's manifests frozen for this build (var lake_index, one manifest per line,
        written by stiwatch.lake_index before each build); each reader quotes it for its engine. dbt never
        globs the manifests themselves: a snapshot published mid-build waits for the next build. Spark
        could not list them anyway (it skips file names starting with `_`, Hadoop's hidden files).
    -#}
    {%- set index = var('lake_index') | string -%}
    {%- if not stiwatch.lake_has_files(index | replace("'", "''")) -%}
        {{ exceptions.raise_compiler_error(
            index ~ " is missing: it lists the deliveries a build reads and is written just before each "
            ~ "build. Build through stiwatch (stiwatch refresh, or stiwatch.dbt_runner.run_dbt)") }}
    {%- endif -%}
    {{ return(index) }}
{% endmacro %}


{% macro default__lake_index_has_manifests(index) %}
    {#- An empty index (a lake without manifests) reads as no rows. -#}
    {{ return(true) }}
{% endmacro %}

{% macro default__read_lake_manifests(index) %}
    {{ exceptions.raise_compiler_error(
        "read_lake_manifests is not implemented for adapter '" ~ adapter.type() ~ "'") }}
{% endmacro %}

{% macro default__read_lake_manifest_files(index) %}
    {{ exceptions.raise_compiler_error(
        "read_lake_manifest_files is not implemented for adapter '" ~ adapter.type() ~ "'") }}
{% endmacro %}


{% macro duckdb__read_manifest_json(index) -%}
    {#-
        An explicit schema: keys we do not use (unknown_country_strings, ...) are ignored; a key missing
        from an older manifest (kind, base) reads as NULL (stg_lake__snapshots treats it as a full delivery).
        Only the counted sources (var counted_sources, from stiwatch.sources.registry): lake/ror/ holds the
        ROR registry (reference data for the institution step, no as-of date, nothing to count).
        A retracted snapshot (`stiwatch retract`: key `retracted` with who, when and why) stays on disk
        but is not in the lake view; `accepted` (`stiwatch accept`) lets a held state through the
        plausibility gate (int_state_plausibility).
    -#}
    (select * from read_json('{{ index | replace("'", "''") }}', format = 'newline_delimited', columns = {
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

{% macro duckdb__read_lake_manifests(index) %}
    {{ return(
        '(select source, snapshot_id, as_of, ingested_at, records, kind, base,'
        ~ ' accepted."by" as accepted_by, accepted."at" as accepted_at from '
        ~ stiwatch.duckdb__read_manifest_json(index) ~ ')'
    ) }}
{% endmacro %}

{% macro duckdb__read_lake_manifest_files(index) %}
    {{ return(
        '(select source, snapshot_id, file.path as file_path, file.bytes as file_bytes,'
        ~ ' file.sha256 as file_sha256, file.records as file_records, file.format as file_format'
        ~ ' from (select source, snapshot_id, unnest(files) as file from '
        ~ stiwatch.duckdb__read_manifest_json(index) ~ '))'
    ) }}
{% endmacro %}


{% macro spark__lake_index_has_manifests(index) %}
    {%- set lines = run_query('select count(*) from text.`' ~ stiwatch.spark_path(index) ~ '`') -%}
    {{ return(lines.columns[0].values()[0] > 0) }}
{% endmacro %}

{% macro spark__read_manifest_json(index) -%}
    {#- As duckdb__read_manifest_json (the same keys and filters). -#}
    (select manifest.* from (
        select from_json(value, 'source string, snapshot_id string, as_of date,
            ingested_at timestamp, records bigint, kind string, base string,
            files array<struct<path: string, bytes: bigint, sha256: string, records: bigint, format: string>>,
            accepted struct<`by`: string, `at`: string>,
            retracted struct<`by`: string, `at`: string, why: string>') as manifest
        from text.`{{ stiwatch.spark_path(index) }}`
    ) as parsed
    where manifest.source in ({{ stiwatch.counted_sources_list() }}) and manifest.retracted is null)
{%- endmacro %}

{% macro spark__read_lake_manifests(index) %}
    {{ return(
        '(select source, snapshot_id, as_of, ingested_at, records, kind, base,'
        ~ ' accepted.`by` as accepted_by, accepted.`at` as accepted_at from '
        ~ stiwatch.spark__read_manifest_json(index) ~ ' as manifests)'
    ) }}
{% endmacro %}

{% macro spark__read_lake_manifest_files(index) %}
    {{ return(
        '(select source, snapshot_id, file.path as file_path, file.bytes as file_bytes,'
        ~ ' file.sha256 as file_sha256, file.records as file_records, file.format as file_format'
        ~ ' from ' ~ stiwatch.spark__read_manifest_json(index) ~ ' as manifests'
        ~ ' lateral view explode(files) exploded as file)'
    ) }}
{% endmacro %}
