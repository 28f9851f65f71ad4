"""Faults through ``stiwatch refresh`` (Airflow): one module, one data root, four refreshes in a row.

1. a clean refresh publishes a serving release;
2. a bad WoS delivery and a badly named folder land: the refresh fails, naming the failed task, the error in
   words (file and record) and the log; the other ingest DAGs still run; the release keeps serving;
3. the bad delivery is removed and the lake touched, so the transform runs: the refresh is killed with
   SIGKILL (its whole process group) at a random point once dbt runs: no dbt writer outlives it, the
   warehouse lock is free, the release keeps serving;
4. the next refresh succeeds;
5. the WoS ingest DAG alone, with a good and a bad snapshot: the good one is published, the bad one not.
"""

from __future__ import annotations

import fcntl
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import duckdb
import pytest

from stiwatch import airflow_env
from stiwatch.orchestration.refresh import run_dags
from stiwatch.warehouse_lock import lock_path

from .conftest import tagged_export

pytestmark = [pytest.mark.slow, pytest.mark.airflow]

STIWATCH = str(Path(sys.executable).with_name("stiwatch"))


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([STIWATCH, *args], env=env, capture_output=True, text=True, timeout=1200)


def _lock_frees_within(lock_file: Path, seconds: float) -> bool:
    """True once no process holds the writer lock. A killed process leaves /proc's environ (so
    _processes_of) when its memory is torn down, a moment before its files (and the lock) are closed."""
    deadline = time.monotonic() + seconds
    with lock_file.open("a") as lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return False
                time.sleep(0.2)
                continue
            fcntl.flock(lock, fcntl.LOCK_UN)
            return True


def _processes_of(data_dir: Path) -> list[tuple[int, str]]:
    """(pid, command) of every live process started with this data root in its environment."""
    found = []
    needle = f"STIWATCH_DATA_DIR={data_dir}".encode()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            environ = (proc / "environ").read_bytes()
            stat = (proc / "stat").read_text()
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if needle in environ.split(b"\0") and stat.split(") ", 1)[1].split()[0] != "Z":
            found.append((int(proc.name), command))
    return found


def _serving(data: Path) -> tuple[Path, int]:
    current = (data / "serving" / "current").resolve()
    with duckdb.connect(str(current / "serving.duckdb"), read_only=True) as con:
        rows = con.execute("select count(*) from fct_region_output").fetchone()[0]
    return current, rows


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("refresh-faults")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "STIWATCH_"))}
    env.update({"STIWATCH_DATA_DIR": str(root / "data"), "AIRFLOW_HOME": str(root / "airflow")})
    for args in (("setup",), ("demo", "--records", "60", "--seed", "3")):
        assert _run(env, *args).returncode == 0
    return env


def test_refresh_faults_in_sequence(env: dict[str, str]) -> None:
    data = Path(env["STIWATCH_DATA_DIR"])
    landing = data / "landing"
    first = _run(env, "refresh")
    assert first.returncode == 0, first.stderr[-3000:]
    release, rows = _serving(data)
    assert rows > 0

    # 2. A bad delivery: the refresh says why, in one place; other sources go on; serving stays.
    full = tagged_export(3, first_ut=900)
    bad = landing / "wos" / "2030-01-01_bad"
    bad.mkdir(parents=True)
    (bad / "savedrecs.txt").write_text(full[: full.index("ER\n") + 3], encoding="utf-8")
    misnamed = landing / "wos" / "2030 01 02 misnamed"
    misnamed.mkdir()
    (misnamed / "a.txt").write_text(full, encoding="utf-8")

    failed = _run(env, "refresh")
    assert failed.returncode == 1
    err = failed.stderr
    assert "Traceback" not in err
    assert "DAG stiwatch_ingest_wos failed at task " in err
    assert f"{bad / 'savedrecs.txt'}: no 'EF' line at the end: the file is truncated after record 1" in err
    assert "2030 01 02 misnamed" in err and "rename it" in err
    assert "full log: " in err and Path(err.split("full log: ")[1].split()[0]).is_file()
    # The DAGs after the failed one still ran (the runner no longer stops at the first failure).
    assert "stiwatch_ingest_openalex" in err.split("DAG runs that succeeded: ")[1]
    assert not (data / "lake" / "wos" / "snapshot=2030-01-01_bad" / "_manifest.json").exists()
    assert _serving(data) == (release, rows)  # nothing new was published: the release keeps serving

    # 3. Kill the refresh (its whole process group) once dbt writes the warehouse.
    for folder in (bad, misnamed):
        for file in folder.iterdir():
            file.unlink()
        folder.rmdir()
    release, rows = _serving(data)
    os.utime(next((data / "lake" / "wos").glob("snapshot=*/_manifest.json")))  # the transform must run
    refresh = subprocess.Popen(
        [STIWATCH, "refresh"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 600
    while not any("dbt" in command and "build" in command for _, command in _processes_of(data)):
        assert refresh.poll() is None, "the refresh ended before dbt started"
        assert time.monotonic() < deadline, "dbt never started"
        time.sleep(0.2)
    time.sleep(random.Random(14).uniform(0.5, 4.0))  # a random point of the build
    os.killpg(refresh.pid, signal.SIGKILL)
    refresh.wait()
    deadline = time.monotonic() + 15
    while _processes_of(data) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_of(data) == [], "a process of the killed refresh (a dbt writer?) is still running"
    assert _lock_frees_within(lock_path(data / "warehouse.duckdb"), 15), "the killed refresh holds the lock"
    assert _serving(data) == (release, rows)  # BI still reads the last release, whole

    # 4. The next refresh recovers.
    last = _run(env, "refresh")
    assert last.returncode == 0, last.stderr[-3000:]
    assert _serving(data)[1] > 0

    # 5. Within one ingest DAG run, a failed file fails only its own snapshot (finalize and publish are
    # all_done): run the WoS ingest DAG alone, so no transform is needed to see it.
    good = landing / "wos" / "2030-02-01_good"
    good.mkdir()
    (good / "a.txt").write_text(tagged_export(2, first_ut=950), encoding="utf-8")
    bad.mkdir()
    (bad / "savedrecs.txt").write_text(full[: full.index("ER\n") + 3], encoding="utf-8")
    with mock.patch.dict(os.environ, env, clear=True):
        embedded = airflow_env.embedded_env()
    results, failures = run_dags(("stiwatch_ingest_wos",), embedded, data.parent / "isolation.log")
    assert results == [] and [f.dag_id for f in failures] == ["stiwatch_ingest_wos"]
    assert "truncated after record 1" in failures[0].describe()
    assert (data / "lake" / "wos" / "snapshot=2030-02-01_good" / "_manifest.json").is_file()
    assert not (data / "lake" / "wos" / "snapshot=2030-01-01_bad" / "_manifest.json").exists()
