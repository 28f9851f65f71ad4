-- Expected final co-patent counts of the provisional filing years of each edition (doc block
-- nowcast_method): observed count / completion share at the year's lag, with bounds. Never mixed into
-- fct_copatent_output: a separate mart, every row labelled with its method.
with

output as (
    select * from {{ ref('fct_copatent_output') }}
),

default_curve as (
    select
        lag_years,
        completion_share,
        completion_share_se
    from {{ ref('nowcast_default_curve') }}
    where source = 'patstat'
),

editions as (
    select distinct
        edition_id,
        edition_as_of,
        cast(extract(year from edition_as_of) as integer) as as_of_year
    from output
),

-- One edition per as-of year (the newest): the curve is measured between consecutive as-of years.
year_editions as (
    select *
    from editions
    qualify row_number() over (partition by as_of_year order by edition_as_of desc, edition_id desc) = 1
),

-- All counted families per filing year (not co-patents only): the lag hits every family alike and the
-- larger count measures it with less noise.
year_counts as (
    select distinct
        edition_id,
        filing_year,
        families_in_year
    from output
),

-- For lag k: the families of filing year A - k in the edition of year A, and in the edition of A + 1.
steps as (
    select
        default_curve.lag_years,
        sum(coalesce(early_counts.families_in_year, 0)) as early_families,
        sum(late_counts.families_in_year) as late_families
    from year_editions as early_edition
    inner join year_editions as late_edition
        on late_edition.as_of_year = early_edition.as_of_year + 1
    cross join default_curve
    inner join year_counts as late_counts
        on
            late_edition.edition_id = late_counts.edition_id
            and late_counts.filing_year = early_edition.as_of_year - default_curve.lag_years
    left join year_counts as early_counts
        on
            early_edition.edition_id = early_counts.edition_id
            and late_counts.filing_year = early_counts.filing_year
    group by default_curve.lag_years
),

-- Ratio c(k) / c(k+1) and its relative variance (binomial: the early families are a share of the late).
measured_steps as (
    select
        lag_years,
        early_families * 1.0 / late_families as step_ratio,
        greatest(1 - early_families * 1.0 / late_families, 0)
        / (early_families * 1.0 / late_families) / late_families as step_relative_variance
    from steps
    where early_families > 0 and late_families > 0
),

-- c(k) = product of the steps from k to the complete lag (chain ladder); measured only when every step is.
measured_curve as (
    select
        default_curve.lag_years,
        count(measured_steps.lag_years) = count(*) as is_measured,
        exp(sum(ln(measured_steps.step_ratio))) as completion_share,
        sum(measured_steps.step_relative_variance) as relative_variance
    from default_curve
    inner join default_curve as later_lag
        on default_curve.lag_years <= later_lag.lag_years
    left join measured_steps
        on later_lag.lag_years = measured_steps.lag_years
    group by default_curve.lag_years
),

curve as (
    select
        default_curve.lag_years,
        case
            when measured_curve.is_measured then 'editions' else 'default_curve'
        end as nowcast_method,
        -- A measured share above 1 (families vanishing between editions) would nowcast below the count.
        case
            when measured_curve.is_measured then least(measured_curve.completion_share, 1)
            else default_curve.completion_share
        end as completion_share,
        case
            when measured_curve.is_measured then measured_curve.relative_variance
            else power(default_curve.completion_share_se / default_curve.completion_share, 2)
        end as curve_relative_variance
    from default_curve
    inner join measured_curve
        on default_curve.lag_years = measured_curve.lag_years
),

provisional as (
    select
        output.*,
        curve.nowcast_method,
        curve.completion_share,
        curve.curve_relative_variance,
        editions.as_of_year - output.filing_year as lag_years,
        output.copatent_families / curve.completion_share as nowcast
    from output
    inner join editions
        on output.edition_id = editions.edition_id
    inner join curve
        on editions.as_of_year - output.filing_year = curve.lag_years
),

with_spread as (
    select
        *,
        {{ nowcast_standard_error('copatent_families') }} as nowcast_se
    from provisional
)

select
    source,
    edition_id,
    edition_as_of,
    is_current_edition,
    filing_year,
    cast(lag_years as integer) as lag_years,
    region_pair,
    basis,
    copatent_families as observed_copatent_families,
    cast(nowcast as double) as nowcast_copatent_families,
    {{ nowcast_bounds('copatent_families') }},
    cast(completion_share as double) as completion_share,
    nowcast_method,
    families_in_year,
    cast({{ float_var('nowcast_z') }} as double) as nowcast_z,
    include_utility_models,
    impute_countries,
    patent_scope,
    {{ mart_settings_columns() }}
from with_spread
