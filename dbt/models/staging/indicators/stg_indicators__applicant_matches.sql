-- PATSTAT applicant names matched to current indicator-list entries by the resolution step
-- (stiwatch.indicators.applicants). Empty until the step has run once, or without PATSTAT or lists.
with

source as (
    select *
    from
        {{ lake_file('indicator_applicants', 'applicant_matches', 'indicators/applicant_matches.parquet') }}
            as matches
)

select
    applicant_name,
    country_code,
    entry_id,
    method as match_method,
    score as match_score
from source
