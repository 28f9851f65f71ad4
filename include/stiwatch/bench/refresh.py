"""The benchmark's later refreshes: a small OpenAlex delta after the first build, and a refresh with
nothing new through Airflow.

Both take the real code paths: the delta is ingested by ``stiwatch.ingest`` and rebuilt by ``dbt build``
through ``stiwatch.dbt_runner.build_warehouse`` (incremental, as every refresh after the first), and the
empty refresh is ``stiwatch.orchestration.refresh.refresh``, every ingest DAG run by Airflow, in an
Airflow home inside the benchmark's data root so the user's Airflow database is untouched.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from stiwatch import demo
from stiwatch.config import Settings

PENDING = "bench-pending"  # generated deliveries that land later in the run, outside the landing zone


def pending_dir(settings: Settings) -> Path:
    return settings.data_dir / PENDING


def generate_delta(settings: Settings, records: int, seed: int) -> dict[str, Any]:
    """Write the OpenAlex demo delta outside the landing zone, so the first ingest does not see it."""
    snapshot = demo.generate_openalex_delta(pending_dir(settings), records, seed)
    return {"path": str(snapshot.path), "created": snapshot.created}


def land_delta(settings: Settings) -> Path:
    """Move the pending delta into the landing zone (a rename, as a finished delivery arrives)."""
    source = demo.openalex.SOURCE
    pending = pending_dir(settings) / source / demo.openalex.DELTA_SNAPSHOT_ID
    final = settings.landing_dir / source / demo.openalex.DELTA_SNAPSHOT_ID
    if pending.exists():
        final.parent.mkdir(parents=True, exist_ok=True)
        pending.rename(final)
    elif not final.exists():
        raise FileNotFoundError(f"{pending}: the OpenAlex delta was not generated; run the generate stage")
    return final


@contextmanager
def airflow_environment(settings: Settings) -> Iterator[None]:
    """``STIWATCH_*`` and ``AIRFLOW_HOME`` of the benchmark's data root while Airflow runs, then restored."""
    overrides = {
        "STIWATCH_DATA_DIR": str(settings.data_dir),
        "STIWATCH_WAREHOUSE": str(settings.warehouse_path),
        "STIWATCH_DUCKDB_MEMORY_LIMIT": settings.duckdb_memory_limit,
        "STIWATCH_DUCKDB_THREADS": str(settings.duckdb_threads),
        "AIRFLOW_HOME": str(settings.data_dir / "airflow"),
    }
    saved = {key: os.environ.get(key) for key in overrides}
    os.environ.update(overrides)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def airflow_setup(settings: Settings) -> None:
    """The Airflow metadata database and pool of the benchmark's Airflow home (``stiwatch setup``)."""
    from stiwatch.orchestration.setup import setup

    with airflow_environment(settings):
        setup(settings)


def refresh_nothing_new(settings: Settings) -> dict[str, Any]:
    """``stiwatch refresh`` when everything is ingested and published: the DAG runs and their seconds."""
    from stiwatch.orchestration.refresh import refresh

    with airflow_environment(settings):
        runs = refresh(settings)
    return {"dag_runs": {run.dag_id: run.seconds for run in runs}}


def reset_delta(settings: Settings) -> None:
    """Undo the delta stage and the build (for ``--rerun-delta``): the delta's lake snapshot, the warehouse
    and its build record removed, so the next build is a first, full one over the base lake."""
    from stiwatch.build_plan import forget_build

    source = demo.openalex.SOURCE
    delta = settings.lake_dir / source / f"snapshot={demo.openalex.DELTA_SNAPSHOT_ID}"
    shutil.rmtree(delta, ignore_errors=True)
    settings.warehouse_path.unlink(missing_ok=True)
    forget_build(settings)
