-- One row per published PATSTAT edition with the patent counting settings (dbt vars) that every patent
-- mart records (defaults in dbt_project.yml):
--   include_utility_models (false): count ipr_type 'UM' applications next to 'PI' (inventions)
--   patstat_impute_countries (false): fill a missing applicant/inventor country from the same person
--   patent_scope ('ai_big_data'): 'ai_big_data' keeps families with a scope code (seed
--                                 patstat_ai_scope_codes); 'all' keeps every family
with

editions as (
    select
        snapshot_id as edition_id,
        snapshot_as_of as edition_as_of,
        is_current as is_current_edition
    from {{ ref('stg_lake__snapshots') }}
    where source = 'patstat' and is_kept
)

select
    edition_id,
    edition_as_of,
    is_current_edition,
    {{ bool_var('include_utility_models') }} as include_utility_models,
    {{ bool_var('patstat_impute_countries') }} as impute_countries,
    {{ choice_var('patent_scope', ['ai_big_data', 'all']) }} as patent_scope
from editions
