-- Per source, snapshot, period ('all' years, then each year) and European institution with
-- co-publications with China: how many, how many and what share involve a listed Chinese organisation
-- (int_watch_listed_partners), fall in a sensitive topic, or both; its listed partners and the top three
-- by shared co-publications. Ranked within (source, snapshot, period): listed co-publications in a
-- sensitive topic, then listed co-publications, then co-publications (descending), then name, then key.
-- The share per topic is in fct_institution_topic_profile. Indicators from public lists, not verdicts.
with

european as (
    select * from {{ ref('int_watch_periods') }}
),

counts as (
    select
        source,
        snapshot_id,
        period,
        pub_year,
        institution_key,
        institution_name,
        institution_country,
        count(distinct record_id) as copublications_with_cn,
        count(distinct record_id) filter (where has_listed_partner) as listed_copublications,
        count(distinct record_id) filter (where has_sensitive_topic) as sensitive_copublications,
        count(distinct record_id) filter (where has_listed_partner and has_sensitive_topic)
            as listed_sensitive_copublications
    from european
    group by source, snapshot_id, period, pub_year, institution_key, institution_name, institution_country
),

partner_counts as (
    select
        european.source,
        european.snapshot_id,
        european.period,
        european.institution_key,
        partners.listed_institution_key,
        partners.listed_institution_name,
        count(distinct european.record_id) as shared_copublications
    from european
    inner join {{ ref('int_watch_partners') }} as partners
        on
            european.source = partners.source
            and european.snapshot_id = partners.snapshot_id
            and european.record_id = partners.record_id
    group by
        european.source, european.snapshot_id, european.period, european.institution_key,
        partners.listed_institution_key, partners.listed_institution_name
),

ranked_partners as (
    select
        *,
        row_number() over (
            partition by source, snapshot_id, period, institution_key
            order by shared_copublications desc, listed_institution_name asc, listed_institution_key asc
        ) as partner_rank
    from partner_counts
),

partner_summaries as (
    select
        source,
        snapshot_id,
        period,
        institution_key,
        count(*) as listed_partners,
        {{ ordered_string_agg(
            "case when partner_rank <= 3 then concat(listed_institution_name, ' ('"
            ~ ", cast(shared_copublications as string), ')') end",
            "'; '",
            order_by='partner_rank',
        ) }} as top_listed_partners,
        {{ ordered_string_agg(
            'listed_institution_key', "' '", order_by='partner_rank'
        ) }} as listed_partner_keys
    from ranked_partners
    group by source, snapshot_id, period, institution_key
),

ranked as (
    select
        counts.*,
        partner_summaries.top_listed_partners,
        partner_summaries.listed_partner_keys,
        coalesce(partner_summaries.listed_partners, 0) as listed_partners,
        row_number() over (
            partition by counts.source, counts.snapshot_id, counts.period
            order by
                counts.listed_sensitive_copublications desc, counts.listed_copublications desc,
                counts.copublications_with_cn desc, counts.institution_name asc, counts.institution_key asc
        ) as risk_rank
    from counts
    left join partner_summaries
        on
            counts.source = partner_summaries.source
            and counts.snapshot_id = partner_summaries.snapshot_id
            and counts.period = partner_summaries.period
            and counts.institution_key = partner_summaries.institution_key
),

snapshots as (
    select
        source,
        snapshot_id,
        snapshot_as_of,
        is_current
    from {{ ref('int_served_snapshots') }}
    where is_kept
)

select
    cast(ranked.source as string) as source,
    cast(ranked.snapshot_id as string) as snapshot_id,
    cast(snapshots.snapshot_as_of as date) as snapshot_as_of,
    cast(snapshots.is_current as boolean) as is_current_snapshot,
    cast(ranked.period as string) as period,
    cast(ranked.pub_year as integer) as pub_year,
    cast(ranked.risk_rank as integer) as risk_rank,
    cast(ranked.institution_key as string) as institution_key,
    cast(ranked.institution_name as string) as institution_name,
    cast(ranked.institution_country as string) as institution_country,
    cast(ranked.copublications_with_cn as bigint) as copublications_with_cn,
    cast(ranked.listed_copublications as bigint) as listed_copublications,
    cast(ranked.listed_copublications as double) / ranked.copublications_with_cn as listed_share,
    cast(ranked.sensitive_copublications as bigint) as sensitive_copublications,
    cast(ranked.sensitive_copublications as double) / ranked.copublications_with_cn as sensitive_share,
    cast(ranked.listed_sensitive_copublications as bigint) as listed_sensitive_copublications,
    cast(ranked.listed_sensitive_copublications as double) / ranked.copublications_with_cn
        as listed_sensitive_share,
    cast(ranked.listed_partners as bigint) as listed_partners,
    cast(ranked.top_listed_partners as string) as top_listed_partners,
    cast(ranked.listed_partner_keys as string) as listed_partner_keys,
    cast(case when ranked.source = 'patstat' then 'applicant' else {{ institution_level() }} end as string)
        as institution_level,
    cast({{ sensitive_topics_version_literal() }} as string) as topic_version,
    {{ completeness_columns() }},
    {{ mart_settings_columns() }}
from ranked
inner join snapshots
    on
        ranked.source = snapshots.source
        and ranked.snapshot_id = snapshots.snapshot_id
{{ completeness_join('ranked.source', 'ranked.snapshot_id', 'ranked.pub_year') }}
