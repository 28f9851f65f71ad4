"""The weekly OpenAlex API pull: works updated since the last completed pull land as a delta snapshot.

The pull writes saved API pages into ``landing/openalex/<YYYY-MM-DD>_api/`` and marks the folder complete
only at the end; the hourly ``stiwatch_ingest_openalex`` then ingests it like any snapshot. A retry (or a
re-run of the same logical date) resumes from the saved cursor instead of starting over.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from airflow.sdk import DAG, Param, dag, task

from stiwatch.orchestration import tasks

DEFAULT_ARGS = {
    "owner": "stiwatch",
    "retries": 3,
    "retry_delay": timedelta(minutes=10),
    "retry_exponential_backoff": True,
    "execution_timeout": timedelta(hours=12),
}

_DOC = """
### Pull new OpenAlex works from the API (weekly)

Pages through `/works` with the scope filter (`STIWATCH_OPENALEX_FILTER`) and `from_updated_date` = the
as-of date of the newest completed pull or full snapshot (also one landed by hand), 200 works per page,
honouring `Retry-After` on 429/5xx. Needs `STIWATCH_OPENALEX_MAILTO` (polite pool) and optionally
`STIWATCH_OPENALEX_API_KEY` in the environment.
The pages land as snapshot `landing/openalex/<date>_api/`; `stiwatch_ingest_openalex` ingests it once the
pull is complete. An interrupted pull resumes from its saved cursor on retry.

The first pull lands a `full` delivery (a base); later pulls land `delta`s onto it, folded into the current
OpenAlex state by dbt. Trigger with `full=true` to re-pull everything as a new base.
"""


def build_pull_dag() -> DAG:
    @dag(
        dag_id="stiwatch_pull_openalex",
        schedule="@weekly",
        catchup=False,
        max_active_runs=1,
        default_args=DEFAULT_ARGS,
        tags=["stiwatch", "openalex", "api"],
        doc_md=_DOC,
        params={"full": Param(False, type="boolean", description="Re-pull every work as a new full base")},
    )
    def pull() -> None:
        @task(task_id="pull_updated_works")
        def pull_updated_works(ds: str | None = None, params: dict[str, Any] | None = None) -> str:
            full = bool((params or {}).get("full"))
            # A forced full gets its own folder: it must not resume (or collide with) the day's delta.
            return tasks.pull_openalex(f"{ds}_api_full" if full else f"{ds}_api", full=full)

        pull_updated_works()

    return pull()
