"""The embedded end-to-end refresh: every DAG run once through Airflow, as ``airflow dags test`` does.

The ingest DAGs run one after the other in one subprocess (``dag_runner``, with the embedded environment);
the transform DAG then runs when the lake (or a landed ROR dump) is newer than the current serving release,
or there is no release yet: what its Asset schedule does in a running Airflow, plus a retry of a transform
that failed last time (its snapshots were published, but never reached BI). A failed DAG run stops the
refresh with the DAG, its failed tasks and the path of the log.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from stiwatch import airflow_env
from stiwatch.config import SOURCES, Settings
from stiwatch.orchestration.dag_runner import RESULT_PREFIX
from stiwatch.sources.registry import REFERENCE_SOURCES

log = logging.getLogger(__name__)

INGEST_DAGS = tuple(f"stiwatch_ingest_{source}" for source in SOURCES)
TRANSFORM_DAG = "stiwatch_transform"


class DagRunFailedError(RuntimeError):
    """A DAG run failed; the message names the DAG, the failed tasks and the log file."""


@dataclass(frozen=True)
class DagRunResult:
    dag_id: str
    seconds: float
    log_path: Path


def run_dags(dag_ids: tuple[str, ...], env: dict[str, str], log_path: Path) -> list[DagRunResult]:
    """Run DAGs in order in one subprocess; raise DagRunFailedError at the first failed run."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "stiwatch.orchestration.dag_runner", *dag_ids]
    with log_path.open("w", encoding="utf-8") as out:
        subprocess.run(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)
    runs = _read_runs(log_path)
    for dag_id in dag_ids:
        run = runs.get(dag_id)
        if run is None:
            raise DagRunFailedError(f"DAG {dag_id} did not run (Airflow stopped early); full log: {log_path}")
        if run["state"] != "success":
            failed = ", ".join(run["failed_tasks"]) or "unknown"
            raise DagRunFailedError(
                f"DAG {dag_id} failed (failed task: {failed}; run {run['run_id']}); full log: {log_path}"
            )
    return [DagRunResult(dag_id, float(runs[dag_id]["seconds"]), log_path) for dag_id in dag_ids]


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
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%S")
    log_dir = Path(env["AIRFLOW_HOME"]) / "logs" / "stiwatch-refresh" / stamp
    results = run_dags(INGEST_DAGS, env, log_dir / "ingest.log")
    if full_rebuild or transform_needed(settings):
        results += run_dags((TRANSFORM_DAG,), env, log_dir / "transform.log")
    else:
        log.info(NOTHING_NEW)
    return results
