{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['edition_id'],
    post_hook="{{ delete_unkept_states(source_name='patstat') }}",
) }}
-- One row per DOCDB family of an edition with at least one counted application
-- (int_patent_applications). earliest_filing_year is the minimum filing year of those applications,
-- ignoring 9999 (unknown); a family whose years are all unknown keeps a NULL year and is left out of
-- the yearly marts.
-- is_ai_scope: any CPC or IPC symbol of a counted application matches the scope seed. A seed code ending
-- in '/' (e.g. 'G06N 3/') or a bare subclass matches every symbol under it; any other code matches the
-- symbol exactly (e.g. 'H04L 41/16'). Symbols and codes are compared without spaces.
-- Incremental per edition (macros/utils/incremental_states.sql).
with

applications as (
    select * from {{ ref('int_patent_applications') }}
    where {{ unbuilt_states('edition_id') }}
),

scope_codes as (
    select
        scheme,
        replace(code, ' ', '') as code,
        {{ ends_with('code', "'/'") }} or length(replace(code, ' ', '')) = 4 as is_prefix
    from {{ ref('patstat_ai_scope_codes') }}
),

symbols as (
    select
        edition_id,
        appln_id,
        'cpc' as scheme,
        symbol
    from {{ ref('stg_patstat__appln_cpc') }}
    where {{ unbuilt_states('edition_id') }}
    union all
    select
        edition_id,
        appln_id,
        'ipc' as scheme,
        symbol
    from {{ ref('stg_patstat__appln_ipc') }}
    where {{ unbuilt_states('edition_id') }}
),

scoped_applications as (
    select distinct
        symbols.edition_id,
        symbols.appln_id
    from symbols
    inner join scope_codes
        on
            symbols.scheme = scope_codes.scheme
            and (
                symbols.symbol = scope_codes.code
                or (scope_codes.is_prefix and {{ starts_with('symbols.symbol', 'scope_codes.code') }})
            )
),

families as (
    select
        applications.edition_id,
        applications.docdb_family_id,
        min(applications.filing_year) as earliest_filing_year,
        count(distinct applications.appln_id) as n_applications,
        count(distinct scoped_applications.appln_id) > 0 as is_ai_scope
    from applications
    left join scoped_applications
        on
            applications.edition_id = scoped_applications.edition_id
            and applications.appln_id = scoped_applications.appln_id
    group by applications.edition_id, applications.docdb_family_id
)

select * from families
