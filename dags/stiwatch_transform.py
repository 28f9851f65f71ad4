"""Airflow DAG stiwatch_transform: dbt builds the warehouse marts when a new lake snapshot is published."""

from stiwatch.orchestration.transform_dag import build_transform_dag

dag = build_transform_dag()
