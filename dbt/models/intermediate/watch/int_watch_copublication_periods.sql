-- The European side of the watch list: one row per counted EU27/AC-CN co-publication x EU27/AC
-- institution on it (int_publication_institutions, so var roll_up_institutions applies) x period (its
-- year, and 'all'; pub_year NULL for 'all', record_year always the publication's year), with whether
-- the publication has a listed CN partner (int_watch_listed_partners) and a sensitive topic
-- (int_publication_sensitive_topics). The watch marts aggregate it.
with

copublications as (
    select * from {{ ref('int_eu_cn_copublications') }}
),

listed as (
    select distinct
        source,
        snapshot_id,
        record_id
    from {{ ref('int_watch_listed_partners') }}
),

sensitive as (
    select distinct
        source,
        snapshot_id,
        record_id
    from {{ ref('int_publication_sensitive_topics') }}
),

flagged as (
    select
        copublications.source,
        copublications.snapshot_id,
        copublications.record_id,
        copublications.pub_year,
        listed.record_id is not null as has_listed_partner,
        sensitive.record_id is not null as has_sensitive_topic
    from copublications
    left join listed
        on
            copublications.source = listed.source
            and copublications.snapshot_id = listed.snapshot_id
            and copublications.record_id = listed.record_id
    left join sensitive
        on
            copublications.source = sensitive.source
            and copublications.snapshot_id = sensitive.snapshot_id
            and copublications.record_id = sensitive.record_id
),

periods as (
    select
        source,
        snapshot_id,
        record_id,
        pub_year as record_year,
        cast(pub_year as string) as period,
        pub_year,
        has_listed_partner,
        has_sensitive_topic
    from flagged
    union all
    select
        source,
        snapshot_id,
        record_id,
        pub_year as record_year,
        'all' as period,
        cast(null as integer) as pub_year,
        has_listed_partner,
        has_sensitive_topic
    from flagged
)

select
    periods.source,
    periods.snapshot_id,
    periods.record_id,
    periods.period,
    periods.pub_year,
    periods.record_year,
    periods.has_listed_partner,
    periods.has_sensitive_topic,
    institutions.institution_key,
    institutions.institution_name,
    institutions.institution_country,
    institutions.institution_level
from periods
inner join {{ ref('int_publication_institutions') }} as institutions
    on
        periods.source = institutions.source
        and periods.snapshot_id = institutions.snapshot_id
        and periods.record_id = institutions.record_id
where institutions.side = 'EU27/AC'
