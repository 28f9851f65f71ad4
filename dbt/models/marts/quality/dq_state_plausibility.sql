-- One row per kept state of every source: the plausibility gate's verdict (int_state_plausibility) with
-- the numbers, in words in gate_note. The quality report lists held states; BI can chart the checks.
with

verdicts as (
    select * from {{ ref('int_state_plausibility') }}
),

noted as (
    select
        verdicts.*,
        case
            when verdicts.compared_records > 0
                then 1.0 - cast(verdicts.records as double) / verdicts.compared_records
        end as record_drop_share,
        case
            when verdicts.worst_reference_count > 0
                then 1.0 - cast(verdicts.worst_candidate_count as double) / verdicts.worst_reference_count
        end as region_year_drop_share
    from verdicts
)

select
    cast(source as string) as source,
    cast(snapshot_id as string) as snapshot_id,
    cast(snapshot_as_of as date) as snapshot_as_of,
    cast(compared_with_snapshot_id as string) as compared_with_snapshot_id,
    cast(records as bigint) as records,
    cast(compared_records as bigint) as compared_records,
    cast(record_drop_share as double) as record_drop_share,
    cast(worst_region as string) as worst_region,
    cast(worst_year as integer) as worst_year,
    cast(worst_reference_count as bigint) as worst_compared_count,
    cast(worst_candidate_count as bigint) as worst_count,
    cast(region_year_drop_share as double) as region_year_drop_share,
    cast(is_held as boolean) as is_held,
    cast(accepted_by is not null as boolean) as is_accepted,
    cast(accepted_by as string) as accepted_by,
    cast(accepted_at as {{ timestamp_tz_type() }}) as accepted_at,
    cast(
        case
            when not (has_no_records or has_record_drop or has_region_year_drop)
                then 'plausible'
            else
                (case when is_held then 'held back: ' else 'accepted by ' || accepted_by || ': ' end)
                || concat_ws(
                    '; ',
                    case
                        when has_no_records
                            then
                                'it holds no records'
                                || coalesce(
                                    ' (' || compared_with_snapshot_id || ' holds '
                                    || cast(compared_records as string) || ')', ''
                                )
                    end,
                    case
                        when has_record_drop and not has_no_records
                            then
                                cast(records as string) || ' records against '
                                || cast(compared_records as string) || ' in ' || compared_with_snapshot_id
                                || ' ('
                                || cast(round(100 * record_drop_share) as integer)
                                || '% fewer, more than '
                                || cast(round(100 * {{ float_var('gate_max_record_drop') }}) as integer)
                                || '% allowed)'
                    end,
                    case
                        when has_region_year_drop and not has_no_records
                            then
                                worst_region || ' ' || cast(worst_year as string) || ': '
                                || cast(worst_candidate_count as string) || ' publications against '
                                || cast(worst_reference_count as string)
                                || ' in '
                                || compared_with_snapshot_id
                                || ' (' || cast(round(100 * region_year_drop_share) as integer)
                                || '% fewer, more than '
                                || cast(round(100 * {{ float_var('gate_max_region_year_drop') }}) as integer)
                                || '% allowed)'
                    end
                )
                || case
                    when is_held
                        then
                            '. Not current and not published'
                            || coalesce(': ' || compared_with_snapshot_id || ' keeps serving', '')
                            || '. If the drop is real: stiwatch accept ' || source || ' ' || snapshot_id
                            || '; if the delivery is bad: stiwatch retract ' || source || ' ' || snapshot_id
                            || ' --why "..."'
                    else ''
                end
        end as string
    ) as gate_note,
    cast({{ float_var('gate_max_record_drop') }} as double) as gate_max_record_drop,
    cast({{ float_var('gate_max_region_year_drop') }} as double) as gate_max_region_year_drop,
    cast({{ int_var('gate_min_count') }} as integer) as gate_min_count
from noted
