{#-
    The per-snapshot manifests lake/<source>/snapshot=<id>/_manifest.json: the commit marker of a
    snapshot. Staging keeps only rows of files listed here.
-#}

{% macro manifest_snapshot_columns() %}
    {{ return([
        ('source', 'varchar'),
        ('snapshot_id', 'varchar'),
        ('as_of', 'date'),
        ('ingested_at', 'timestamp with time zone'),
        ('records', 'bigint'),
        ('kind', 'varchar'),
        ('base', 'varchar'),
        ('accepted_by', 'varchar'),
        ('accepted_at', 'varchar'),
    ]) }}
{% endmacro %}

{% macro manifest_file_columns() %}
    {{ return([
        ('source', 'varchar'),
        ('snapshot_id', 'varchar'),
        ('file_path', 'varchar'),
        ('file_bytes', 'bigint'),
        ('file_sha256', 'varchar'),
        ('file_records', 'bigint'),
        ('file_format', 'varchar'),
    ]) }}
{% endmacro %}


{% macro counted_sources_list() -%}
    {#- The counted sources as SQL string literals, e.g. 'wos', 'openalex', 'patstat'. -#}
    {%- for name in var('counted_sources') -%}
        '{{ name | replace("'", "''") }}'{{ ", " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}


{% macro lake_manifests() %}
    {#- One row per published snapshot (every source). -#}
    {%- set declared = source('lake', 'manifests') -%}  {#- registers the lineage; not rendered -#}
    {%- if not execute -%}
        {{ return('(select 1 as parse_time_placeholder)') }}
    {%- endif -%}
    {%- set pattern = stiwatch.lake_path('*/snapshot=*/_manifest.json') -%}
    {%- if stiwatch.lake_has_files(pattern) -%}
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
    {%- if stiwatch.lake_has_files(pattern) -%}
        {{ return(adapter.dispatch('read_lake_manifest_files', 'stiwatch')(pattern)) }}
    {%- else -%}
        {{ return(stiwatch.empty_relation(stiwatch.manifest_file_columns())) }}
    {%- endif -%}
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
