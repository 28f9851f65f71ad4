"""Running dbt against the warehouse outside Airflow (tests, CLI debugging, docs generation).

Airflow runs the same project through Cosmos; both take the environment and ``--vars`` from here, so a
model is always built with the settings recorded in ``Settings.dbt_vars()``, and both start dbt through
``stiwatch-dbt`` (``stiwatch.dbt_child``): it dies with its parent and holds the warehouse writer lock.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess

from stiwatch.config import DBT_PROJECT_DIR, Settings
from stiwatch.dbt_child import LOCKED_EXIT
from stiwatch.executables import venv_executable
from stiwatch.lake_index import freeze_lake_index
from stiwatch.warehouse_lock import WarehouseLockedError

# The wrapper every dbt process starts through (stiwatch.dbt_child; a console script of the package).
DBT_EXECUTABLE = "stiwatch-dbt"


def duckdb_resources_env(settings: Settings) -> dict[str, str]:
    """The DuckDB memory limit and threads, as the variables profiles.yml reads into its ``settings:``."""
    return {
        "STIWATCH_DUCKDB_MEMORY_LIMIT": settings.duckdb_memory_limit,
        "STIWATCH_DUCKDB_THREADS": str(settings.duckdb_threads),
    }


def engine_env(settings: Settings) -> dict[str, str]:
    """The engine, as the variables profiles.yml reads: its target and, for Spark, where the tables and
    the catalog live. Derby (the local catalog) writes its log into its home: the data root too."""
    spark_home = shlex.quote(f"-Dderby.system.home={settings.spark_metastore_dir.parent}")
    return {
        "STIWATCH_ENGINE": settings.engine,
        "STIWATCH_SPARK_WAREHOUSE": str(settings.spark_warehouse_dir),
        "STIWATCH_SPARK_METASTORE": str(settings.spark_metastore_dir),
        "STIWATCH_SPARK_CORES": str(settings.spark_cores),
        "STIWATCH_SPARK_DRIVER_MEMORY": settings.spark_driver_memory,
        "PYSPARK_SUBMIT_ARGS": f"--driver-java-options {spark_home} pyspark-shell",
    }


def prepare_engine(settings: Settings, *, freeze_lake: bool = True) -> None:
    """What dbt needs on disk before it starts: the warehouse folder, the lake's manifests frozen into the
    index it reads (stiwatch.lake_index) unless a build plan froze them already (``freeze_lake=False``:
    the build must read what its plan saw), and, for Spark, the folders it lists before reading them
    (macros/lake: a glob that matches nothing is an error there)."""
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    if settings.engine == "spark":
        for folder in (settings.lake_dir, settings.quality_results_dir, settings.spark_warehouse_dir):
            folder.mkdir(parents=True, exist_ok=True)
    if freeze_lake:
        freeze_lake_index(settings)


def dbt_env(settings: Settings) -> dict[str, str]:
    """Environment for a dbt process: absolute warehouse path (Cosmos copies the project elsewhere), the
    DuckDB resources, and dbt's target/ and logs/ in ``Settings.dbt_state_dir``. An explicit
    ``--target-path`` / ``--log-path`` still wins."""
    return {
        **os.environ,
        "DBT_TARGET_PATH": str(settings.dbt_state_dir / "target"),
        "DBT_LOG_PATH": str(settings.dbt_state_dir / "logs"),
        "STIWATCH_DATA_DIR": str(settings.data_dir),
        "STIWATCH_WAREHOUSE": str(settings.warehouse_path),
        **engine_env(settings),
        **duckdb_resources_env(settings),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "DO_NOT_TRACK": "1",
    }


# A refresh builds and data-tests the warehouse; the unit tests check the SQL's logic on fixed inputs, not
# the data, so they run in CI (`make test`: the test suite's own `dbt build`s) and not on every refresh.
REFRESH_BUILD_FLAGS = ("--exclude-resource-type", "unit_test")


def dbt_vars_arg(settings: Settings) -> str:
    return json.dumps(settings.dbt_vars(), sort_keys=True)


def run_dbt(
    settings: Settings,
    *args: str,
    check: bool = True,
    full_refresh: bool = False,
    freeze_lake: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run ``dbt <args>`` on the project with the settings' vars; raise with dbt's output on failure.

    ``full_refresh`` adds ``--full-refresh`` (rebuild the incremental models from scratch);
    ``freeze_lake=False`` reads the deliveries a build plan froze (``prepare_engine``). Another writer
    holding the warehouse past ``Settings.warehouse_lock_wait`` raises ``WarehouseLockedError``.
    """
    prepare_engine(settings, freeze_lake=freeze_lake)
    command = [
        venv_executable(DBT_EXECUTABLE),
        *args,
        *(["--full-refresh"] if full_refresh else []),
        "--project-dir", str(DBT_PROJECT_DIR),
        "--profiles-dir", str(DBT_PROJECT_DIR),
        "--vars", dbt_vars_arg(settings),
    ]  # fmt: skip
    result = subprocess.run(command, env=dbt_env(settings), capture_output=True, text=True, check=False)
    if result.returncode == LOCKED_EXIT:
        raise WarehouseLockedError(result.stderr.strip().removeprefix("stiwatch-dbt: "))
    if check and result.returncode != 0:
        tail = result.stdout[-4000:]
        raise RuntimeError(f"dbt {' '.join(args)} failed (exit {result.returncode}):\n{tail}")
    return result


def build_warehouse(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    """``dbt build``, incremental unless ``stiwatch.build_plan`` asks for a full rebuild, without what the
    plan leaves out (``BuildPlan.exclude``); recorded on success.

    What the transform DAG does with its plan / dbt_build / record tasks, for callers outside Airflow;
    like it, without the unit tests (``REFRESH_BUILD_FLAGS``).
    """
    from stiwatch.build_plan import plan_frozen_build, record_build

    plan = plan_frozen_build(settings)
    exclude = ("--exclude", *plan.exclude) if plan.exclude else ()
    result = run_dbt(
        settings,
        "build",
        *REFRESH_BUILD_FLAGS,
        *exclude,
        *args,
        full_refresh=plan.full_refresh,
        freeze_lake=False,
    )
    record_build(settings)
    return result
