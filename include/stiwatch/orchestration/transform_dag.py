"""The transform DAG: resolve institutions, build the warehouse with dbt, publish it for BI, report.

    resolve_institutions >> dbt_build >> quality_check >> publish_serving_release
        >> [build_figures_report, generate_dbt_docs]

Triggered by the lake Assets (any ingest DAG that published a snapshot). Why one Cosmos
``DbtBuildLocalOperator`` and not a rendered ``DbtDag``: Cosmos' per-model tasks cost one dbt process
(about 4 s) each, and ``ExecutionMode.WATCHER`` deadlocks under ``airflow dags test`` (its deferred
consumer sensors wait for a producer that never starts; measured with Cosmos 1.15.1). A single build keeps
the refresh fast, needs no ``dbt ls`` or manifest at parse time and parses fine before the warehouse
exists; per-model results are in the task log. BI never reads the file dbt writes: a failed build, a
critical data-quality failure or a failed publish leaves the previous serving release current.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import DAG, dag, get_current_context, task
from cosmos import ProfileConfig
from cosmos.constants import InvocationMode
from cosmos.operators.local import DbtBuildLocalOperator

from stiwatch.config import DBT_PROJECT_DIR, SOURCES, Settings
from stiwatch.orchestration import tasks
from stiwatch.orchestration.assets import lake_asset, serving_asset, warehouse_asset
from stiwatch.orchestration.pools import WAREHOUSE_POOL
from stiwatch.transform import dbt_executable, duckdb_resources_env

DEFAULT_ARGS = {
    "owner": "stiwatch",
    "retries": 2,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": True,
    "execution_timeout": timedelta(hours=1),
}

_RESOLVE_DOC = """
Resolves every distinct organisation string of the lake to an institution (curated aliases, then the
newest ROR dump landed under `landing/ror/`) and writes `lake/institutions/matches.parquet` for dbt.
Unresolved strings are kept as their own institution.
"""

_QUALITY_DOC = """
Great Expectations suites over the lake tables and the marts (`expectations/`), plus the completeness
findings of `dq_year_completeness`. Writes Data Docs and an analyst summary under `reports/quality/` and
appends the results to the warehouse table `dq_results` (hence the writer pool). A failed **critical**
expectation fails this task, so nothing is published and the previous release keeps serving; warnings
are logged and reported, and the run goes on. A critical failure is not retried (the data would fail the
same way again); retries are for transient errors such as a locked file.
"""


def _quality_check() -> dict[str, object]:
    return tasks.quality_check(get_current_context()["run_id"])


_PUBLISH_DOC = """
Copies every `fct_`/`dim_`/`dq_` table into a new read-only release under `serving/releases/<id>/`
(`serving.duckdb` + Parquet) and switches `serving/current` to it atomically. BI tools read only
`serving/current`; a failure before the switch leaves the previous release serving.
"""

_DOC = """
### Build the warehouse (dbt)

Runs `dbt build` (seeds, staging views, intermediate tables, contracted marts and their tests) over the
Parquet lake into `warehouse.duckdb`. Triggered when any ingest DAG publishes a snapshot
(`stiwatch://lake/wos` or `stiwatch://lake/openalex`). Holds the one-slot `duckdb_writer` pool: dbt is the
only writer of the warehouse. Counting settings come from `STIWATCH_*` variables as dbt `--vars`.
"""


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
        institutions = task(task_id="resolve_institutions", doc_md=_RESOLVE_DOC)(tasks.resolve_institutions)()
        dbt_build = DbtBuildLocalOperator(
            task_id="dbt_build",
            project_dir=DBT_PROJECT_DIR,
            profile_config=ProfileConfig(
                profile_name="stiwatch",
                target_name="dev",
                profiles_yml_filepath=DBT_PROJECT_DIR / "profiles.yml",
            ),
            dbt_executable_path=dbt_executable(),
            install_deps=False,
            # Cosmos would pick the in-process dbt runner when dbt is importable; that process keeps the
            # warehouse attached, so a later task in the same process (dags test, a worker reusing it)
            # cannot open it read-only (STACK.md trap 8). A subprocess releases the file when it exits.
            invocation_mode=InvocationMode.SUBPROCESS,
            # Cosmos runs dbt from a temporary copy of the project: every path must be absolute.
            env={
                "STIWATCH_WAREHOUSE": str(settings.warehouse_path),
                "STIWATCH_DATA_DIR": str(settings.data_dir),
                **duckdb_resources_env(settings),
            },
            append_env=True,
            vars=settings.dbt_vars(),
            pool=WAREHOUSE_POOL,
            outlets=[warehouse_asset()],
        )
        # Publishing and dbt docs read the warehouse: they hold the writer pool so no build overlaps.
        release = task(
            task_id="publish_serving_release",
            pool=WAREHOUSE_POOL,
            outlets=[serving_asset()],
            doc_md=_PUBLISH_DOC,
        )(tasks.publish_release)()
        quality = task(task_id="quality_check", pool=WAREHOUSE_POOL, doc_md=_QUALITY_DOC)(_quality_check)()
        institutions >> dbt_build >> quality >> release
        task(task_id="build_figures_report")(tasks.build_figures_report)(release)
        release >> task(task_id="generate_dbt_docs", pool=WAREHOUSE_POOL)(tasks.generate_dbt_docs)()

    return transform()
