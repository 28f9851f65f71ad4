-- One row per institution found in any affiliation of a served state: a ROR organisation, an OpenAlex
-- institution without a ROR id (openalex:I...), or an unresolved organisation string kept as its own
-- institution (unresolved:<country>:<text>). Region follows the regions seed and var cn_includes_hk_mo,
-- as for affiliations (int_affiliations_regioned). Not rolled up by var roll_up_institutions (it is the
-- dimension of every affiliation's key); top_parent_* name the ROR top-level parent (stg_ror__top_parents,
-- the institution itself without one) so BI can roll up, and rolled-up marts' keys are top_parent_key.
with

-- Of served states only: a state the plausibility gate holds back is in no mart (int_served_snapshots).
affiliations as (
    select keyed.*
    from {{ ref('int_affiliation_institutions') }} as keyed
    inner join {{ ref('int_served_snapshots') }} as served
        on
            keyed.source = served.source
            and keyed.snapshot_id = served.snapshot_id
    where keyed.institution_key is not null and served.is_kept
),

institutions as (
    select
        institution_key,
        min(institution_name) as institution_name,
        min(institution_country) as country_code,
        bool_or(is_resolved) as is_resolved,
        {{ ordered_string_agg('resolution_method', "', '", distinct=true) }} as resolution_methods,
        count(distinct concat(source, '|', coalesce(organisation, ''), '|', country_code)) as n_raw_strings,
        count(*) as n_affiliations,
        {{ ordered_string_agg('source', "', '", distinct=true) }} as sources
    from affiliations
    group by institution_key
),

{{ country_region_lookups() }},

coded as (
    select
        institutions.*,
        coalesce(aliases.country_code, institutions.country_code, 'UNKNOWN') as normalised_country_code
    from institutions
    left join aliases
        on institutions.country_code = aliases.alias_code
)

select
    cast(coded.institution_key as string) as institution_key,
    cast(coded.institution_name as string) as institution_name,
    cast(coded.normalised_country_code as string) as country_code,
    cast(
        {{ region_of_country('coded.normalised_country_code', 'regions.region', 'regions.is_hk_mo') }}
        as string
    ) as region,
    cast(coded.is_resolved as boolean) as is_resolved,
    cast(case when coded.is_resolved then coded.institution_key end as string) as ror_id,
    cast(coded.resolution_methods as string) as resolution_methods,
    cast(coded.n_raw_strings as bigint) as n_raw_strings,
    cast(coded.n_affiliations as bigint) as n_affiliations,
    cast(coded.sources as string) as sources,
    cast(coalesce(tops.top_ror_id, coded.institution_key) as string) as top_parent_key,
    cast(coalesce(tops.top_name, coded.institution_name) as string) as top_parent_name,
    cast(coalesce(tops.top_country, coded.normalised_country_code) as string) as top_parent_country,
    cast(coalesce(tops.levels, 0) as integer) as top_parent_levels,
    {{ mart_settings_columns() }}
from coded
left join regions
    on coded.normalised_country_code = regions.country_code
left join {{ ref('stg_ror__top_parents') }} as tops
    on coded.institution_key = tops.ror_id
