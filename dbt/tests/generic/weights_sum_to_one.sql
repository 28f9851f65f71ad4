{#-
    Fails with the groups whose weights do not add up to 1 (one unit split over a group's rows, as
    fractional counting and field weights do). A generic test rather than a singular one so that an
    incremental build checks only the groups it wrote (macros/utils/test_scope.sql).
-#}
{% test weights_sum_to_one(model, group_by, weight) %}
    select
        {{ group_by | join(', ') }},
        sum({{ weight }}) as total_weight
    from {{ model }}
    group by {{ group_by | join(', ') }}
    having abs(sum({{ weight }}) - 1) > 1e-9
{% endtest %}
