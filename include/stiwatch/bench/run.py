"""The benchmark run: generate demo data, then time every pipeline stage over it.

Stages run in pipeline order in one data root: generate (timed alone, so it is never counted as ingest;
it also writes a small OpenAlex delta aside for later), ingest per source file through ``stiwatch.ingest``
(what the DAG tasks call), the bare OpenAlex query the ingest is measured against, institution
resolution, ``dbt build``, publish, a refresh with nothing new through Airflow, then the delta: landed,
ingested and built again. Every stage records its seconds and the peak RSS of the process tree. A
failing stage is recorded with its error and the stages after it are skipped, so a partial run still
reports what it measured.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import platform
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import pyarrow

from stiwatch import demo, ingest
from stiwatch.bench import refresh
from stiwatch.bench.openalex_reference import pairs_per_year, works_parts
from stiwatch.bench.rss import PeakRss
from stiwatch.bench.sizes import decompressed_bytes
from stiwatch.config import SOURCES, Settings, usable_cpus

log = logging.getLogger(__name__)

_MB = 1_000_000


def machine() -> dict[str, Any]:
    """What the numbers were measured on; the load average matters on a shared machine."""
    return {
        "platform": platform.platform(),
        "processor": _cpu_model(),
        "cpus": os.cpu_count(),
        "cpus_usable": usable_cpus(),
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


def _ingest_one(settings: Settings, source: str, snapshot_id: str, path: str) -> tuple[dict[str, Any], float]:
    """One file through ``stiwatch.ingest.ingest_file`` (what a DAG task calls), timed where it runs."""
    started = time.perf_counter()
    entry = ingest.ingest_file(settings, source, snapshot_id, path)
    return entry, time.perf_counter() - started


def ingest_source(settings: Settings, source: str, workers: int = 1) -> dict[str, Any]:
    """Ingest every pending snapshot of ``source`` file by file, as the ingest DAG does: ``workers`` files
    at once in separate processes (the DAG's parallel tasks), then ``finalize`` per snapshot. The total is
    the stage's wall time; each file has its own seconds."""
    items = ingest.plan(settings, source)
    # Measured before the clock starts: decompressing a file to count its bytes is not ingest work.
    landing = settings.landing_dir / source
    content = [decompressed_bytes(landing / item["snapshot_id"] / item["path"]) for item in items]
    started = time.perf_counter()
    args = [(settings, source, item["snapshot_id"], item["path"]) for item in items]
    if workers <= 1 or len(items) <= 1:
        outcomes = [_ingest_one(*a) for a in args]
    else:
        context = multiprocessing.get_context("spawn")  # a fresh process per worker, like a DAG task
        with ProcessPoolExecutor(max_workers=min(workers, len(items)), mp_context=context) as pool:
            outcomes = list(pool.map(_ingest_one, *zip(*args, strict=True)))
    by_snapshot: dict[str, list[dict[str, Any]]] = {}
    files = []
    for item, size, (entry, seconds) in zip(items, content, outcomes, strict=True):
        by_snapshot.setdefault(item["snapshot_id"], []).append(entry)
        files.append(
            {
                "path": item["path"],
                "format": entry.get("format"),
                "file_bytes": entry["bytes"],
                **throughput(int(entry.get("records", 0)), size, seconds),
            }
        )
    finalize_started = time.perf_counter()
    for snapshot_id, entries in by_snapshot.items():
        ingest.finalize(settings, source, snapshot_id, entries)
    finished = time.perf_counter()
    total = throughput(sum(f["records"] for f in files), sum(content), finished - started)
    return {
        "workers": workers,
        "files": files,
        "finalize_seconds": round(finished - finalize_started, 3),
        "total": total,
    }


def _transform_steps(settings: Settings) -> dict[str, Callable[[], Any]]:
    # Imported here: the resolver, dbt and the publisher are only needed when the transform stages run.
    from stiwatch.bench.dbt_build import dbt_build
    from stiwatch.institutions.resolve import resolve_institutions
    from stiwatch.publish import publish

    return {
        "resolve_institutions": lambda: resolve_institutions(settings),
        "dbt_build": lambda: dbt_build(settings),
        "publish": lambda: publish(settings),
        "airflow_setup": lambda: refresh.airflow_setup(settings),
        "refresh_nothing_new": lambda: refresh.refresh_nothing_new(settings),
        **_delta_steps(settings),
    }


def _delta_steps(settings: Settings, workers: int = 1) -> dict[str, Callable[[], Any]]:
    """Land and ingest the OpenAlex delta, then ``dbt build`` again (incremental: only the new state)."""
    from stiwatch.bench.dbt_build import dbt_build

    def ingest_delta() -> dict[str, Any]:
        refresh.land_delta(settings)
        return ingest_source(settings, "openalex", workers)

    return {"ingest_openalex_delta": ingest_delta, "dbt_build_after_delta": lambda: dbt_build(settings)}


def run_benchmark(
    settings: Settings,
    records: int,
    seed: int = demo.DEFAULT_SEED,
    transform: bool = True,
    workers: int = 1,
) -> dict[str, Any]:
    """Run every stage in ``settings.data_dir``; return the results (JSON-ready).

    Snapshots already in the landing zone (a data root generated before) are kept, and ``generate`` then
    reports them as not created. ``workers`` processes write the demo files and ingest files at once.
    ``stages`` maps each stage to its seconds and peak RSS (and, for an ingest stage, per-file
    ``details``); a failed stage has ``error`` and the ones after it ``skipped``. ``summary`` holds the
    ratios of docs/BENCHMARKS.md.
    """
    result = _header(settings, records, seed, workers)
    stages: dict[str, Callable[[], Any]] = {
        "generate": lambda: _generate(settings, records, seed, workers),
        **{f"ingest_{source}": partial(ingest_source, settings, source, workers) for source in SOURCES},
        "openalex_bare_query": lambda: _bare_query(settings),
    }
    if transform:
        stages.update(_transform_steps(settings))
    result["stages"] = _run_stages(stages)
    result["failed"] = any("error" in outcome for outcome in result["stages"].values())
    result["summary"] = summarize(result["stages"])
    return result


def rerun_delta(settings: Settings, workers: int = 1) -> dict[str, Any]:
    """The transform and delta stages again on a kept data root, with today's code: the delta's lake
    snapshot and the warehouse removed, a first (full) dbt build over the base lake, then the delta's
    ingest and its incremental build, so both builds are measured in one run."""
    from stiwatch.bench.dbt_build import dbt_build

    refresh.reset_delta(settings)
    result = _header(settings, None, None, workers)
    result["stages"] = _run_stages(
        {"dbt_build": lambda: dbt_build(settings), **_delta_steps(settings, workers)}
    )
    result["failed"] = any("error" in outcome for outcome in result["stages"].values())
    result["summary"] = summarize(result["stages"])
    return result


def _header(settings: Settings, records: int | None, seed: int | None, workers: int) -> dict[str, Any]:
    return {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "records": records,
        "seed": seed,
        "workers": workers,
        "duckdb_resources": settings.duckdb_config(),
        "data_dir": str(settings.data_dir),
    }


def _generate(settings: Settings, records: int, seed: int, workers: int) -> dict[str, Any]:
    snapshots = demo.generate(settings.landing_dir, records, seed, workers=workers)
    return {
        "created": {s.source: s.created for s in snapshots},
        "delta": refresh.generate_delta(settings, records, seed),
    }


def _bare_query(settings: Settings) -> dict[str, Any]:
    parts = works_parts(settings.landing_dir / "openalex" / demo.SNAPSHOT_IDS["openalex"])
    rows, seconds = pairs_per_year(settings, parts)
    return {
        "parts": len(parts),
        "query_seconds": round(seconds, 3),
        "works": sum(r[1] for r in rows),
        "country_pairs": sum(r[2] for r in rows),
    }


def summarize(stages: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The ratios the speed goals are stated in (issue 9), from the stage results; None if not measured."""

    def seconds(name: str) -> float | None:
        outcome = stages.get(name, {})
        return outcome.get("seconds") if "error" not in outcome else None

    def ratio(numerator: float | None, denominator: float | None) -> float | None:
        return round(numerator / denominator, 3) if numerator and denominator else None

    bare = stages.get("openalex_bare_query", {}).get("details", {}).get("query_seconds")
    # The ingest's own wall time (files and finalize), without counting the decompressed bytes beforehand.
    ingest = stages.get("ingest_openalex", {}).get("details", {}).get("total", {}).get("seconds")
    measured = [o["peak_rss_bytes"] for o in stages.values() if "peak_rss_bytes" in o]
    return {
        "openalex_ingest_over_bare_query": ratio(ingest, bare),
        "delta_dbt_build_share_of_first": ratio(seconds("dbt_build_after_delta"), seconds("dbt_build")),
        "refresh_nothing_new_seconds": seconds("refresh_nothing_new"),
        "peak_rss_bytes_max": max(measured, default=None),
    }


def _run_stages(stages: dict[str, Callable[[], Any]]) -> dict[str, dict[str, Any]]:
    """Time each stage in order and sample its peak RSS (children included); after a failure, the
    remaining stages are marked skipped, not run."""
    outcomes: dict[str, dict[str, Any]] = {}
    failed = None
    for name, fn in stages.items():
        if failed:
            outcomes[name] = {"skipped": f"stage {failed} failed"}
            continue
        log.info("benchmark stage %s", name)
        started = time.perf_counter()
        with PeakRss() as peak:
            try:
                value = fn()
            except Exception as exc:  # a benchmark reports a broken stage instead of losing the whole run
                log.exception("benchmark stage %s failed", name)
                value, failed = exc, name
        outcomes[name] = {"seconds": round(time.perf_counter() - started, 3), "peak_rss_bytes": peak.bytes}
        if failed == name:
            outcomes[name]["error"] = str(value)[-2000:]
        elif isinstance(value, dict):
            outcomes[name]["details"] = value
    return outcomes
