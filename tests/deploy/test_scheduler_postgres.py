"""Run the compose file's Airflow configuration for real: LocalExecutor, PostgreSQL metadata DB,
api-server + scheduler + dag-processor + triggerer as separate processes (as the compose services are).

The ingest DAGs are unpaused and triggered with the CLI a data engineer would use; the transform DAG must
then run on its own, triggered by the lake Assets the ingest runs emit. Needs PostgreSQL on
127.0.0.1:5432 with trust auth for user postgres (.ci/start-postgres.sh); a fresh database per run.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import psycopg2
import pytest
from cryptography.fernet import Fernet

from stiwatch import airflow_env, demo
from stiwatch.config import PROJECT_ROOT

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
START_POSTGRES = PROJECT_ROOT / ".ci" / "start-postgres.sh"
INGEST_DAGS = ("stiwatch_ingest_wos", "stiwatch_ingest_openalex", "stiwatch_ingest_patstat")
PUBLICATION_SOURCES = ("wos", "openalex")
TRANSFORM_DAG = "stiwatch_transform"
DEMO_RECORDS = 150
RUNS_TIMEOUT_S = 360
BIN = Path(sys.executable).parent


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def _postgres_answers() -> bool:
    try:
        psycopg2.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except psycopg2.OperationalError:
        return False
    return True


@pytest.fixture
def metadata_db() -> Iterator[str]:
    """A fresh PostgreSQL database for Airflow's metadata, dropped afterwards."""
    if not _postgres_answers():
        proc = subprocess.run(["bash", str(START_POSTGRES)], capture_output=True, text=True, check=False)
        if proc.returncode != 0 or not _postgres_answers():
            _skip_or_fail(
                f"no PostgreSQL on 127.0.0.1:5432 and {START_POSTGRES} failed: {proc.stderr.strip()}"
            )
    name = f"stiwatch_airflow_test_{secrets.token_hex(4)}"
    admin = psycopg2.connect(PG_ADMIN_URL)
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE {name}")
        yield f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}"
        with admin.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        admin.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _airflow_env(tmp_path: Path, db_url: str, api_port: int) -> dict[str, str]:
    """The compose services' settings (docker-compose.yml, deploy/), with local paths and ports."""
    env = airflow_env.embedded_env()
    env.update(
        {
            "AIRFLOW_HOME": str(tmp_path / "airflow"),
            "STIWATCH_DATA_DIR": str(tmp_path / "data"),
            "STIWATCH_WAREHOUSE": str(tmp_path / "data" / "warehouse.duckdb"),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": db_url,
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": "4",
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
            # Shared by every process, as the entrypoint does from the secrets volume: the scheduler signs
            # task tokens that the api-server must accept.
            "AIRFLOW__CORE__FERNET_KEY": Fernet.generate_key().decode(),
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(64),
            "AIRFLOW__API__SECRET_KEY": secrets.token_urlsafe(32),
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
            "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "True",
            "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_PORT": str(_free_port()),
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "10",
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        }
    )
    (tmp_path / "airflow").mkdir()
    return env


def _airflow(env: dict[str, str], *args: str, timeout: int = 180) -> str:
    proc = subprocess.run(
        [str(BIN / "airflow"), *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert proc.returncode == 0, (
        f"`airflow {' '.join(args)}` failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    )
    return proc.stdout


class Components:
    """The long-running Airflow processes, each in its own process group so nothing outlives the test."""

    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env = env
        self.log_dir = log_dir
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, *args: str) -> None:
        with (self.log_dir / f"{name}.log").open("wb") as log:
            self.procs[name] = subprocess.Popen(
                [str(BIN / "airflow"), *args],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def assert_alive(self) -> None:
        for name, proc in self.procs.items():
            assert proc.poll() is None, f"airflow {name} exited ({proc.returncode}):\n{self.tail(name)}"

    def tail(self, name: str, lines: int = 40) -> str:
        path = self.log_dir / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        for proc in self.procs.values():
            try:
                proc.wait(timeout=max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _query(db_url: str, sql: str) -> list:  # type: ignore[type-arg]
    """Rows of a query on the metadata DB (cheaper to poll than an `airflow` CLI start-up)."""
    con = psycopg2.connect(db_url.replace("+psycopg2", ""))
    try:
        with con.cursor() as cur:
            cur.execute(sql)
            rows = cur.fetchall()
    finally:
        con.close()
    return [row[0] if len(row) == 1 else row for row in rows]


def _dag_runs(db_url: str) -> list[tuple[str, str, str, str]]:
    """(dag_id, run_id, run_type, state) of every DAG run."""
    return _query(db_url, "SELECT dag_id, run_id, run_type, state FROM dag_run ORDER BY id")


def _wait_for(condition, timeout_s: float, what: str, components: Components) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        components.assert_alive()
        if condition():
            return
        time.sleep(3)
    logs = "\n".join(f"--- {n}\n{components.tail(n)}" for n in components.procs)
    pytest.fail(f"timed out after {timeout_s:.0f}s waiting for {what}\n{logs}")


def test_scheduler_runs_the_refresh_against_postgres(tmp_path: Path, metadata_db: str) -> None:
    timings: dict[str, float] = {}
    t0 = time.monotonic()
    api_port = _free_port()
    env = _airflow_env(tmp_path, metadata_db, api_port)
    data_dir = Path(env["STIWATCH_DATA_DIR"])
    snapshots = demo.generate(data_dir / "landing", records=DEMO_RECORDS)

    # What the compose file's airflow-init service runs (`stiwatch setup`): migrate, folders, the pool.
    setup = subprocess.run(
        [
            sys.executable,
            "-c",
            "from stiwatch.config import Settings\n"
            "from stiwatch.orchestration.setup import setup\nsetup(Settings.from_env())",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert setup.returncode == 0, setup.stderr[-3000:]
    timings["setup (db migrate on PostgreSQL)"] = time.monotonic() - t0

    components = Components(env, tmp_path)
    try:
        components.start(
            "api-server", "api-server", "--host", "127.0.0.1", "--port", str(api_port), "--workers", "1"
        )
        components.start("scheduler", "scheduler")
        components.start("dag-processor", "dag-processor")
        components.start("triggerer", "triggerer")

        all_dags = {*INGEST_DAGS, TRANSFORM_DAG}

        def dags_parsed() -> bool:
            return all_dags <= set(_query(metadata_db, "SELECT dag_id FROM dag"))

        t1 = time.monotonic()
        _wait_for(dags_parsed, 180, f"the dag-processor to register {sorted(all_dags)}", components)
        timings["DAGs parsed"] = time.monotonic() - t1

        t2 = time.monotonic()
        for dag_id in sorted(all_dags):
            _airflow(env, "dags", "unpause", dag_id)
        for dag_id in INGEST_DAGS:
            _airflow(env, "dags", "trigger", dag_id, "--run-id", f"deploy_test_{dag_id}")

        def state_of(dag_id: str, run_id: str) -> str | None:
            return next((s for d, r, _, s in _dag_runs(metadata_db) if d == dag_id and r == run_id), None)

        def refresh_done() -> bool:
            runs = _dag_runs(metadata_db)
            failed = [r for r in runs if r[3] == "failed"]
            assert not failed, f"DAG runs failed: {failed}\n{components.tail('scheduler')}"
            ingested = all(state_of(d, f"deploy_test_{d}") == "success" for d in INGEST_DAGS)
            transformed = any(
                d == TRANSFORM_DAG and t == "asset_triggered" and s == "success" for d, _, t, s in runs
            )
            return ingested and transformed

        _wait_for(
            refresh_done, RUNS_TIMEOUT_S, "the ingest runs and the Asset-triggered transform run", components
        )
        timings["ingest + asset-triggered transform"] = time.monotonic() - t2
    finally:
        components.stop()
    print("timings (s):", {k: round(v, 1) for k, v in timings.items()})

    # Every demo snapshot reached the lake, with exactly the records the generator wrote (its contract:
    # DEMO_RECORDS unique records per source), and dbt built the marts from them.
    with duckdb.connect() as con:
        for snapshot in snapshots:
            lake = data_dir / "lake" / snapshot.source / f"snapshot={snapshot.path.name}"
            assert (lake / "_manifest.json").is_file(), (
                f"no manifest for {snapshot.source}/{snapshot.path.name}"
            )
            if snapshot.source not in PUBLICATION_SOURCES:
                continue
            (distinct,) = con.execute(
                f"SELECT count(DISTINCT record_id) FROM read_parquet('{lake}/publications/*.parquet')"
            ).fetchone()
            assert distinct == DEMO_RECORDS, f"{snapshot.source}: {distinct} distinct records in the lake"
    with duckdb.connect(env["STIWATCH_WAREHOUSE"], read_only=True) as wh:
        tables = {
            name for (name,) in wh.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
        for mart in ("fct_region_output", "fct_region_pair_output", "fct_copatent_output"):
            assert mart in tables, f"mart {mart} missing from the warehouse; tables: {sorted(tables)}"
            (rows,) = wh.execute(f"SELECT count(*) FROM {mart}").fetchone()
            assert rows > 0, f"mart {mart} is empty"
    # The transform run went on to publish the marts for BI and to build the figures report.
    current = data_dir / "serving" / "current"
    assert (current / "serving.duckdb").is_file(), f"no serving release at {current}"
    assert (data_dir / "reports" / "figures" / "index.html").is_file()
