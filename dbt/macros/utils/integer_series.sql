{% macro integer_series(upper_bound) %}
    {#- The integers 1..upper_bound as column generated_number (dbt's cross-database generate_series). -#}
    {{ return(dbt.generate_series(upper_bound)) }}
{% endmacro %}
