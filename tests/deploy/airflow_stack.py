"""The compose file's Airflow stack run as local processes, for the deploy tests.

One place for what the LocalExecutor and CeleryExecutor tests share: the metadata database on the local
PostgreSQL, the settings the compose services get (docker-compose.yml, deploy/), the long-running
components (each in its own process group, stopped by pid), and the refresh they must complete: the
ingest DAGs triggered with the CLI, then the transform DAG triggered by the lake Assets on its own.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import psycopg2
import pytest
from cryptography.fernet import Fernet

from machine_tools import skip_or_fail
from stiwatch import airflow_env, demo
from stiwatch.config import PROJECT_ROOT

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
START_POSTGRES = PROJECT_ROOT / ".ci" / "start-postgres.sh"
INGEST_DAGS = ("stiwatch_ingest_wos", "stiwatch_ingest_openalex", "stiwatch_ingest_patstat")
PUBLICATION_SOURCES = ("wos", "openalex")
TRANSFORM_DAG = "stiwatch_transform"
MARTS = ("fct_region_output", "fct_region_pair_output", "fct_copatent_output")
BIN = Path(sys.executable).parent
# How long the ingest runs and the transform run may take: about 3 min on a quiet machine, 6-8 min when
# other jobs load the 2 cores (load average 15: dbt build and quality check take minutes each).
RUNS_TIMEOUT_S = 720


def ensure_service(answers: Callable[[], bool], start_script: Path, what: str) -> None:
    """Run the .ci start script when the service does not answer; skip (or fail in CI) if it still doesn't."""
    if answers():
        return
    proc = subprocess.run(["bash", str(start_script)], capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not answers():
        skip_or_fail(f"no {what} and {start_script} failed: {proc.stderr.strip()}")


def _postgres_answers() -> bool:
    try:
        psycopg2.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except psycopg2.OperationalError:
        return False
    return True


def fresh_metadata_db() -> Iterator[str]:
    """A fresh PostgreSQL database for Airflow's metadata (SQLAlchemy URL), dropped afterwards."""
    ensure_service(_postgres_answers, START_POSTGRES, "PostgreSQL on 127.0.0.1:5432")
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stack_env(tmp_path: Path, db_url: str, api_port: int, executor: str) -> dict[str, str]:
    """The compose services' settings (docker-compose.yml, deploy/), with local paths and ports."""
    # The UI/REST users' passwords, written before the api-server starts as the entrypoint's
    # init-secrets does (the api-server keeps the entries it finds).
    passwords_file = tmp_path / "simple_auth_manager_passwords.json"
    passwords_file.write_text(json.dumps({"admin": secrets.token_urlsafe(18)}))
    env = airflow_env.embedded_env()
    env.update(
        {
            "AIRFLOW_HOME": str(tmp_path / "airflow"),
            "STIWATCH_DATA_DIR": str(tmp_path / "data"),
            "STIWATCH_WAREHOUSE": str(tmp_path / "data" / "warehouse.duckdb"),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": db_url,
            "AIRFLOW__CORE__EXECUTOR": executor,
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
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords_file),
            "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "True",
            "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_PORT": str(free_port()),
            # Other runs of these tests may share the machine: no fixed port of any component.
            "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(free_port()),
            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "10",
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        }
    )
    (tmp_path / "airflow").mkdir()
    return env


class RestApi:
    """Airflow's REST API on the test's api-server, as the admin user (JWT from ``/auth/token``): a call
    takes milliseconds, where each `airflow` CLI start-up takes seconds."""

    def __init__(self, env: dict[str, str]) -> None:
        self.base = env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"].removesuffix("/execution/")
        passwords = json.loads(Path(env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"]).read_text())
        self.credentials = {"username": "admin", "password": passwords["admin"]}
        self.token: str | None = None

    def _send(self, method: str, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
        request = urllib.request.Request(
            self.base + path,
            data=json.dumps(body).encode(),
            method=method,
            headers={"Content-Type": "application/json", **headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            pytest.fail(f"{method} {path} answered {exc.code}: {exc.read().decode(errors='replace')[:2000]}")

    def answers(self) -> bool:
        """True once the api-server issues the admin's token (it starts slower than the other components)."""
        try:
            self.token = self._send("POST", "/auth/token", self.credentials, {})["access_token"]
        except OSError:  # refused, reset or timed out (URLError is one) while it starts
            return False
        return True

    def call(self, method: str, path: str, body: dict[str, Any]) -> Any:
        assert self.token, "call answers() first"
        return self._send(method, path, body, {"Authorization": f"Bearer {self.token}"})


def land_demo_and_set_up(env: dict[str, str], records: int) -> list[demo.DemoSnapshot]:
    """Demo snapshots in the landing zone, then what the compose airflow-init service runs (`stiwatch
    setup`: migrate the metadata DB, the data folders, the warehouse pool)."""
    snapshots = demo.generate(Path(env["STIWATCH_DATA_DIR"]) / "landing", records=records)
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
    return snapshots


class Components:
    """The long-running Airflow processes, each in its own process group so nothing outlives the test."""

    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env = env
        self.log_dir = log_dir
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, *args: str, env: dict[str, str] | None = None) -> None:
        """``airflow <args>`` as component ``name``; ``env`` adds to (or overrides) the shared settings."""
        with (self.log_dir / f"{name}.log").open("wb") as log:
            self.procs[name] = subprocess.Popen(
                [str(BIN / "airflow"), *args],
                env={**self.env, **(env or {})},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def start_scheduling(self, api_port: int) -> None:
        """The compose file's scheduling services: api-server, scheduler, dag-processor, triggerer."""
        self.start(
            "api-server", "api-server", "--host", "127.0.0.1", "--port", str(api_port), "--workers", "1"
        )
        self.start("scheduler", "scheduler")
        self.start("dag-processor", "dag-processor")
        self.start("triggerer", "triggerer")

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


def query(db_url: str, sql: str, params: Sequence[Any] = ()) -> list:  # type: ignore[type-arg]
    """Rows of a query on the metadata DB (cheaper to poll than an `airflow` CLI start-up)."""
    con = psycopg2.connect(db_url.replace("+psycopg2", ""))
    try:
        with con.cursor() as cur:
            cur.execute(sql, params)
            rows = cur.fetchall()
    finally:
        con.close()
    return [row[0] if len(row) == 1 else row for row in rows]


def dag_runs(db_url: str) -> list[tuple[str, str, str, str]]:
    """(dag_id, run_id, run_type, state) of every DAG run."""
    return query(db_url, "SELECT dag_id, run_id, run_type, state FROM dag_run ORDER BY id")


def wait_for(condition: Callable[[], bool], timeout_s: float, what: str, components: Components) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        components.assert_alive()
        if condition():
            return
        time.sleep(2)
    logs = "\n".join(f"--- {n}\n{components.tail(n)}" for n in components.procs)
    pytest.fail(f"timed out after {timeout_s:.0f}s waiting for {what}\n{logs}")


def ingest_run_id(dag_id: str) -> str:
    return f"deploy_test_{dag_id}"


def run_refresh(env: dict[str, str], db_url: str, components: Components) -> dict[str, float]:
    """Wait for the DAGs to be parsed, unpause them and trigger every ingest DAG through the REST API, then
    wait for the ingest runs and the Asset-triggered transform run to succeed. Returns phase seconds."""
    timings: dict[str, float] = {}
    all_dags = {*INGEST_DAGS, TRANSFORM_DAG}

    def dags_parsed() -> bool:
        return all_dags <= set(query(db_url, "SELECT dag_id FROM dag"))

    t0 = time.monotonic()
    wait_for(dags_parsed, 180, f"the dag-processor to register {sorted(all_dags)}", components)
    timings["DAGs parsed"] = time.monotonic() - t0

    t1 = time.monotonic()
    api = RestApi(env)
    wait_for(api.answers, 120, "the api-server to issue a token", components)
    for dag_id in sorted(all_dags):
        api.call("PATCH", f"/api/v2/dags/{dag_id}", {"is_paused": False})
    for dag_id in INGEST_DAGS:
        api.call(
            "POST",
            f"/api/v2/dags/{dag_id}/dagRuns",
            {"dag_run_id": ingest_run_id(dag_id), "logical_date": None},
        )

    def refresh_done() -> bool:
        runs = dag_runs(db_url)
        failed = [r for r in runs if r[3] == "failed"]
        assert not failed, f"DAG runs failed: {failed}\n{components.tail('scheduler')}"
        states = {(d, r): s for d, r, _, s in runs}
        ingested = all(states.get((d, ingest_run_id(d))) == "success" for d in INGEST_DAGS)
        transformed = any(
            d == TRANSFORM_DAG and t == "asset_triggered" and s == "success" for d, _, t, s in runs
        )
        return ingested and transformed

    wait_for(
        refresh_done, RUNS_TIMEOUT_S, "the ingest runs and the Asset-triggered transform run", components
    )
    timings["ingest + asset-triggered transform"] = time.monotonic() - t1
    return timings


def assert_refresh_published(env: dict[str, str], snapshots: list[demo.DemoSnapshot], records: int) -> None:
    """Every demo snapshot reached the lake with exactly the records the generator wrote (its contract:
    ``records`` unique records per source), dbt built the marts, the release and the report were published."""
    data_dir = Path(env["STIWATCH_DATA_DIR"])
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
            assert distinct == records, f"{snapshot.source}: {distinct} distinct records in the lake"
    with duckdb.connect(env["STIWATCH_WAREHOUSE"], read_only=True) as wh:
        tables = {
            name for (name,) in wh.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
        for mart in MARTS:
            assert mart in tables, f"mart {mart} missing from the warehouse; tables: {sorted(tables)}"
            (rows,) = wh.execute(f"SELECT count(*) FROM {mart}").fetchone()
            assert rows > 0, f"mart {mart} is empty"
    # The transform run went on to publish the marts for BI and to build the figures report.
    current = data_dir / "serving" / "current"
    assert (current / "serving.duckdb").is_file(), f"no serving release at {current}"
    assert (data_dir / "reports" / "figures" / "index.html").is_file()
