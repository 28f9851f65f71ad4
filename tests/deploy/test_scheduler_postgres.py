"""Run the compose file's Airflow configuration for real: LocalExecutor, PostgreSQL metadata DB,
api-server + scheduler + dag-processor + triggerer as separate processes (as the compose services are).

The ingest DAGs are unpaused and triggered through the REST API, as a data engineer would; the transform
DAG must then run on its own, triggered by the lake Assets the ingest runs emit. Needs PostgreSQL on
127.0.0.1:5432 with trust auth for user postgres (.ci/start-postgres.sh); a fresh database per run.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from .airflow_stack import (
    Components,
    assert_refresh_published,
    free_port,
    land_demo_and_set_up,
    run_refresh,
    stack_env,
)

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

DEMO_RECORDS = 150


def test_scheduler_runs_the_refresh_against_postgres(tmp_path: Path, metadata_db: str) -> None:
    t0 = time.monotonic()
    api_port = free_port()
    env = stack_env(tmp_path, metadata_db, api_port, "LocalExecutor")
    snapshots = land_demo_and_set_up(env, DEMO_RECORDS)
    timings = {"demo + setup (db migrate on PostgreSQL)": time.monotonic() - t0}

    components = Components(env, tmp_path)
    try:
        components.start_scheduling(api_port)
        timings.update(run_refresh(env, metadata_db, components))
    finally:
        components.stop()
    print("timings (s):", {k: round(v, 1) for k, v in timings.items()})

    assert_refresh_published(env, snapshots, DEMO_RECORDS)
