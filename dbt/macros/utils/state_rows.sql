{#-
    Per-version tables and the per-state views over them (docs/ARCHITECTURE.md "Rows per version, read
    per state").

    Every per-record row of a publication (its affiliations, regions, pairs, fields, institutions,
    topics, scope match) is a function of the version of the record alone and of the settings and seeds,
    which the build fingerprint pins (stiwatch.build_plan). So those models are tables keyed by the
    delivery holding the version (<name>_by_version: snapshot_id is the delivery, as in
    int_publication_scope), computed once per delivery, and a delta build computes the delta's versions
    only: no state is written row by row. A state is read through a view (<name>) that attaches each
    version to the states holding it:
      WoS:      a delivery is its own state (snapshot_id unchanged), kept or not by int_snapshot_states
                (a table built whole, as on Spark, also holds the versions of unkept deliveries);
      OpenAlex: int_openalex_state_works, one row per (state, work) naming the delivery of its version;
                a version no kept state holds (superseded, merged away) is in no state.
    The view's columns are the table's, with snapshot_id the state and version_snapshot_id the delivery.
-#}

{% macro rows_per_state(versions) %}
    {#- The select of a per-state view over the per-version relation `versions` (a ref). -#}
    {%- set rest = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(versions) -%}
            {%- if column.name | lower not in ['source', 'snapshot_id', 'version_snapshot_id'] -%}
                {%- do rest.append(column.name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set state_works = ref('int_openalex_state_works') -%}
    {%- set states = ref('int_snapshot_states') %}
    select
        versions.source,
        versions.snapshot_id,
        versions.snapshot_id as version_snapshot_id
        {%- for column in rest %},
        versions.{{ column }}
        {%- endfor %}
    from {{ versions }} as versions
    inner join {{ states }} as states
        on
            versions.source = states.source
            and versions.snapshot_id = states.state_id
    where versions.source <> 'openalex' and states.is_kept
    union all
    select
        versions.source,
        state_works.snapshot_id,
        versions.snapshot_id as version_snapshot_id
        {%- for column in rest %},
        versions.{{ column }}
        {%- endfor %}
    from {{ versions }} as versions
    inner join {{ state_works }} as state_works
        on
            versions.snapshot_id = state_works.version_snapshot_id
            and versions.record_id = state_works.record_id
    where versions.source = 'openalex'
{%- endmacro %}
