"""The one place that sets Airflow's environment for embedded runs (CLI, `make run`, tests).

Every value is a default: anything the user exported wins (``setdefault``), so a deployment can point
``AIRFLOW__DATABASE__SQL_ALCHEMY_CONN`` at PostgreSQL, or ``AIRFLOW_HOME`` elsewhere, without code changes.
The metadata database is deliberately *not* set here: Airflow's own default is SQLite in ``AIRFLOW_HOME``,
which is the embedded default we want.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from stiwatch.config import PROJECT_ROOT, Settings

DAGS_FOLDER = PROJECT_ROOT / "dags"
DEFAULT_AIRFLOW_HOME = PROJECT_ROOT / ".airflow"

# Nothing phones home: this machine (and many deployments) has no network beyond the package index.
_NO_TELEMETRY = {
    "DO_NOT_TRACK": "1",
    "SCARF_ANALYTICS": "false",
    "AIRFLOW__USAGE_DATA_COLLECTION__ENABLED": "False",
    "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
}


def embedded_env() -> dict[str, str]:
    """A copy of ``os.environ`` with the embedded Airflow and stiwatch defaults filled in."""
    env = dict(os.environ)
    home = Path(env.get("AIRFLOW_HOME") or DEFAULT_AIRFLOW_HOME).expanduser().resolve()
    env["AIRFLOW_HOME"] = str(home)
    env.setdefault("AIRFLOW__CORE__DAGS_FOLDER", str(DAGS_FOLDER))
    env.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
    for key, value in _NO_TELEMETRY.items():
        env.setdefault(key, value)
    # Task processes may start in any working directory: pin the data root and warehouse to absolute
    # paths so the DAG tasks, dbt (run from a temporary copy by Cosmos) and the CLI agree.
    settings = Settings.from_env()
    env["STIWATCH_DATA_DIR"] = str(settings.data_dir)
    env["STIWATCH_WAREHOUSE"] = str(settings.warehouse_path)
    # Airflow starts its components as `airflow ...` from PATH (standalone, the executors): put this
    # interpreter's environment first so they run from the project venv even when it is not activated.
    venv_bin = str(Path(sys.executable).parent)
    if env.get("PATH", "").split(os.pathsep)[0] != venv_bin:
        env["PATH"] = os.pathsep.join([venv_bin, env.get("PATH", "")])
    return env


def apply() -> dict[str, str]:
    """Fill the embedded defaults into this process's environment (before Airflow is imported)."""
    env = embedded_env()
    os.environ.update(env)
    return env
