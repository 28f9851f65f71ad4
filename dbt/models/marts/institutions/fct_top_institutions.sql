-- EU27/AC institutions ranked by co-publications with China, and the mirror (CN institutions ranked by
-- co-publications with EU27/AC), per source, snapshot and period ('all' years, then each year).
-- An institution counts a publication when it is on the paper on its side (once, however many addresses)
-- and the paper is an EU27/AC-CN co-publication (int_eu_cn_copublications: at least one affiliation in
-- each region). main partner: the institution of the other side on most of those publications.
-- variant 'excluding_uk' (EU27/AC side only) ranks the non-UK institutions, as the brief's Fig. 3.
-- All ranks are kept (BI filters the top N); ties: co-publications desc, then name, then key.
-- Var roll_up_institutions counts institutions (and main partners) as their top-level ROR parents
-- (int_publication_institutions); institution_level records which.
with

copublications as (
    select * from {{ ref('int_eu_cn_copublications') }}
),

-- Each co-publication once for its year and once for 'all'.
copublication_periods as (
    select
        source,
        snapshot_id,
        record_id,
        cast(pub_year as string) as period,
        pub_year
    from copublications
    union all
    select
        source,
        snapshot_id,
        record_id,
        'all' as period,
        cast(null as integer) as pub_year
    from copublications
),

pair_totals as (
    select
        source,
        snapshot_id,
        period,
        count(*) as pair_copublications
    from copublication_periods
    group by source, snapshot_id, period
),

institution_periods as (
    select
        copublication_periods.source,
        copublication_periods.snapshot_id,
        copublication_periods.record_id,
        copublication_periods.period,
        copublication_periods.pub_year,
        institutions.side,
        institutions.institution_key,
        institutions.institution_name,
        institutions.institution_country
    from copublication_periods
    inner join {{ ref('int_publication_institutions') }} as institutions
        on
            copublication_periods.source = institutions.source
            and copublication_periods.snapshot_id = institutions.snapshot_id
            and copublication_periods.record_id = institutions.record_id
),

institution_counts as (
    select
        source,
        snapshot_id,
        period,
        pub_year,
        side,
        institution_key,
        institution_name,
        institution_country,
        count(*) as copublications
    from institution_periods
    group by
        source, snapshot_id, period, pub_year, side, institution_key, institution_name, institution_country
),

partner_counts as (
    select
        own.source,
        own.snapshot_id,
        own.period,
        own.side,
        own.institution_key,
        partner.institution_key as partner_key,
        partner.institution_name as partner_name,
        partner.institution_country as partner_country,
        count(*) as partner_copublications
    from institution_periods as own
    inner join institution_periods as partner
        on
            own.source = partner.source
            and own.snapshot_id = partner.snapshot_id
            and own.period = partner.period
            and own.record_id = partner.record_id
            and own.side <> partner.side
    group by
        own.source, own.snapshot_id, own.period, own.side, own.institution_key,
        partner.institution_key, partner.institution_name, partner.institution_country
),

main_partners as (
    select
        source,
        snapshot_id,
        period,
        side,
        institution_key,
        partner_key,
        partner_name,
        partner_country,
        partner_copublications,
        row_number() over (
            partition by source, snapshot_id, period, side, institution_key
            order by partner_copublications desc, partner_name asc, partner_key asc
        ) as partner_rank
    from partner_counts
),

variants as (
    select
        'all' as variant,
        institution_counts.*
    from institution_counts
    union all
    select
        'excluding_uk' as variant,
        institution_counts.*
    from institution_counts
    where side = 'EU27/AC' and institution_country <> 'GB'
),

ranked as (
    select
        variants.*,
        row_number() over (
            partition by
                variants.source, variants.snapshot_id, variants.period, variants.side, variants.variant
            order by
                variants.copublications desc, variants.institution_name asc, variants.institution_key asc
        ) as institution_rank
    from variants
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
    cast(ranked.side as string) as side,
    cast(ranked.variant as string) as variant,
    cast(ranked.institution_rank as integer) as institution_rank,
    cast(ranked.institution_key as string) as institution_key,
    cast(ranked.institution_name as string) as institution_name,
    cast(ranked.institution_country as string) as institution_country,
    cast(ranked.copublications as bigint) as copublications,
    cast(pair_totals.pair_copublications as bigint) as pair_copublications,
    cast(ranked.copublications as double) / pair_totals.pair_copublications as share_of_pair,
    cast(main_partners.partner_key as string) as main_partner_key,
    cast(main_partners.partner_name as string) as main_partner_name,
    cast(main_partners.partner_country as string) as main_partner_country,
    cast(main_partners.partner_copublications as bigint) as main_partner_copublications,
    cast({{ institution_level() }} as string) as institution_level,
    {{ completeness_columns() }},
    {{ mart_settings_columns() }}
from ranked
inner join pair_totals
    on
        ranked.source = pair_totals.source
        and ranked.snapshot_id = pair_totals.snapshot_id
        and ranked.period = pair_totals.period
inner join snapshots
    on
        ranked.source = snapshots.source
        and ranked.snapshot_id = snapshots.snapshot_id
left join main_partners
    on
        ranked.source = main_partners.source
        and ranked.snapshot_id = main_partners.snapshot_id
        and ranked.period = main_partners.period
        and ranked.side = main_partners.side
        and ranked.institution_key = main_partners.institution_key
        and main_partners.partner_rank = 1
{{ completeness_join('ranked.source', 'ranked.snapshot_id', 'ranked.pub_year') }}
