"""Running dbt against the warehouse outside Airflow (tests, CLI debugging, docs generation).

Airflow runs the same project through Cosmos; both take the environment and ``--vars`` from here, so a
model is always built with the settings recorded in ``Settings.dbt_vars()``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from stiwatch.config import DBT_PROJECT_DIR, Settings


def duckdb_resources_env(settings: Settings) -> dict[str, str]:
    """The DuckDB memory limit and threads, as the variables profiles.yml reads into its ``settings:``."""
    return {
        "STIWATCH_DUCKDB_MEMORY_LIMIT": settings.duckdb_memory_limit,
        "STIWATCH_DUCKDB_THREADS": str(settings.duckdb_threads),
    }


def dbt_env(settings: Settings) -> dict[str, str]:
    """Environment for a dbt process: absolute warehouse path (Cosmos copies the project elsewhere) and the
    DuckDB resources."""
    return {
        **os.environ,
        "STIWATCH_DATA_DIR": str(settings.data_dir),
        "STIWATCH_WAREHOUSE": str(settings.warehouse_path),
        **duckdb_resources_env(settings),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "DO_NOT_TRACK": "1",
    }


def dbt_vars_arg(settings: Settings) -> str:
    return json.dumps(settings.dbt_vars(), sort_keys=True)


def dbt_executable() -> str:
    """The dbt of the running interpreter's environment (the project venv), not whatever is on PATH."""
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def run_dbt(settings: Settings, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``dbt <args>`` on the project with the settings' vars; raise with dbt's output on failure."""
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    command = [
        dbt_executable(),
        *args,
        "--project-dir", str(DBT_PROJECT_DIR),
        "--profiles-dir", str(DBT_PROJECT_DIR),
        "--vars", dbt_vars_arg(settings),
    ]  # fmt: skip
    result = subprocess.run(command, env=dbt_env(settings), capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        tail = result.stdout[-4000:]
        raise RuntimeError(f"dbt {' '.join(args)} failed (exit {result.returncode}):\n{tail}")
    return result
