"""The benchmark run: generate demo data, then time every pipeline stage over it.

Stages run in pipeline order in one data root: generate (timed alone, so it is never counted as ingest),
ingest per source file through ``stiwatch.ingest`` (what the DAG tasks call), institution resolution,
``dbt build`` and publish. A failing stage is recorded with its error and the stages after it are skipped,
so a partial run still reports what it measured.
"""

from __future__ import annotations

import logging
import os
import platform
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import pyarrow

from stiwatch import demo, ingest
from stiwatch.bench.sizes import decompressed_bytes
from stiwatch.config import SOURCES, Settings

log = logging.getLogger(__name__)

_MB = 1_000_000


def machine() -> dict[str, Any]:
    """What the numbers were measured on; the load average matters on a shared machine."""
    return {
        "platform": platform.platform(),
        "processor": _cpu_model(),
        "cpus": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "load_average_1m_at_start": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pyarrow": pyarrow.__version__,
    }


def _cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _rate(amount: float, seconds: float) -> float | None:
    return round(amount / seconds, 1) if seconds > 0 else None


def throughput(records: int, content_bytes: int, seconds: float) -> dict[str, Any]:
    """Records/s and MB/s (decimal MB of decompressed content) over ``seconds``."""
    return {
        "records": records,
        "content_bytes": content_bytes,
        "seconds": round(seconds, 3),
        "records_per_s": _rate(records, seconds),
        "content_mb_per_s": _rate(content_bytes / _MB, seconds),
    }


def ingest_source(settings: Settings, source: str) -> dict[str, Any]:
    """Ingest every pending snapshot of ``source`` file by file, as the ingest DAG does; time each file."""
    files = []
    file_seconds = 0.0
    by_snapshot: dict[str, list[dict[str, Any]]] = {}
    for item in ingest.plan(settings, source):
        path = settings.landing_dir / source / item["snapshot_id"] / item["path"]
        content = decompressed_bytes(path)  # measured outside the timed call
        started = time.perf_counter()
        entry = ingest.ingest_file(settings, source, item["snapshot_id"], item["path"])
        seconds = time.perf_counter() - started
        file_seconds += seconds
        by_snapshot.setdefault(item["snapshot_id"], []).append(entry)
        files.append(
            {
                "path": item["path"],
                "format": entry.get("format"),
                "file_bytes": entry["bytes"],
                **throughput(int(entry.get("records", 0)), content, seconds),
            }
        )
    started = time.perf_counter()
    for snapshot_id, entries in by_snapshot.items():
        ingest.finalize(settings, source, snapshot_id, entries)
    finalize_seconds = time.perf_counter() - started
    total = throughput(
        sum(f["records"] for f in files),
        sum(f["content_bytes"] for f in files),
        file_seconds + finalize_seconds,
    )
    return {"files": files, "finalize_seconds": round(finalize_seconds, 3), "total": total}


def _transform_steps(settings: Settings) -> dict[str, Callable[[], Any]]:
    # Imported here: the resolver, dbt and the publisher are only needed when the transform stages run.
    from stiwatch.bench.dbt_build import dbt_build
    from stiwatch.institutions.resolve import resolve_institutions
    from stiwatch.publish import publish

    return {
        "resolve_institutions": lambda: resolve_institutions(settings),
        "dbt_build": lambda: dbt_build(settings),
        "publish": lambda: publish(settings),
    }


def run_benchmark(
    settings: Settings, records: int, seed: int = demo.DEFAULT_SEED, transform: bool = True
) -> dict[str, Any]:
    """Run every stage in ``settings.data_dir`` (expected empty); return the results (JSON-ready).

    ``stages`` maps each stage to its seconds (and, for an ingest stage, per-file ``details``); a failed
    stage has ``error`` and the ones after it ``skipped``.
    """
    result: dict[str, Any] = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "records": records,
        "seed": seed,
        "data_dir": str(settings.data_dir),
    }
    stages: dict[str, Callable[[], Any]] = {
        "generate": lambda: demo.generate(settings.landing_dir, records, seed),
        **{f"ingest_{source}": partial(ingest_source, settings, source) for source in SOURCES},
    }
    if transform:
        stages.update(_transform_steps(settings))
    result["stages"] = _run_stages(stages)
    result["failed"] = any("error" in outcome for outcome in result["stages"].values())
    return result


def _run_stages(stages: dict[str, Callable[[], Any]]) -> dict[str, dict[str, Any]]:
    """Time each stage in order; after a failure, the remaining stages are marked skipped, not run."""
    outcomes: dict[str, dict[str, Any]] = {}
    failed = None
    for name, fn in stages.items():
        if failed:
            outcomes[name] = {"skipped": f"stage {failed} failed"}
            continue
        log.info("benchmark stage %s", name)
        started = time.perf_counter()
        try:
            value = fn()
        except Exception as exc:  # a benchmark reports a broken stage instead of losing the whole run
            log.exception("benchmark stage %s failed", name)
            outcomes[name] = {"seconds": round(time.perf_counter() - started, 3), "error": str(exc)[-2000:]}
            failed = name
            continue
        outcomes[name] = {"seconds": round(time.perf_counter() - started, 3)}
        if isinstance(value, dict):
            outcomes[name]["details"] = value
    return outcomes
