"""The Assets that connect the ingest DAGs to the transform DAG."""

from __future__ import annotations

from airflow.sdk import Asset


def lake_asset(source: str) -> Asset:
    """Updated whenever a new snapshot of ``source`` is published to the lake (its manifest written)."""
    return Asset(f"stiwatch://lake/{source}", group="stiwatch")
