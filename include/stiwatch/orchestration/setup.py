"""``stiwatch setup``: the data root folders, the Airflow metadata database and the warehouse pool.

Idempotent: ``airflow db migrate`` is a no-op on an up-to-date database and ``pools set`` upserts.
"""

from __future__ import annotations

import subprocess

from stiwatch import airflow_env
from stiwatch.config import SOURCES, Settings
from stiwatch.executables import venv_executable
from stiwatch.orchestration.pools import WAREHOUSE_POOL


def setup(settings: Settings) -> None:
    for folder in (*(settings.landing_dir / s for s in SOURCES), settings.lake_dir, settings.reports_dir):
        folder.mkdir(parents=True, exist_ok=True)
    env = airflow_env.embedded_env()
    airflow = venv_executable("airflow")
    for args in (
        ["db", "migrate"],
        ["pools", "set", WAREHOUSE_POOL, "1", "DuckDB allows one writer: every task writing the warehouse"],
    ):
        proc = subprocess.run([airflow, *args], env=env, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
            raise RuntimeError(
                f"`airflow {' '.join(args[:2])}` failed (AIRFLOW_HOME={env['AIRFLOW_HOME']}):\n{tail}"
            )
