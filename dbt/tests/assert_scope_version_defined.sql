-- Var scope_version must select rows of the scope seeds: a version with no category and no keyword would
-- leave every record out of scope without a word. Returns the version when both seeds lack it.
with

defined as (
    select scope_version from {{ ref('scope_categories') }}
    union all
    select scope_version from {{ ref('scope_keywords') }}
)

select {{ scope_version_literal() }} as missing_scope_version
where not exists (
    select 1 from defined
    where scope_version = {{ scope_version_literal() }}
)
