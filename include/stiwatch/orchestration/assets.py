"""The Assets that connect the ingest DAGs to the transform DAG."""

from __future__ import annotations

from airflow.sdk import Asset


def lake_asset(source: str) -> Asset:
    """Updated whenever a new snapshot of ``source`` is published to the lake (its manifest written)."""
    return Asset(f"stiwatch://lake/{source}", group="stiwatch")


def warehouse_asset() -> Asset:
    """Updated when dbt has built the warehouse (the file only dbt writes)."""
    return Asset("stiwatch://warehouse", group="stiwatch")


def serving_asset() -> Asset:
    """Updated when a new serving release is current: what BI tools read."""
    return Asset("stiwatch://serving/current", group="stiwatch")
