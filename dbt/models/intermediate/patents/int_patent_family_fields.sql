{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['edition_id'],
    post_hook="{{ delete_unkept_states(source_name='patstat') }}",
) }}
-- WIPO technology fields of each family, as fractions summing to 1 per family (METHOD.md "Sector").
-- An application's weights come from tls230 when the edition has rows for it (EPO's weights); otherwise
-- from its IPC symbols through the concordance seed wipo_ipc_technology_concordance: each distinct field
-- of its symbols weighs 1/k. A symbol matches the seed row of its subclass and main group (an exception
-- such as A61K 8 or G01N 33) before the row of its subclass alone. A family's weight in a field is the
-- mean of its applications' weights over the applications that have a field; a family without any field
-- gets field 0 'Unclassified' with weight 1, so nothing drops out of the shares.
-- Incremental per edition (macros/utils/incremental_states.sql).
with

applications as (
    select
        edition_id,
        appln_id,
        docdb_family_id
    from {{ ref('int_patent_applications') }}
    where {{ unbuilt_states('edition_id') }}
),

tls230_weights as (
    select
        edition_id,
        appln_id,
        field_id,
        sum(weight) as weight
    from {{ ref('stg_patstat__appln_techn_fields') }}
    where {{ unbuilt_states('edition_id') }}
    group by edition_id, appln_id, field_id
),

concordance as (
    select
        ipc_subclass,
        ipc_main_group,
        field_id
    from {{ ref('wipo_ipc_technology_concordance') }}
),

ipc_fields as (
    select distinct
        ipc.edition_id,
        ipc.appln_id,
        coalesce(by_main_group.field_id, by_subclass.field_id) as field_id
    from {{ ref('stg_patstat__appln_ipc') }} as ipc
    left join concordance as by_main_group
        on ipc.subclass = by_main_group.ipc_subclass and ipc.main_group = by_main_group.ipc_main_group
    left join concordance as by_subclass
        on ipc.subclass = by_subclass.ipc_subclass and by_subclass.ipc_main_group is null
    where
        coalesce(by_main_group.field_id, by_subclass.field_id) is not null
        and {{ unbuilt_states('ipc.edition_id') }}
),

applications_with_tls230 as (
    select distinct
        edition_id,
        appln_id
    from tls230_weights
),

concordance_weights as (
    select
        ipc_fields.edition_id,
        ipc_fields.appln_id,
        ipc_fields.field_id,
        cast(1 as double) / count(*) over (partition by ipc_fields.edition_id, ipc_fields.appln_id) as weight
    from ipc_fields
    anti join applications_with_tls230 as with_tls230
        on ipc_fields.edition_id = with_tls230.edition_id and ipc_fields.appln_id = with_tls230.appln_id
),

application_weights as (
    select
        edition_id,
        appln_id,
        field_id,
        weight,
        'tls230' as weight_source
    from tls230_weights
    union all
    select
        edition_id,
        appln_id,
        field_id,
        weight,
        'concordance' as weight_source
    from concordance_weights
),

family_application_weights as (
    select
        applications.edition_id,
        applications.docdb_family_id,
        application_weights.appln_id,
        application_weights.field_id,
        application_weights.weight,
        application_weights.weight_source,
        {{ count_distinct_over(
            'application_weights.appln_id', 'applications.edition_id, applications.docdb_family_id'
        ) }} as n_applications_with_field
    from applications
    inner join application_weights
        on
            applications.edition_id = application_weights.edition_id
            and applications.appln_id = application_weights.appln_id
),

family_weights as (
    select
        edition_id,
        docdb_family_id,
        field_id,
        sum(weight) / any_value(n_applications_with_field) as weight,
        bool_or(weight_source = 'concordance') as uses_concordance
    from family_application_weights
    group by edition_id, docdb_family_id, field_id
),

unclassified as (
    select
        applications.edition_id,
        applications.docdb_family_id,
        0 as field_id,
        1.0 as weight,
        false as uses_concordance
    from applications
    anti join family_weights
        on
            applications.edition_id = family_weights.edition_id
            and applications.docdb_family_id = family_weights.docdb_family_id
    group by applications.edition_id, applications.docdb_family_id
),

fields as (
    select distinct
        field_id,
        field_name,
        sector_id,
        sector
    from {{ ref('wipo_ipc_technology_concordance') }}
    union all
    select
        0 as field_id,
        'Unclassified' as field_name,
        0 as sector_id,
        'Unclassified' as sector
),

weighted as (
    select * from family_weights
    union all
    select * from unclassified
)

select
    weighted.edition_id,
    weighted.docdb_family_id,
    weighted.field_id,
    weighted.weight,
    weighted.uses_concordance,
    -- A tls230 field number outside the concordance is kept under a visible placeholder name.
    coalesce(fields.field_name, 'Field ' || weighted.field_id || ' (not in the concordance seed)')
        as field_name,
    coalesce(fields.sector_id, -1) as sector_id,
    coalesce(fields.sector, 'Unknown sector') as sector
from weighted
left join fields
    on weighted.field_id = fields.field_id
