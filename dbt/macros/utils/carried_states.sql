{#-
    Carrying the OpenAlex state fold forward from the state before it (docs/ARCHITECTURE.md "Delta
    builds").

    int_openalex_state_works names, per (state, work), the delivery whose version the state counts; every
    per-record model is a per-version table read through it (state_rows.sql). A new OpenAlex state S is an
    already built state R of the same base plus the deliveries after R ("news": the deltas folded in
    since). In S:
      - a work the news do not deliver keeps R's version: its row is R's, copied under S's id (carried);
      - a work the news deliver is folded again with its earlier versions (a delta's version can lose to
        an earlier one by updated_date): fresh;
      - a work merged away by the news has no row in S.
    So a delta build folds only the delta's works; the copy of R's rows is a scan of one state of the
    table, with no lake read or window over the whole corpus.

    R is the newest state among S's members that the model has already built (read from {{ this }} when
    the model runs). A state without one (the first build, a new base, a build after --full-refresh) is
    folded whole. The model is incremental per state (incremental_states.sql) with config(carry_forward=
    true) and filters its versions with fresh_works(); its select returns the fresh rows only, and its
    delete+insert (delete_insert.sql) copies the carried rows inside the table with insert_carried_rows().
-#}

{% macro _graph_relation(model_name) %}
    {#- Looked up in the graph, not ref(): a ref in a macro would make every unit test of the model mock it. -#}
    {%- set node = graph.nodes.values() | selectattr('name', 'equalto', model_name) | first -%}
    {{ return(api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias)) }}
{% endmacro %}


{% macro _quoted_list(values) %}
    {%- set quoted = [] -%}
    {%- for value in values -%}
        {%- do quoted.append(stiwatch.string_literal(value)) -%}
    {%- endfor -%}
    {{ return(quoted | join(', ')) }}
{% endmacro %}


{% macro carry_plan() %}
    {#-
        [{state, reference, news}] for each unbuilt kept OpenAlex state that can be carried forward from a
        state this model (keyed by snapshot_id: the state) has built; [] on a full build. news: the
        state's member deliveries after the reference.
    -#}
    {%- set plan = [] -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- set built = run_query('select distinct snapshot_id from ' ~ this).columns[0].values() | list -%}
    {%- set members = run_query(
        'select state_id, member_snapshot_id from ' ~ stiwatch._graph_relation('int_snapshot_states')
        ~ " where source = 'openalex' and is_kept order by state_id, member_order"
    ) -%}
    {%- set by_state = {} -%}
    {%- for row in members.rows -%}
        {%- do by_state.setdefault(row[0], []).append(row[1]) -%}
    {%- endfor -%}
    {%- for state, deliveries in by_state.items() if state not in built -%}
        {%- set references = [] -%}
        {%- for delivery in deliveries[:-1] if delivery in built -%}
            {%- do references.append(loop.index0) -%}
        {%- endfor -%}
        {%- if references -%}
            {%- set last = references | last -%}
            {%- do plan.append({'state': state, 'reference': deliveries[last], 'news': deliveries[last + 1:]}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(plan) }}
{% endmacro %}


{% macro _changed_records_sql(entry) %}
    {#- The works of a carried state that are folded again: every work the news deliver. -#}
    select record_id from {{ stiwatch._graph_relation('stg_openalex__publications') }}
    where snapshot_id in ({{ stiwatch._quoted_list(entry.news) }})
{% endmacro %}


{% macro fresh_works(state_expr, record_expr) %}
    {#-
        A SQL predicate over a (state, OpenAlex work) row: true unless it is a work of a carried state whose
        row is copied from the reference (insert_carried_rows). `true` when nothing is carried.
    -#}
    {%- set plan = stiwatch.carry_plan() -%}
    {%- if not plan -%}
        {{ return('true') }}
    {%- endif -%}
    {%- set states = stiwatch._quoted_list(plan | map(attribute='state') | list) -%}
    {%- set changed_sql = [] -%}
    {%- for entry in plan -%}
        {%- do changed_sql.append(
            "select concat('" ~ entry.state ~ "', '|', record_id) as state_record from ("
            ~ stiwatch._changed_records_sql(entry) ~ ') as changed'
        ) -%}
    {%- endfor -%}
    {{ return(
        '(' ~ state_expr ~ ' not in (' ~ states ~ ') or concat('
        ~ state_expr ~ ", '|', " ~ record_expr ~ ') in (' ~ changed_sql | join(' union all ') ~ '))'
    ) }}
{% endmacro %}


{% macro insert_carried_rows(target) %}
    {#-
        `insert` into target the rows of each carried state copied from its reference state: every work of
        the reference except those the news deliver (see _changed_records_sql) or merge away.
        Empty when nothing is carried. Rendered by the model's delete+insert before it runs, so the plan is
        the one its select was compiled with (the new states are not in target yet).
    -#}
    {%- set plan = stiwatch.carry_plan() -%}
    {%- set columns = adapter.get_columns_in_relation(target) | map(attribute='name') | list -%}
    {%- set merged_ids = stiwatch._graph_relation('stg_openalex__merged_ids') -%}
    {%- for entry in plan -%}
        {%- set selected = [] -%}
        {%- for column in columns -%}
            {%- if column == 'snapshot_id' -%}
                {%- do selected.append("'" ~ entry.state ~ "' as " ~ column) -%}
            {%- else -%}
                {%- do selected.append(column) -%}
            {%- endif -%}
        {%- endfor %};
        insert into {{ target }} ({{ columns | join(', ') }})
        select {{ selected | join(', ') }}
        from {{ target }}
        where
            snapshot_id = '{{ entry.reference }}'
            and record_id not in ({{ stiwatch._changed_records_sql(entry) }})
            and record_id not in (
                select record_id from {{ merged_ids }}
                where snapshot_id in ({{ stiwatch._quoted_list(entry.news) }})
            )
    {%- endfor -%}
{% endmacro %}
