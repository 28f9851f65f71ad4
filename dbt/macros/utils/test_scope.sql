{#-
    Data tests of an incremental `dbt build` check the rows it wrote, not every kept state again.

    An incremental model writes the rows of states (or deliveries) it has not built yet and never rewrites
    those of a built one (macros/utils/incremental_states.sql); a source's staging view reads lake files
    that never change under a delivery id (a re-ingest rebuilds everything). So in such a build a test
    judged row by row or within one state needs only the rows of deliveries the last successful build did
    not have: the build record (var build_record, written by stiwatch.build_plan after each build) lists
    those it had. A test is scoped when it is one of _scoped_tests() (per row, or over groups of rows that
    hold the whole state key: a uniqueness, weights adding up to 1), over such a model, in a `dbt build`
    that is not a full refresh and has a record; anything else (a table over all states, relationships,
    `dbt test` run by hand, a full rebuild, Spark's full tables) sees every row, as before.
    tests/dbt/test_build_scope.py checks both.
-#}

{% macro duckdb__get_where_subquery(relation) -%}
    {%- set predicates = [config.get('where', ''), stiwatch.unbuilt_rows_predicate(relation)] | select | list -%}
    {%- if predicates -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ predicates | join(' and ') }}) dbt_subquery
        {%- endset -%}
        {{ return(filtered) }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}


{% macro _scoped_tests() %}
    {#- Generic tests whose verdict on a state depends on that state's rows alone. -#}
    {{ return(['not_null', 'accepted_values', 'expression_is_true', 'unique_combination', 'weights_sum_to_one']) }}
{% endmacro %}


{% macro _tested_state_key(relation) %}
    {#-
        {source, columns} of the tested model when its rows of a built delivery never change: the unique_key
        of an incremental model, or snapshot_id for a source's staging view; none otherwise. source: the
        model's source_<name> tag when the key has no source column.
    -#}
    {%- set node = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
        | selectattr('alias', 'equalto', relation.identifier) | first -%}
    {%- if node is not defined or node is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set tags = [] -%}
    {%- for tag in node.tags if tag.startswith('source_') -%}
        {%- do tags.append(tag[7:]) -%}
    {%- endfor -%}
    {%- set source_name = tags[0] if tags | length == 1 else none -%}
    {%- if node.config.materialized == 'incremental' -%}
        {%- set key = node.config.unique_key -%}
        {%- set columns = [key] if key is string else key -%}
    {%- elif node.config.materialized == 'view' and source_name and 'snapshot_id' in node.columns -%}
        {%- set columns = ['snapshot_id'] -%}
    {%- else -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if columns | length == 2 and columns[0] == 'source' -%}
        {{ return({'source': none, 'columns': columns}) }}
    {%- elif columns | length == 1 and source_name -%}
        {{ return({'source': source_name, 'columns': columns}) }}
    {%- endif -%}
    {{ return(none) }}
{% endmacro %}


{% macro _recorded_deliveries() %}
    {#- {source: [snapshot ids]} the last successful build had; none without a record. -#}
    {%- set path = var('build_record') -%}
    {%- set found = run_query("select count(*) from glob(" ~ stiwatch.string_literal(path) ~ ")") -%}
    {%- if found.columns[0].values()[0] == 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set text = run_query("select content from read_text(" ~ stiwatch.string_literal(path) ~ ")") -%}
    {%- set recorded = {} -%}
    {%- for source_name, entries in fromjson(text.columns[0].values()[0]).get('deliveries', {}).items() -%}
        {#- An entry is '<snapshot id>@<ingested at>' (stiwatch.build_plan.deliveries). -#}
        {%- set ids = [] -%}
        {%- for entry in entries -%}
            {%- do ids.append(entry.rsplit('@', 1)[0]) -%}
        {%- endfor -%}
        {%- do recorded.update({source_name: ids}) -%}
    {%- endfor -%}
    {{ return(recorded) }}
{% endmacro %}


{% macro unbuilt_rows_predicate(relation) %}
    {#- The scope of this test as a predicate over the tested model's rows, or '' for every row. -#}
    {%- if not execute or flags.WHICH != 'build' or flags.FULL_REFRESH -%}
        {{ return('') }}
    {%- endif -%}
    {%- if model.test_metadata is not defined or model.test_metadata.name not in stiwatch._scoped_tests() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set key = stiwatch._tested_state_key(relation) -%}
    {%- if key is none -%}
        {{ return('') }}
    {%- endif -%}
    {#- A test over groups of rows judges a state alone only when its groups hold the whole state key. -#}
    {%- set grouping = {'unique_combination': 'columns', 'weights_sum_to_one': 'group_by'}.get(model.test_metadata.name) -%}
    {%- if grouping -%}
        {%- set tested = model.test_metadata.kwargs.get(grouping, []) -%}
        {%- for column in key.columns if column not in tested -%}
            {{ return('') }}
        {%- endfor -%}
    {%- endif -%}
    {%- set recorded = stiwatch._recorded_deliveries() -%}
    {%- if recorded is none -%}
        {{ return('') }}
    {%- endif -%}
    {%- set built = [] -%}
    {%- for source_name, ids in recorded.items() if ids and (key.source is none or key.source == source_name) -%}
        {%- set in_list = key.columns | last ~ ' in (' ~ stiwatch._quoted_list(ids) ~ ')' -%}
        {%- if key.source is none -%}
            {%- do built.append('(' ~ key.columns[0] ~ " = '" ~ source_name ~ "' and " ~ in_list ~ ')') -%}
        {%- else -%}
            {%- do built.append(in_list) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('not (' ~ built | join(' or ') ~ ')' if built else '') }}
{% endmacro %}
