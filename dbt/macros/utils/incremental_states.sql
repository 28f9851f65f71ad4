{#-
    Incremental intermediate models keyed by state (README "Refreshing": a refresh computes only the
    states, or OpenAlex versions, it has not built yet). Such a model is materialized 'incremental' with
    incremental_strategy 'delete+insert' and unique_key = its state columns: [source, snapshot_id], or
    [edition_id] / [snapshot_id] for a model of one source. Its upstream reads are filtered with
    unbuilt_states(); its post-hook delete_unkept_states() drops states that fell out of keep_snapshots.
    A change of settings, seeds or code rebuilds every state (stiwatch.build_plan
    passes --full-refresh), so rows of a built state never go stale.
-#}

{% macro state_materialization() %}
    {#- 'incremental' per state; a full table on Spark, whose Parquet tables take no DELETE (docs/SCALE.md). -#}
    {{ return(adapter.dispatch('state_materialization', 'stiwatch')()) }}
{% endmacro %}

{% macro default__state_materialization() %}{{ return('incremental') }}{% endmacro %}

{% macro spark__state_materialization() %}{{ return('table') }}{% endmacro %}


{% macro state_key_columns() %}
    {%- set key = config.get('unique_key') -%}
    {{ return([key] if key is string else key) }}
{% endmacro %}


{% macro unbuilt_states(snapshot_expr, source_expr=none) %}
    {#-
        A SQL predicate over an upstream row: true unless its state (or delivery) is already in this
        model. On a full build it is `true`. The ids are read when the model runs and rendered as
        literals, so the engine can prune lake partitions and upstream rows by them. source_expr: a
        column or a literal such as 'wos' (one per source CTE); none for a model of one source.
        With a source, the predicate names what is to be built: the deliveries (and so the states, each
        named after its newest delivery) that feed a kept state (stg_lake__snapshots) and are not in
        this model yet. A positive list lets the lake read skip every other partition, and leaves out the
        deliveries no kept state reads, whose rows the post-hook would delete again at every build.
    -#}
    {%- if not execute or not is_incremental() -%}
        {{ return('true') }}
    {%- endif -%}
    {%- set key = stiwatch.state_key_columns() -%}
    {%- set built = run_query('select distinct ' ~ key | join(', ') ~ ' from ' ~ this) -%}
    {%- if source_expr is none -%}
        {%- if built.rows | length == 0 -%}
            {{ return('true') }}
        {%- endif -%}
        {%- set ids = [] -%}
        {%- for row in built.rows -%}
            {%- do ids.append(stiwatch.string_literal(row[0])) -%}
        {%- endfor -%}
        {{ return(snapshot_expr ~ ' not in (' ~ ids | join(', ') ~ ')') }}
    {%- endif -%}
    {%- set built_keys = [] -%}
    {%- for row in built.rows -%}
        {%- do built_keys.append(row[0] ~ '/' ~ row[1]) -%}
    {%- endfor -%}
    {%- set feeding = run_query(
        'select source, snapshot_id from ' ~ stiwatch._graph_relation('stg_lake__snapshots')
        ~ ' where feeds_kept_state order by source, snapshot_id'
    ) -%}
    {%- set by_source = {} -%}
    {%- for row in feeding.rows if (row[0] ~ '/' ~ row[1]) not in built_keys -%}
        {%- do by_source.setdefault(row[0], []).append(stiwatch.string_literal(row[1])) -%}
    {%- endfor -%}
    {%- if not by_source -%}
        {{ return('false') }}
    {%- endif -%}
    {%- set clauses = [] -%}
    {%- for source_name, ids in by_source.items() -%}
        {%- do clauses.append(
            '(' ~ source_expr ~ " = '" ~ source_name ~ "' and " ~ snapshot_expr ~ ' in (' ~ ids | join(', ') ~ '))'
        ) -%}
    {%- endfor -%}
    {{ return('(' ~ clauses | join(' or ') ~ ')') }}
{% endmacro %}


{% macro delete_unkept_states(flag='is_kept', source_name=none) %}
    {#-
        Post-hook: delete the rows of states (flag 'is_kept') or deliveries (flag 'feeds_kept_state', for
        models keyed by the delivery holding a version) that stg_lake__snapshots no longer keeps.
        source_name: the one source of a model keyed by [snapshot_id] or [edition_id] alone.
    -#}
    {#- A table rebuilt whole (Spark: state_materialization) computes the kept states only: nothing to delete. -#}
    {%- if not execute or stiwatch.state_materialization() != 'incremental' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set key = stiwatch.state_key_columns() -%}
    {#- Looked up in the graph, not ref(): a ref in a hook would make every unit test of the model mock it. -#}
    {%- set node = graph.nodes.values() | selectattr('name', 'equalto', 'stg_lake__snapshots') | first -%}
    {%- set snapshots = api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias) -%}
    {%- if source_name is none -%}
        delete from {{ this }}
        where concat({{ key[0] }}, '/', {{ key[1] }}) not in (
            select concat(source, '/', snapshot_id) from {{ snapshots }} where {{ flag }}
        )
    {%- else -%}
        delete from {{ this }}
        where {{ key[0] }} not in (
            select snapshot_id from {{ snapshots }} where source = '{{ source_name }}' and {{ flag }}
        )
    {%- endif -%}
{% endmacro %}
