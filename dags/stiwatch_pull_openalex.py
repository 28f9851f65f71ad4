"""Airflow DAG stiwatch_pull_openalex: a weekly incremental pull of OpenAlex works into the landing zone."""

from stiwatch.orchestration.pull_dag import build_pull_dag

dag = build_pull_dag()
