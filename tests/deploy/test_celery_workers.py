"""Run the compose file's `celery` profile for real: CeleryExecutor with a Redis broker, PostgreSQL
metadata DB (and Celery result backend), api-server + scheduler + dag-processor + triggerer and two Celery
workers, each a separate process with its own name, as the compose services are.

The ingest DAGs are triggered through the REST API; the demo snapshots are split into several mapped
ingest tasks (a small `STIWATCH_INGEST_TASK_BYTES`), which must run on both workers, never more than
`STIWATCH_INGEST_PARALLELISM` of one run at once; the Asset-triggered transform must then succeed and
publish. Needs PostgreSQL (.ci/start-postgres.sh) and Redis on 127.0.0.1:6379 (.ci/start-redis.sh).
"""

from __future__ import annotations

import re
import secrets
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import redis

from stiwatch.config import PROJECT_ROOT

from .airflow_stack import (
    INGEST_DAGS,
    Components,
    assert_refresh_published,
    ensure_service,
    free_port,
    land_demo_and_set_up,
    query,
    run_refresh,
    stack_env,
    wait_for,
)
from .celery_worker_hostname import WORKER_NAME_VARIABLE

pytestmark = [pytest.mark.airflow, pytest.mark.slow, pytest.mark.celery]

# A Redis database of its own, so the test never touches what else uses the local Redis (db 0); each run
# also gets its own queue and worker names, so runs sharing the machine never take each other's tasks.
REDIS_URL = "redis://127.0.0.1:6379/11"
START_REDIS = PROJECT_ROOT / ".ci" / "start-redis.sh"
WORKERS = ("worker-a", "worker-b")
WORKER_CONCURRENCY = 2
DEMO_RECORDS = 60
# With 6 kB per task the demo's snapshots (60 records per source) split into 3 (WoS: 3 files of 5-23 kB),
# 5 (OpenAlex: 4 works parts of 5.6-6.4 kB, the merged ids) and 4 (PATSTAT: 13 zip parts, 16 kB in all)
# mapped ingest tasks: more than INGEST_PARALLELISM per run, and more than one worker's slots when the
# three runs overlap.
INGEST_TASK_BYTES = 6_000
INGEST_PARALLELISM = 2


def _redis_answers() -> bool:
    try:
        with redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3) as client:
            return bool(client.ping())
    except redis.RedisError:
        return False


@pytest.fixture
def celery_queue() -> Iterator[str]:
    """A Celery queue name of this run; its keys are removed from the broker afterwards."""
    ensure_service(_redis_answers, START_REDIS, "Redis on 127.0.0.1:6379")
    name = f"stiwatch_test_{secrets.token_hex(4)}"
    yield name
    broker = redis.Redis.from_url(REDIS_URL)
    try:
        # The queue and kombu's bindings of it (`_kombu.binding*.<queue>`).
        keys = list(broker.scan_iter(match=f"*{name}*"))
        if keys:
            broker.delete(*keys)
    finally:
        broker.close()


def _max_overlap(intervals: list[tuple[datetime, datetime]]) -> int:
    """Most intervals open at one instant (an end at the same instant as a start does not overlap)."""
    events = sorted([(start, 1) for start, _ in intervals] + [(end, -1) for _, end in intervals])
    most = current = 0
    for _, step in events:
        current += step
        most = max(most, current)
    return most


def test_celery_workers_share_the_ingest_and_the_transform_runs(
    tmp_path: Path, metadata_db: str, celery_queue: str
) -> None:
    t0 = time.monotonic()
    api_port = free_port()
    env = stack_env(tmp_path, metadata_db, api_port, "CeleryExecutor")
    env.update(
        {
            # The compose environment's broker, here the local Redis; no AIRFLOW__CELERY__RESULT_BACKEND,
            # as in compose: the provider derives it from the metadata DB URL (db+postgresql+psycopg2).
            "AIRFLOW__CELERY__BROKER_URL": REDIS_URL,
            "AIRFLOW__CELERY__WORKER_CONCURRENCY": str(WORKER_CONCURRENCY),
            "AIRFLOW__CELERY_BROKER_TRANSPORT_OPTIONS__VISIBILITY_TIMEOUT": "21600",
            "AIRFLOW__OPERATORS__DEFAULT_QUEUE": celery_queue,
            "STIWATCH_INGEST_TASK_BYTES": str(INGEST_TASK_BYTES),
            "STIWATCH_INGEST_PARALLELISM": str(INGEST_PARALLELISM),
        }
    )
    snapshots = land_demo_and_set_up(env, DEMO_RECORDS)
    timings = {"demo + setup (db migrate on PostgreSQL)": time.monotonic() - t0}

    # Worker identities unique to this run: Celery node names (two workers on one machine need distinct
    # ones: `--celery-hostname`) and the hostname Airflow records for their task instances.
    token = celery_queue.rsplit("_", 1)[-1]
    identities = {name: f"{name}-{token}" for name in WORKERS}
    hostname_module_dir = Path(__file__).resolve().parent
    components = Components(env, tmp_path)
    try:
        components.start_scheduling(api_port)
        for name, identity in identities.items():
            components.start(
                name,
                *("celery", "worker", "--celery-hostname", f"{identity}@%h"),
                env={
                    WORKER_NAME_VARIABLE: identity,
                    "AIRFLOW__CORE__HOSTNAME_CALLABLE": "celery_worker_hostname.from_env",
                    "PYTHONPATH": str(hostname_module_dir),
                    "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
                },
            )

        def workers_ready() -> bool:
            return all(
                re.search(rf"{re.escape(identity)}@\S+ ready", components.tail(name, lines=400))
                for name, identity in identities.items()
            )

        wait_for(workers_ready, 180, f"the Celery workers {sorted(identities.values())}", components)
        timings["workers ready"] = time.monotonic() - t0
        timings.update(run_refresh(env, metadata_db, components))
    finally:
        components.stop()
    print("timings (s):", {k: round(v, 1) for k, v in timings.items()})

    # Where and when each mapped ingest task ran, as Airflow recorded it. Of any run: the snapshot is
    # ingested by whichever run of the DAG comes first, the triggered one or, when the test crosses the
    # hour, the @hourly one; the other finds nothing pending and skips (one unexpanded task, map_index -1).
    mapped = query(
        metadata_db,
        "SELECT dag_id, run_id, state, hostname, start_date, end_date FROM task_instance "
        "WHERE task_id = 'ingest_files' AND map_index >= 0 ORDER BY dag_id, run_id, map_index",
    )
    assert {row[2] for row in mapped} == {"success"}, mapped
    for dag_id in INGEST_DAGS:
        per_run: dict[str, list[tuple[datetime, datetime]]] = {}
        for d, run_id, _, _, start, end in mapped:
            if d == dag_id:
                per_run.setdefault(run_id, []).append((start, end))
        assert len(per_run) == 1, f"{dag_id}: mapped ingest tasks in runs {sorted(per_run)}, expected one"
        (tasks,) = per_run.values()
        assert len(tasks) > INGEST_PARALLELISM, (
            f"{dag_id}: {len(tasks)} mapped ingest tasks, expected a split"
        )
        assert _max_overlap(tasks) <= INGEST_PARALLELISM, f"{dag_id}: more than {INGEST_PARALLELISM} at once"
    print("mapped ingest tasks per worker:", dict(Counter(row[3] for row in mapped)))
    assert {row[3] for row in mapped} == set(identities.values()), (
        f"mapped ingest tasks ran on {sorted({row[3] for row in mapped})}, not on both workers"
    )
    # Every task that succeeded (ingest, transform, publish, report) ran on a worker, none elsewhere.
    ran_on = set(query(metadata_db, "SELECT DISTINCT hostname FROM task_instance WHERE state = 'success'"))
    assert ran_on == set(identities.values()), ran_on

    assert_refresh_published(env, snapshots, DEMO_RECORDS)
