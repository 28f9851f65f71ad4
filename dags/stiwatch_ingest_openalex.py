"""Airflow DAG stiwatch_ingest_openalex: OpenAlex snapshots and API pulls from landing into the lake."""

from stiwatch.orchestration.ingest_dag import build_ingest_dag

dag = build_ingest_dag("openalex")
