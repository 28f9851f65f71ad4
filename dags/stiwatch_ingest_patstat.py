"""Airflow DAG stiwatch_ingest_patstat: PATSTAT edition extracts from the landing zone into the lake."""

from stiwatch.orchestration.ingest_dag import build_ingest_dag

dag = build_ingest_dag("patstat")
