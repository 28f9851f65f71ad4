-- One row per snapshot state in the marts (the newest keep_snapshots per source; an OpenAlex state is named
-- after the newest delivery folded in, kind and base say which) of every counted source (PATSTAT: edition),
-- with its as-of date, whether
-- it is the newest of its source, the records the ingest counted, and the counting settings the marts of
-- this build apply to it. Publishing reads its release metadata from here (publish/release.py).
-- Publication settings (scope) are NULL on PATSTAT rows, patent settings on publication rows: each row
-- carries the settings that shape its numbers. The settings are rendered where every other mart gets them:
-- macro mart_settings_columns (and int_patent_editions for the patent settings).
with

snapshots as (
    select
        source,
        snapshot_id,
        snapshot_as_of,
        snapshot_kind,
        base_snapshot_id,
        is_current,
        ingested_at,
        snapshot_records
    from {{ ref('int_served_snapshots') }}
    where is_kept
),

build as (
    select {{ mart_settings_columns() }}
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
        snapshots.snapshot_kind,
        snapshots.base_snapshot_id,
        snapshots.is_current,
        snapshots.ingested_at,
        snapshots.snapshot_records,
        build.first_year,
        build.cn_includes_hk_mo,
        editions.include_utility_models,
        editions.impute_countries,
        editions.patent_scope,
        build.built_at,
        build.dbt_invocation_id,
        case when editions.edition_id is null then build.scope_version end as scope_version,
        case when editions.edition_id is null then build.scope_filter end as scope_filter
    from snapshots
    cross join build
    left join editions
        on
            snapshots.source = 'patstat'
            and snapshots.snapshot_id = editions.edition_id
)

select
    source,
    snapshot_id,
    snapshot_as_of,
    snapshot_kind,
    base_snapshot_id,
    is_current,
    ingested_at,
    snapshot_records,
    first_year,
    cn_includes_hk_mo,
    scope_version,
    scope_filter,
    include_utility_models,
    impute_countries,
    patent_scope,
    built_at,
    dbt_invocation_id
from settled
