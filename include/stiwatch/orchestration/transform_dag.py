"""The transform DAG: one ``dbt build`` (seeds, models, tests) of the warehouse, triggered by lake Assets.

Why one Cosmos ``DbtBuildLocalOperator`` and not a rendered ``DbtDag``: Cosmos' per-model tasks cost one dbt
process (about 4 s) each, and ``ExecutionMode.WATCHER`` deadlocks under ``airflow dags test`` (its
deferred consumer sensors wait for a producer that never starts; measured with Cosmos 1.15.1). A single
build keeps the refresh fast, needs no ``dbt ls`` or manifest at parse time and parses fine before the
warehouse exists; per-model results are in the task log and in ``dbt/target/run_results.json``.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

from airflow.sdk import DAG, dag
from cosmos import ProfileConfig
from cosmos.operators.local import DbtBuildLocalOperator

from stiwatch.config import DBT_PROJECT_DIR, SOURCES, Settings
from stiwatch.orchestration.assets import lake_asset
from stiwatch.orchestration.pools import WAREHOUSE_POOL

DEFAULT_ARGS = {
    "owner": "stiwatch",
    "retries": 2,
    "retry_delay": timedelta(minutes=1),
    "execution_timeout": timedelta(hours=1),
}

_DOC = """
### Build the warehouse (dbt)

Runs `dbt build` (seeds, staging views, intermediate tables, contracted marts and their tests) over the
Parquet lake into `warehouse.duckdb`. Triggered when any ingest DAG publishes a snapshot
(`stiwatch://lake/wos` or `stiwatch://lake/openalex`). Holds the one-slot `duckdb_writer` pool: dbt is the
only writer of the warehouse. Counting settings come from `STIWATCH_*` variables as dbt `--vars`.
"""


def _dbt_executable() -> str:
    beside_python = Path(sys.executable).parent / "dbt"
    return str(beside_python) if beside_python.exists() else "dbt"


def build_transform_dag() -> DAG:
    settings = Settings.from_env()
    schedule = lake_asset(SOURCES[0])
    for source in SOURCES[1:]:
        schedule = schedule | lake_asset(source)

    @dag(
        dag_id="stiwatch_transform",
        schedule=schedule,
        catchup=False,
        max_active_runs=1,
        default_args=DEFAULT_ARGS,
        tags=["stiwatch", "dbt", "warehouse"],
        doc_md=_DOC,
    )
    def transform() -> None:
        DbtBuildLocalOperator(
            task_id="dbt_build",
            project_dir=DBT_PROJECT_DIR,
            profile_config=ProfileConfig(
                profile_name="stiwatch",
                target_name="dev",
                profiles_yml_filepath=DBT_PROJECT_DIR / "profiles.yml",
            ),
            dbt_executable_path=_dbt_executable(),
            install_deps=False,
            # Cosmos runs dbt from a temporary copy of the project: every path must be absolute.
            env={
                "STIWATCH_WAREHOUSE": str(settings.warehouse_path),
                "STIWATCH_DATA_DIR": str(settings.data_dir),
            },
            append_env=True,
            vars=settings.dbt_vars(),
            pool=WAREHOUSE_POOL,
        )

    return transform()
