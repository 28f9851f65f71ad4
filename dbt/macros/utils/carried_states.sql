{#-
    Carrying an OpenAlex state forward from the one before it (docs/ARCHITECTURE.md "Delta builds").

    A new OpenAlex state S is an already built state R of the same base plus the deliveries after R
    ("news": the deltas folded in since). Every per-state row of a work is a function of the work's
    version alone (its affiliations, categories, scope match) and of the settings and seeds, which the
    build fingerprint pins (stiwatch.build_plan). So in S:
      - a work whose version in S comes from a delivery of R has the same version as in R: its rows are
        R's, copied under S's id (carried);
      - a work with a version from the news (a new work or a newer version) is computed (fresh);
      - a work of R merged away by the news has no rows in S; merged ids of R's members are gone from R.
    A delta build then computes only the delta's works; the copy of R's rows is a scan of one state of
    the model's own table, with no lake read, fold or join.

    R is the newest state among S's members that this model has already built (read from {{ this }} when
    the model runs). A state without one (the first build, a new base, a build after --full-refresh) is
    computed whole. Models using this are incremental per state (incremental_states.sql) and combine:
      where {{ fresh_works('state_col', 'record_col', 'source_col') }}   on each upstream per-state read
      config(carry_forward='versions')                                  ('deliveries': see _changed_records_sql)
    The model's select returns the fresh rows only; its delete+insert (delete_insert.sql) then copies the
    carried rows inside the table with insert_carried_rows(), so they are written once, not first into
    dbt's temporary table of new rows and then again into the model.
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
        state this model has built; [] on a full build. news: S's member deliveries after the reference.
    -#}
    {{ return(stiwatch._carry_info().carried) }}
{% endmacro %}


{% macro _carry_info() %}
    {#- {carried: carry_plan(), computed_whole: unbuilt kept OpenAlex states with no reference}. -#}
    {%- set info = {'carried': [], 'computed_whole': []} -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(info) }}
    {%- endif -%}
    {%- set key = stiwatch.state_key_columns() -%}
    {%- if key | length == 1 -%}
        {%- set built_sql = 'select distinct ' ~ key[0] ~ ' from ' ~ this -%}
    {%- else -%}
        {%- set built_sql = 'select distinct ' ~ key[1] ~ ' from ' ~ this ~ ' where ' ~ key[0] ~ " = 'openalex'" -%}
    {%- endif -%}
    {%- set built = run_query(built_sql).columns[0].values() | list -%}
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
            {%- do info.carried.append({'state': state, 'reference': deliveries[last], 'news': deliveries[last + 1:]}) -%}
        {%- else -%}
            {%- do info.computed_whole.append(state) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(info) }}
{% endmacro %}


{% macro fresh_versions(version_expr) %}
    {#-
        A SQL predicate over OpenAlex versions (a lake read keyed by delivery): when every OpenAlex state
        to build is carried, only the news' versions are needed, and naming their deliveries lets the
        engine read only their lake partitions. `true` otherwise.
    -#}
    {%- set info = stiwatch._carry_info() -%}
    {%- if not info.carried or info.computed_whole -%}
        {{ return('true') }}
    {%- endif -%}
    {%- set news = [] -%}
    {%- for entry in info.carried -%}
        {%- do news.extend(entry.news) -%}
    {%- endfor -%}
    {{ return(version_expr ~ ' in (' ~ stiwatch._quoted_list(news | unique | list) ~ ')') }}
{% endmacro %}


{% macro _changed_records_sql(entry, changed) %}
    {#-
        The works of a carried state that are not copied from its reference. changed 'versions': those whose
        version in the state comes from the news (int_openalex_state_works, already built). changed
        'deliveries': every work the news deliver (for int_openalex_state_works itself, which folds them
        again with their earlier versions: a delta's version can lose to an earlier one).
    -#}
    {%- set news = stiwatch._quoted_list(entry.news) -%}
    {%- if changed == 'versions' -%}
        select record_id from {{ stiwatch._graph_relation('int_openalex_state_works') }}
        where snapshot_id = '{{ entry.state }}' and version_snapshot_id in ({{ news }})
    {%- else -%}
        select record_id from {{ stiwatch._graph_relation('stg_openalex__publications') }}
        where snapshot_id in ({{ news }})
    {%- endif -%}
{% endmacro %}


{% macro fresh_works(state_expr, record_expr, source_expr="'openalex'", changed='versions') %}
    {#-
        A SQL predicate over an upstream per-state row: true unless it is a work of a carried state whose
        rows are copied from the reference (insert_carried_rows). `true` when nothing is carried.
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
            ~ stiwatch._changed_records_sql(entry, changed) ~ ') as changed'
        ) -%}
    {%- endfor -%}
    {{ return(
        '(not (' ~ source_expr ~ " = 'openalex' and " ~ state_expr ~ ' in (' ~ states ~ ')) or concat('
        ~ state_expr ~ ", '|', " ~ record_expr ~ ') in (' ~ changed_sql | join(' union all ') ~ '))'
    ) }}
{% endmacro %}


{% macro insert_carried_rows(target, changed) %}
    {#-
        `insert` into target the rows of each carried state copied from its reference state: every work of
        the reference except the changed ones (see _changed_records_sql) and those the news merge away.
        Empty when nothing is carried. Rendered by the model's delete+insert before it runs, so the plan is
        the one its select was compiled with (the new states are not in target yet).
    -#}
    {%- set plan = stiwatch.carry_plan() -%}
    {%- set key = stiwatch.state_key_columns() -%}
    {%- set state_column = key | last -%}
    {%- set columns = adapter.get_columns_in_relation(target) | map(attribute='name') | list -%}
    {%- set merged_ids = stiwatch._graph_relation('stg_openalex__merged_ids') -%}
    {%- for entry in plan -%}
        {%- set selected = [] -%}
        {%- for column in columns -%}
            {%- if column == state_column -%}
                {%- do selected.append("'" ~ entry.state ~ "' as " ~ column) -%}
            {%- else -%}
                {%- do selected.append(column) -%}
            {%- endif -%}
        {%- endfor %};
        insert into {{ target }} ({{ columns | join(', ') }})
        select {{ selected | join(', ') }}
        from {{ target }}
        where
            {% if key | length > 1 %}{{ key[0] }} = 'openalex' and {% endif %}{{ state_column }} = '{{ entry.reference }}'
            and record_id not in ({{ stiwatch._changed_records_sql(entry, changed) }})
            and record_id not in (
                select record_id from {{ merged_ids }}
                where snapshot_id in ({{ stiwatch._quoted_list(entry.news) }})
            )
    {%- endfor -%}
{% endmacro %}
