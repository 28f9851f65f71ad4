"""Airflow DAG stiwatch_ingest_wos: Web of Science exports from the landing zone into the lake."""

from stiwatch.orchestration.ingest_dag import build_ingest_dag

dag = build_ingest_dag("wos")
