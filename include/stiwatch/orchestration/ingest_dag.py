"""One factory for the per-source ingest DAGs (``stiwatch_ingest_wos``, ``stiwatch_ingest_openalex``).

plan (pending files grouped by size, ``STIWATCH_INGEST_TASK_BYTES``) -> ingest_files (mapped, one task per
group, ``STIWATCH_INGEST_PARALLELISM`` at once) -> finalize (mapped, one per snapshot: writes the manifest)
-> publish (emits the lake Asset). With nothing pending, ``plan`` skips
and so does everything after it: no Asset event, the transform DAG is not triggered. Snapshots stand
alone: a failing file fails its own snapshot's finalize; the others are finalized and published, and
``check_landing`` (beside them) fails the run for folders that cannot be planned at all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

from airflow.sdk import DAG, Param, dag, task
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

from stiwatch.config import Settings
from stiwatch.orchestration import tasks
from stiwatch.orchestration.assets import lake_asset
from stiwatch.orchestration.failures import record_failure

T = TypeVar("T")

DEFAULT_ARGS = {
    "owner": "stiwatch",
    "retries": 2,
    "retry_delay": timedelta(minutes=2),
    "retry_exponential_backoff": True,
    "execution_timeout": timedelta(hours=2),
    "on_failure_callback": record_failure,  # the refresh names the first failed task and its error
}

_DOC = """
### Ingest {source} snapshots into the lake

Looks for snapshot folders under `landing/{source}/` that have no manifest in `lake/{source}/` yet, parses
their data files into normalised Parquet (one mapped task per group of files of about
`STIWATCH_INGEST_TASK_BYTES`, `STIWATCH_INGEST_PARALLELISM` at a time), then writes the snapshot's manifest,
which publishes it to dbt. A snapshot whose files changed after ingestion fails the run with the file
name: land corrections under a new snapshot id, or trigger with `force=true`.

Emits `stiwatch://lake/{source}` only when a snapshot was published; that Asset triggers
`stiwatch_transform`. Landing contract: `docs/ARCHITECTURE.md`.
"""


def _no_retry_on_bad_data(call: Callable[[], T]) -> T:
    """Run a task body; bad landing data (a ``DataError``: every parser and the landing checks raise one,
    naming the file and record) fails the task at once: retrying cannot fix a file, only transient errors
    (anything else) deserve retries."""
    from stiwatch.errors import DataError

    try:
        return call()
    except DataError as exc:
        raise AirflowFailException(str(exc)) from exc


def build_ingest_dag(source: str) -> DAG:
    parallelism = Settings.from_env().ingest_parallelism  # parse time: the scheduler enforces it

    @dag(
        dag_id=f"stiwatch_ingest_{source}",
        schedule="@hourly",
        catchup=False,
        max_active_runs=1,
        default_args=DEFAULT_ARGS,
        tags=["stiwatch", "ingest", source],
        doc_md=_DOC.format(source=source),
        params={
            "force": Param(False, type="boolean", description="Re-ingest snapshots that have a manifest")
        },
    )
    def ingest() -> None:
        @task
        def plan(params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
            force = bool((params or {}).get("force"))
            groups = _no_retry_on_bad_data(lambda: tasks.plan_groups(source, force=force))
            if not groups:
                raise AirflowSkipException(f"no pending {source} snapshots in the landing zone")
            return groups

        @task(max_active_tis_per_dagrun=parallelism)
        def ingest_files(group: dict[str, Any]) -> dict[str, Any]:
            return _no_retry_on_bad_data(lambda: tasks.ingest_group(group))

        @task
        def snapshots(groups: list[dict[str, Any]]) -> list[str]:
            return tasks.snapshot_ids(groups)

        # all_done: a failed file fails its own snapshot's finalize (its entry is missing), not the others'.
        @task(trigger_rule="all_done")
        def finalize(snapshot_id: str, results: list[dict[str, Any]]) -> str:
            return _no_retry_on_bad_data(lambda: tasks.finalize_snapshot(source, snapshot_id, list(results)))

        @task(outlets=[lake_asset(source)], trigger_rule="all_done")
        def publish(manifests: list[str]) -> list[str]:
            published = sorted(m for m in manifests if m)
            if not published:
                raise AirflowSkipException(f"no {source} snapshot was published")
            return published

        @task
        def check_landing(params: dict[str, Any] | None = None) -> None:
            problems = tasks.landing_problems(source, force=bool((params or {}).get("force")))
            if problems:
                raise AirflowFailException(
                    f"{len(problems)} {source} snapshot folder(s) skipped:\n" + "\n".join(problems)
                )

        # A leaf that fails when a planned snapshot was not published: Airflow decides a run's state by its
        # leaves, and publish (all_done) succeeds for the good snapshots even when another one failed.
        @task(trigger_rule="all_done")
        def all_published(snapshot_ids: list[str] | None, manifests: list[str] | None) -> None:
            done = {Path(m).parent.name.removeprefix("snapshot=") for m in (manifests or []) if m}
            missing = sorted(set(snapshot_ids or []) - done)
            if missing:
                raise AirflowFailException(
                    f"{source} snapshot(s) not published: {', '.join(missing)} (the failed ingest_files or "
                    "finalize task says why)"
                )

        groups = plan()
        results = ingest_files.expand(group=groups)
        snapshot_ids = snapshots(groups)
        manifests = finalize.partial(results=results).expand(snapshot_id=snapshot_ids)
        publish(manifests)
        all_published(snapshot_ids, manifests)
        check_landing()  # beside the ingest: a bad folder is reported and fails the run, blocking nothing

    return ingest()
