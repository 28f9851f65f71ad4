"""The transform DAG: resolve institutions, build the warehouse with dbt, publish it for BI, report.

    resolve_institutions >> plan_dbt_build >> dbt_build >> record_dbt_build >> quality_check
        >> dbt_build_dq_results >> publish_serving_release >> [build_figures_report, generate_dbt_docs]

Triggered by the lake Assets (any ingest DAG that published a snapshot). Why one Cosmos
``DbtBuildLocalOperator`` and not a rendered ``DbtDag``: Cosmos' per-model tasks cost one dbt process
(about 4 s) each, and ``ExecutionMode.WATCHER`` deadlocks under ``airflow dags test`` (its deferred
consumer sensors wait for a producer that never starts; measured with Cosmos 1.15.1). A single build keeps
the refresh fast, needs no ``dbt ls`` or manifest at parse time and parses fine before the warehouse
exists; per-model results are in the task log. BI never reads the file dbt writes: a failed build, a
critical data-quality failure or a failed publish leaves the previous serving release current.

dbt is the only writer of the warehouse: the dbt tasks (``dbt_build``, ``dbt_build_dq_results``,
``generate_dbt_docs``) hold the one-slot ``duckdb_writer`` pool; the others only read it (read-only) and
never overlap a dbt task of the same run (they are ordered, and ``max_active_runs=1``).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from airflow.sdk import DAG, Context, dag, get_current_context, task
from cosmos import ProfileConfig
from cosmos.constants import InvocationMode
from cosmos.operators.local import DbtBuildLocalOperator

from stiwatch.config import DBT_PROJECT_DIR, DQ_RESULTS_SELECTION, SOURCES, Settings
from stiwatch.dbt_runner import (
    DBT_EXECUTABLE,
    REFRESH_BUILD_FLAGS,
    duckdb_resources_env,
    engine_env,
    prepare_engine,
)
from stiwatch.executables import venv_executable
from stiwatch.lake_index import check_lake_index
from stiwatch.orchestration import tasks
from stiwatch.orchestration.assets import lake_asset, serving_asset, warehouse_asset
from stiwatch.orchestration.failures import record_failure
from stiwatch.orchestration.pools import WAREHOUSE_POOL

log = logging.getLogger(__name__)

DEFAULT_ARGS = {
    "owner": "stiwatch",
    "retries": 2,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": True,
    "execution_timeout": timedelta(hours=1),
    "on_failure_callback": record_failure,  # the refresh names the first failed task and its error
}

_RESOLVE_DOC = """
Resolves every distinct organisation string of the lake to an institution (curated aliases, then the
newest ROR dump landed under `landing/ror/`) and writes `lake/institutions/matches.parquet` for dbt.
Unresolved strings are kept as their own institution. Then the watch list's inputs: the organisation
hierarchy of the ROR dump (`lake/institutions/hierarchy.parquet`) and the entries of every indicator list
landed under `landing/indicators/`, resolved to institutions (`lake/indicators/entries.parquet`).
"""

_QUALITY_DOC = """
Great Expectations suites over the lake tables and the marts (`expectations/`), plus the completeness
findings of `dq_year_completeness`. Writes Data Docs and an analyst summary under `reports/quality/` and
the run's findings to `quality/results/<run>-<hash>.parquet`; it only reads the warehouse, so it
needs no writer pool (`dbt_build_dq_results` brings the findings into `dq_results`). A failed **critical**
expectation fails this task, so nothing is published and the previous release keeps serving; warnings
are logged and reported, and the run goes on. A critical failure is not retried (the data would fail the
same way again); retries are for transient errors such as a locked file. A delivery held back by the
plausibility gate and quarantined records are already out of the marts (dbt): they are reported (summary
page first, as warnings here), and the other sources publish.
"""


_DQ_RESULTS_DOC = """
`dbt build --select +dq_results`: rebuilds the mart `dq_results` from every quality run's Parquet file,
so the release published next holds the findings of the run that let it through. Runs after
`quality_check` whatever its outcome (`all_done`): a run that failed the gate is recorded too; publishing
still waits for the gate to pass.
"""


_PLAN_DOC = """
Freezes the lake's manifests into the index dbt reads (`lake_index/manifests.jsonl` under the data folder,
`stiwatch.lake_index`): `dbt_build` reads exactly these deliveries, and one published while it runs waits
for the next run. Then decides whether `dbt_build` may be incremental (compute only the snapshot states
not built yet) or must rebuild every state with `--full-refresh`: after a change of dbt code, seeds,
settings (dbt vars) or institution matching, a delivery landed before one already built, or without a
record of a previous build (`stiwatch.build_plan`). An incremental build leaves out the seeds and the
models of every source with nothing new (tags `source_<name>`). Returns both through XCom, with the
index's SHA-256, which the dbt tasks check before dbt starts.
"""

_RECORD_DOC = """
Records the successful build (`warehouse_build.json` under the data folder): the fingerprint the next
`plan_dbt_build` compares with, and the deliveries of the index the build read.
"""


def _plan_dbt_build() -> dict[str, object]:
    from stiwatch.build_plan import plan_frozen_build

    plan = plan_frozen_build(Settings.from_env())
    log.info("dbt build %s: %s", "full refresh" if plan.full_refresh else "incremental", plan.reason)
    # dbt reads a space-separated --exclude as a union of selectors; "" excludes nothing.
    return {
        "full_refresh": plan.full_refresh,
        "exclude": " ".join(plan.exclude),
        "lake_index_sha256": plan.lake_index_sha256,
    }


def _prepare_planned_build(settings: Settings, context: Context) -> None:
    """Before each dbt task of the run: the engine's folders (on whichever worker runs the task: nothing is
    left from an earlier task) and a check that the lake index is still the one plan_dbt_build froze."""
    prepare_engine(settings, freeze_lake=False)
    plan = context["ti"].xcom_pull(task_ids="plan_dbt_build")
    if not plan:  # dbt_build_dq_results runs whatever happened upstream
        raise RuntimeError("plan_dbt_build returned no plan (it failed or did not run): see its log")
    check_lake_index(settings, plan["lake_index_sha256"])


def _record_dbt_build() -> str:
    from stiwatch.build_plan import record_build

    return str(record_build(Settings.from_env()))


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
        plan = task(task_id="plan_dbt_build", doc_md=_PLAN_DOC)(_plan_dbt_build)()
        dbt_build = _dbt_build(
            settings,
            task_id="dbt_build",
            # Templated: the plan task's XCom ("True"/"False"; Cosmos reads the text as a boolean).
            full_refresh="{{ ti.xcom_pull(task_ids='plan_dbt_build')['full_refresh'] }}",
            exclude="{{ ti.xcom_pull(task_ids='plan_dbt_build')['exclude'] }}",
            dbt_cmd_flags=list(REFRESH_BUILD_FLAGS),
            outlets=[warehouse_asset()],
        )
        recorded = task(task_id="record_dbt_build", doc_md=_RECORD_DOC)(_record_dbt_build)()
        quality = task(task_id="quality_check", doc_md=_QUALITY_DOC)(_quality_check)()
        dq_results = _dbt_build(
            settings,
            task_id="dbt_build_dq_results",
            select=DQ_RESULTS_SELECTION,
            trigger_rule="all_done",
            doc_md=_DQ_RESULTS_DOC,
        )
        # Publishing reads the warehouse read-only, after every dbt task of the run: no writer pool.
        release = task(task_id="publish_serving_release", outlets=[serving_asset()], doc_md=_PUBLISH_DOC)(
            tasks.publish_release
        )()
        institutions >> plan >> dbt_build >> recorded >> quality >> dq_results >> release
        quality >> release  # the gate: nothing is published after a critical failure
        task(task_id="build_figures_report")(tasks.build_figures_report)(release)
        # dbt docs generate opens the warehouse through dbt-duckdb (read-write): a dbt task, in the pool.
        release >> task(task_id="generate_dbt_docs", pool=WAREHOUSE_POOL)(tasks.generate_dbt_docs)()

    return transform()


def _dbt_build(settings: Settings, **kwargs: object) -> DbtBuildLocalOperator:
    """A Cosmos ``dbt build`` over the project, in the writer pool (dbt is the warehouse's only writer)."""
    return DbtBuildLocalOperator(
        project_dir=DBT_PROJECT_DIR,
        profile_config=ProfileConfig(
            profile_name="stiwatch",
            target_name=settings.engine,
            profiles_yml_filepath=DBT_PROJECT_DIR / "profiles.yml",
        ),
        # Dies with the task process (Cosmos gives dbt a session of its own) and holds the writer lock.
        dbt_executable_path=venv_executable(DBT_EXECUTABLE),
        install_deps=False,
        # Cosmos would pick the in-process dbt runner when dbt is importable; that process keeps the
        # warehouse attached, so a later task in the same process (dags test, a worker reusing it)
        # cannot open it read-only (STACK.md trap 8). A subprocess releases the file when it exits.
        invocation_mode=InvocationMode.SUBPROCESS,
        # Where Cosmos keeps dbt's partial-parse file between its runs (Settings.dbt_state_dir): without it
        # every Cosmos task parses the whole project again (5-9 s each). A worker that does not see it
        # parses in full; dbt re-parses what changed, or everything when the vars changed.
        cache_dir=settings.dbt_state_dir / "cosmos-cache",
        # Cosmos runs dbt from a temporary copy of the project: every path must be absolute.
        env={
            "STIWATCH_WAREHOUSE": str(settings.warehouse_path),
            "STIWATCH_DATA_DIR": str(settings.data_dir),
            **engine_env(settings),
            **duckdb_resources_env(settings),
        },
        append_env=True,
        vars=settings.dbt_vars(),
        pre_execute=lambda context: _prepare_planned_build(settings, context),
        pool=WAREHOUSE_POOL,
        # Not retried: a failing dbt test or model is a data or code problem that fails the same way again
        # (records failing a record-level rule are quarantined, not failed: stg_lake__quarantine), and a
        # retry only delays the report by minutes. dbt's own error names the model or test.
        retries=0,
        **kwargs,
    )
