{% macro spark__load_csv_rows(model, agate_table) %}
    {#-
        Seeds on Spark, with the values written as literals. dbt-spark's own loader pastes each value
        between quotes unescaped (a seed note with an apostrophe breaks the insert) and loads an empty cell
        as the text 'None'; an empty cell is NULL here, as on DuckDB.
    -#}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for column_name in agate_table.column_names -%}
        {%- do types.append(column_override.get(column_name, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set rows = [] -%}
        {%- for row in chunk -%}
            {%- set values = [] -%}
            {%- for value in row -%}
                {%- if value is none -%}
                    {%- do values.append('cast(null as ' ~ types[loop.index0] ~ ')') -%}
                {%- else -%}
                    {%- do values.append('cast(' ~ stiwatch.string_literal(value) ~ ' as ' ~ types[loop.index0] ~ ')') -%}
                {%- endif -%}
            {%- endfor -%}
            {%- do rows.append('(' ~ values | join(', ') ~ ')') -%}
        {%- endfor -%}
        {%- set sql = 'insert into ' ~ this.render() ~ ' values ' ~ rows | join(', ') -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- do statements.append(sql) -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}
