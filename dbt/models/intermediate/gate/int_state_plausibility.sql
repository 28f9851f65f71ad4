-- The plausibility gate (README "When a delivery is bad"): one row per kept state, judged against the
-- state it would replace as current, i.e. the newest earlier kept state that was not held itself. A
-- state is held back (is_held) when it holds no records, or when, against a reference of at least var
-- gate_min_count, its records or any region's yearly count (publications, full counting, from var
-- first_year on) fell by more than var gate_max_record_drop / gate_max_region_year_drop, unless a
-- person accepted it (stiwatch accept: accepted_by, accepted_at in its manifest). A held state stays
-- out of the marts and of "current" (int_served_snapshots): the state it would replace keeps serving.
-- The oldest kept state has no reference in view: only the zero-records rule applies to it.
-- Records: publications of the state (int_publications, in scope or not); PATSTAT: families of the
-- edition (int_patent_families, no region-year comparison).
with recursive

states as (
    select
        source,
        snapshot_id,
        snapshot_as_of,
        accepted_by,
        accepted_at,
        cast(row_number() over (partition by source order by delivery_order) as integer) as state_order
    from {{ ref('stg_lake__snapshots') }}
    where is_kept
),

record_counts as (
    select
        source,
        snapshot_id,
        count(*) as records
    from {{ ref('int_publications') }}
    group by source, snapshot_id
    union all
    select
        'patstat' as source,
        edition_id as snapshot_id,
        count(*) as records
    from {{ ref('int_patent_families') }}
    group by edition_id
),

state_records as (
    select
        states.source,
        states.snapshot_id,
        states.snapshot_as_of,
        states.accepted_by,
        states.accepted_at,
        states.state_order,
        coalesce(record_counts.records, 0) as records
    from states
    left join record_counts
        on
            states.source = record_counts.source
            and states.snapshot_id = record_counts.snapshot_id
),

region_years as (
    select
        source,
        snapshot_id,
        region,
        pub_year,
        count(*) as publications
    from {{ ref('int_publication_regions') }}
    where pub_year >= {{ int_var('first_year') }}
    group by source, snapshot_id, region, pub_year
),

-- Every (state, possible reference) pair: each earlier kept state, and "none" (reference_order 0).
pairs as (
    select
        later.source,
        later.snapshot_id,
        later.state_order,
        earlier.snapshot_id as reference_snapshot_id,
        earlier.state_order as reference_order,
        later.records,
        earlier.records as reference_records
    from state_records as later
    inner join state_records as earlier
        on
            later.source = earlier.source
            and later.state_order > earlier.state_order
    union all
    select
        source,
        snapshot_id,
        state_order,
        cast(null as string) as reference_snapshot_id,
        0 as reference_order,
        records,
        cast(null as bigint) as reference_records
    from state_records
),

region_year_drops as (
    select
        pairs.source,
        pairs.snapshot_id,
        pairs.reference_order,
        reference.region,
        reference.pub_year,
        reference.publications as reference_count,
        coalesce(candidate.publications, 0) as candidate_count,
        row_number() over (
            partition by pairs.source, pairs.snapshot_id, pairs.reference_order
            order by
                1.0 - cast(coalesce(candidate.publications, 0) as double) / reference.publications desc,
                reference.publications desc,
                reference.region asc,
                reference.pub_year asc
        ) as worst
    from pairs
    inner join region_years as reference
        on
            pairs.source = reference.source
            and pairs.reference_snapshot_id = reference.snapshot_id
    left join region_years as candidate
        on
            pairs.source = candidate.source
            and pairs.snapshot_id = candidate.snapshot_id
            and reference.region = candidate.region
            and reference.pub_year = candidate.pub_year
    where reference.publications >= {{ int_var('gate_min_count') }}
),

judged as (
    select
        pairs.source,
        pairs.snapshot_id,
        pairs.state_order,
        pairs.reference_snapshot_id,
        pairs.reference_order,
        pairs.records,
        pairs.reference_records,
        drops.region as worst_region,
        drops.pub_year as worst_year,
        drops.reference_count as worst_reference_count,
        drops.candidate_count as worst_candidate_count,
        pairs.records = 0 as has_no_records,
        coalesce(
            pairs.reference_records >= {{ int_var('gate_min_count') }}
            and pairs.records
            < (1 - {{ float_var('gate_max_record_drop') }}) * pairs.reference_records,
            false
        ) as has_record_drop,
        coalesce(
            drops.candidate_count
            < (1 - {{ float_var('gate_max_region_year_drop') }}) * drops.reference_count,
            false
        ) as has_region_year_drop
    from pairs
    left join region_year_drops as drops
        on
            pairs.source = drops.source
            and pairs.snapshot_id = drops.snapshot_id
            and pairs.reference_order = drops.reference_order
            and drops.worst = 1
),

verdicts as (
    select
        judged.*,
        states.accepted_by is null
        and (judged.has_no_records or judged.has_record_drop or judged.has_region_year_drop) as is_held
    from judged
    inner join state_records as states
        on
            judged.source = states.source
            and judged.snapshot_id = states.snapshot_id
),

-- In delivery order: each state is judged against the last state not held before it.
walk as (
    select
        source,
        state_order,
        reference_order,
        is_held
    from verdicts
    where state_order = 1 and reference_order = 0
    union all
    select
        verdicts.source,
        verdicts.state_order,
        verdicts.reference_order,
        verdicts.is_held
    from walk
    inner join verdicts
        on
            walk.source = verdicts.source
            and verdicts.state_order = walk.state_order + 1
            and verdicts.reference_order
            = case when walk.is_held then walk.reference_order else walk.state_order end
)

select
    verdicts.source,
    verdicts.snapshot_id,
    states.snapshot_as_of,
    verdicts.reference_snapshot_id as compared_with_snapshot_id,
    verdicts.records,
    verdicts.reference_records as compared_records,
    verdicts.worst_region,
    verdicts.worst_year,
    verdicts.worst_reference_count,
    verdicts.worst_candidate_count,
    verdicts.has_no_records,
    verdicts.has_record_drop,
    verdicts.has_region_year_drop,
    verdicts.is_held,
    states.accepted_by,
    states.accepted_at
from walk
inner join verdicts
    on
        walk.source = verdicts.source
        and walk.state_order = verdicts.state_order
        and walk.reference_order = verdicts.reference_order
inner join state_records as states
    on
        verdicts.source = states.source
        and verdicts.snapshot_id = states.snapshot_id
