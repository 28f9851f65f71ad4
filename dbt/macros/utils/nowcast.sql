{#-
    The uncertainty of a nowcast, shared by fct_copatent_nowcast and fct_publication_nowcast (doc blocks
    nowcast_method and publication_nowcast_method). Both read columns of the row: nowcast,
    completion_share (the curve's expected share of the final count already in at this lag),
    curve_relative_variance and, for the bounds, nowcast_se.
-#}

{% macro nowcast_standard_error(observed) -%}
    {#-
        Binomial variance of the share still to come (one unit added to the observed count so that a zero
        count still gets an upper bound above zero) plus the curve's own variance.
    -#}
    sqrt(
        ({{ observed }} + 1) * (1 - completion_share) / power(completion_share, 2)
        + power(nowcast, 2) * curve_relative_variance
    )
{%- endmacro %}


{% macro nowcast_bounds(observed) -%}
    {#- nowcast +- var nowcast_z standard errors; the lower bound is never below what is already counted. -#}
    cast(greatest({{ observed }}, nowcast - {{ float_var('nowcast_z') }} * nowcast_se) as double)
        as nowcast_lower,
    cast(nowcast + {{ float_var('nowcast_z') }} * nowcast_se as double) as nowcast_upper
{%- endmacro %}
