-- One row per published snapshot of every counted source (PATSTAT: edition), with its as-of date, whether
-- it is the newest of its source, the records the ingest counted, and the counting settings the marts of
-- this build apply to it. Publishing reads its release metadata from here (publish/release.py).
-- Publication settings (scope) are NULL on PATSTAT rows, patent settings on publication rows: each row
-- carries the settings that shape its numbers. The patent settings come from int_patent_editions, the one
-- place that renders them.
with

snapshots as (
    select
        source,
        snapshot_id,
        snapshot_as_of,
        is_current,
        ingested_at,
        snapshot_records
    from {{ ref('stg_lake__snapshots') }}
),

editions as (
    select
        edition_id,
        include_utility_models,
        impute_countries,
        patent_scope
    from {{ ref('int_patent_editions') }}
),

settled as (
    select
        snapshots.source,
        snapshots.snapshot_id,
        snapshots.snapshot_as_of,
        snapshots.is_current,
        snapshots.ingested_at,
        snapshots.snapshot_records,
        editions.edition_id is not null as is_patent_edition,
        editions.include_utility_models,
        editions.impute_countries,
        editions.patent_scope
    from snapshots
    left join editions
        on
            snapshots.source = 'patstat'
            and snapshots.snapshot_id = editions.edition_id
)

select
    source,
    snapshot_id,
    snapshot_as_of,
    is_current,
    ingested_at,
    snapshot_records,
    cast({{ stiwatch.int_var('first_year') }} as integer) as first_year,
    {{ stiwatch.bool_var('cn_includes_hk_mo') }} as cn_includes_hk_mo,
    case
        when not is_patent_edition then cast({{ stiwatch.scope_version_literal() }} as varchar)
    end as scope_version,
    case
        when not is_patent_edition then cast('{{ stiwatch.scope_filter_setting() }}' as varchar)
    end as scope_filter,
    include_utility_models,
    impute_countries,
    patent_scope,
    {{ dbt.current_timestamp() }} as built_at,
    '{{ invocation_id }}' as dbt_invocation_id
from settled
