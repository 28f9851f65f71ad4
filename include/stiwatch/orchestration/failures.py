"""Why a task failed, in one place: each failed task's error, recorded for ``stiwatch refresh``.

The DAGs' ``on_failure_callback`` appends ``{dag_id, task_id, map_index, error}`` as a JSON line to the file
``STIWATCH_FAILURE_LOG`` names (the embedded refresh sets it per DAG run; without it nothing is written: a
deployed Airflow shows the error in its UI). ``stiwatch refresh`` then ends a failed run with the first
failed task, its error in words and the log path, instead of a list of task names.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

FAILURE_LOG_ENV = "STIWATCH_FAILURE_LOG"
_MAX_ERROR_CHARS = 3000


def record_failure(context: dict[str, Any]) -> None:
    """``on_failure_callback``: append the failed task and its exception text to the failure log."""
    target = os.environ.get(FAILURE_LOG_ENV)
    if not target:
        return
    ti = context.get("ti") or context.get("task_instance")
    exc = context.get("exception")
    record = {
        "dag_id": getattr(ti, "dag_id", None),
        "task_id": getattr(ti, "task_id", None),
        "map_index": getattr(ti, "map_index", -1),
        "error": (str(exc) or type(exc).__name__)[:_MAX_ERROR_CHARS] if exc is not None else "",
    }
    with Path(target).open("a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")


def read_failures(path: Path) -> list[dict[str, Any]]:
    """The recorded failures, in the order the tasks failed (none when the file is absent)."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def plain_error(error: str) -> str:
    """The first useful lines of a task's error: dbt's failing node lines when it is a dbt failure (they
    name the model or test and what it found), else the message itself."""
    lines = [line.strip() for line in error.splitlines() if line.strip()]
    dbt_lines = [
        line
        for line in lines
        if line.startswith(("Failure in", "Error in", "Database Error", "Compilation Error", "Got "))
        or "stiwatch-dbt:" in line
    ]
    chosen = dbt_lines[:4] or lines[:6]
    return "\n    ".join(chosen)
