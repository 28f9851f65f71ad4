"""The ``dbt build`` stage of the benchmark, with where dbt spent its time.

dbt writes ``run_results.json`` to a target folder inside the benchmark's data root (not the project's
``dbt/target``, which tests and other runs share), and the slowest nodes are kept in the result: the wall
time alone cannot tell start-up, unit tests and model execution apart.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from stiwatch.config import Settings
from stiwatch.dbt_runner import build_warehouse

SLOWEST = 8


def dbt_build(settings: Settings) -> dict[str, Any]:
    """``dbt build`` over the lake of ``settings`` as a refresh runs it (incremental unless
    ``stiwatch.build_plan`` asks for a full rebuild; recorded on success); return dbt's own timing summary."""
    target = settings.data_dir / "bench-dbt-target"
    build_warehouse(settings, "--target-path", str(target))
    run_results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    results = run_results["results"]
    slowest = sorted(results, key=lambda r: r["execution_time"], reverse=True)[:SLOWEST]
    return {
        "dbt_elapsed_s": round(run_results["elapsed_time"], 3),
        "nodes_by_type": dict(Counter(r["unique_id"].split(".", 1)[0] for r in results)),
        "node_seconds_total": round(sum(r["execution_time"] for r in results), 3),
        "slowest": [{"node": r["unique_id"], "seconds": round(r["execution_time"], 3)} for r in slowest],
    }
