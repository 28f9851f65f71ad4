"""Airflow wiring for stiwatch: DAG factories (``ingest_dag``, ``transform_dag``), their task bodies
(``tasks``, free of Airflow imports) and the embedded end-to-end ``refresh``.

DAG files under ``dags/`` only call the factories. Nothing here imports pandas, DuckDB, pyarrow or dbt at
module level, so parsing the DAG folder stays fast; the heavy work happens inside task bodies.
"""
