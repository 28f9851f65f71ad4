"""The embedded end-to-end refresh: every DAG run once through Airflow, as ``airflow dags test`` does.

The ingest DAGs run one after the other in one subprocess (``dag_runner``, with the embedded environment);
the transform DAG then runs when the lake (or a landed ROR dump) is newer than the current serving release,
or there is no release yet: what its Asset schedule does in a running Airflow, plus a retry of a transform
that failed last time (its snapshots were published, but never reached BI). A failed ingest DAG does
not stop the others, nor the transform of what they published; the refresh then fails with, per failed
DAG, the first failed task and its error in words, the tasks that never ran, and the path of the log.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from stiwatch import airflow_env
from stiwatch.config import SOURCES, Settings
from stiwatch.orchestration.dag_runner import RESULT_PREFIX
from stiwatch.orchestration.failures import FAILURE_LOG_ENV, plain_error, read_failures
from stiwatch.orchestration.setup import embedded_database_missing, setup
from stiwatch.sources.registry import REFERENCE_SOURCES

log = logging.getLogger(__name__)

INGEST_DAGS = tuple(f"stiwatch_ingest_{source}" for source in SOURCES)
TRANSFORM_DAG = "stiwatch_transform"
_MAX_ERRORS_SHOWN = 5


class DagRunFailedError(RuntimeError):
    """DAG runs failed; the message names each DAG, its first error, the tasks not run and the log."""


@dataclass(frozen=True)
class DagRunResult:
    dag_id: str
    seconds: float
    log_path: Path


@dataclass(frozen=True)
class DagRunFailure:
    """A failed DAG run: its failed tasks with their errors (first failed first), the tasks never run."""

    dag_id: str
    failed_tasks: list[str]
    not_run_tasks: list[str]
    errors: list[str]  # "task <id>: <error in words>" per failed task, in the order they failed
    log_path: Path

    def describe(self) -> str:
        if self.errors:
            lines = [f"DAG {self.dag_id} failed at {self.errors[0]}"]
            lines += [f"  then {error}" for error in self.errors[1:_MAX_ERRORS_SHOWN]]
        else:
            lines = [f"DAG {self.dag_id} failed (failed task: {', '.join(self.failed_tasks) or 'unknown'})"]
        if self.not_run_tasks:
            lines.append(f"  not run: {', '.join(self.not_run_tasks)}")
        lines.append(f"  full log: {self.log_path}")
        return "\n".join(lines)


def _task_errors(recorded: list[dict], dag_id: str) -> list[str]:
    """The first error of each failed task of a DAG, in words, in the order the tasks failed."""
    errors, seen = [], set()
    for failure in recorded:
        if failure["dag_id"] != dag_id or failure["task_id"] in seen:
            continue
        seen.add(failure["task_id"])
        task = failure["task_id"] + (f"[{failure['map_index']}]" if failure["map_index"] >= 0 else "")
        errors.append(f"task {task}:\n    {plain_error(failure['error'])}")
    return errors


def run_dags(
    dag_ids: tuple[str, ...], env: dict[str, str], log_path: Path
) -> tuple[list[DagRunResult], list[DagRunFailure]]:
    """Run DAGs in order in one subprocess, each whatever the others did; return the runs that succeeded
    and the failures (each with its first error in words, read from the failure log of the run)."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    failure_log = log_path.with_suffix(".failures.jsonl")
    failure_log.unlink(missing_ok=True)  # this run's failures only
    cmd = [sys.executable, "-m", "stiwatch.orchestration.dag_runner", *dag_ids]
    with log_path.open("w", encoding="utf-8") as out:
        run_env = {**env, FAILURE_LOG_ENV: str(failure_log)}
        subprocess.run(cmd, env=run_env, stdout=out, stderr=subprocess.STDOUT, check=False)
    runs = _read_runs(log_path)
    recorded = read_failures(failure_log)
    results, failures = [], []
    for dag_id in dag_ids:
        run = runs.get(dag_id)
        if run is None:
            failures.append(DagRunFailure(dag_id, [], [], [_stopped_before(log_path)], log_path))
        elif run["state"] != "success":
            errors = _task_errors(recorded, dag_id)
            failures.append(
                DagRunFailure(dag_id, run["failed_tasks"], run.get("not_run_tasks", []), errors, log_path)
            )
        else:
            results.append(DagRunResult(dag_id, float(run["seconds"]), log_path))
    return results, failures


# The last line of a Python traceback: "module.ErrorName: message" (sqlalchemy.exc.OperationalError: ...).
_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)\b.*")


def _stopped_before(log_path: Path) -> str:
    """Why no DAG ran: the runner died before any result; its log's last exception line says why."""
    lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    last = next((line for line in reversed(lines) if _EXCEPTION_LINE.match(line)), None)
    return "Airflow stopped before this DAG ran" + (f": {last.strip()}" if last else "")


def _read_runs(log_path: Path) -> dict[str, dict]:
    for line in reversed(log_path.read_text(encoding="utf-8", errors="replace").splitlines()):
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX) :])
    return {}


def transform_needed(settings: Settings) -> bool:
    """True when inputs changed after the current serving release was built (or there is none), or when
    the warehouse needs a full rebuild without any new delivery: a setting, seed or dbt code change, or a
    delivery removed or re-ingested (``stiwatch.build_plan``), so such a change reaches the marts on the
    next refresh."""
    from stiwatch.build_plan import plan_build
    from stiwatch.publish import current_release
    from stiwatch.publish.layout import RELEASE_FILE

    release = current_release(settings)
    if release is None or not (release / RELEASE_FILE).exists():
        return True
    if plan_build(settings).full_refresh:
        return True
    inputs = [
        *settings.lake_dir.glob("*/snapshot=*/_manifest.json"),
        # Reference data (ROR) is read from its landing folder by the transform's institution step.
        *(path for source in REFERENCE_SOURCES for path in (settings.landing_dir / source).glob("*")),
    ]
    newest_input = max((p.stat().st_mtime for p in inputs), default=0.0)
    return newest_input > (release / RELEASE_FILE).stat().st_mtime


NOTHING_NEW = "nothing new since the current serving release: transform skipped"


def refresh(settings: Settings, *, full_rebuild: bool = False) -> list[DagRunResult]:
    """Ingest every source, then transform when the inputs are newer than the serving release.

    ``full_rebuild``: forget the last build record (stiwatch.build_plan), so the transform runs and dbt
    rebuilds every state with ``--full-refresh``. The result lists the DAG runs; without the transform
    DAG, nothing was new (NOTHING_NEW).
    """
    from stiwatch.build_plan import forget_build

    if full_rebuild:
        forget_build(settings)
    env = airflow_env.embedded_env()
    if embedded_database_missing(env):
        log.info("no Airflow metadata database in %s yet: running `stiwatch setup`", env["AIRFLOW_HOME"])
        setup(settings)
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%S")
    log_dir = Path(env["AIRFLOW_HOME"]) / "logs" / "stiwatch-refresh" / stamp
    # Every source is ingested whatever the others do, and the transform runs on what was published.
    results, failures = run_dags(INGEST_DAGS, env, log_dir / "ingest.log")
    if full_rebuild or transform_needed(settings):
        transformed, transform_failures = run_dags((TRANSFORM_DAG,), env, log_dir / "transform.log")
        results += transformed
        failures += transform_failures
    else:
        log.info(NOTHING_NEW)
    if failures:
        done = ", ".join(r.dag_id for r in results) or "none"
        raise DagRunFailedError(
            "\n".join(f.describe() for f in failures) + f"\nDAG runs that succeeded: {done}"
        )
    return results
