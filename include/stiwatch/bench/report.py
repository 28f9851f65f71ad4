"""The benchmark result as a plain-text table (for the terminal) and as JSON (for the record)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from stiwatch.atomic_io import write_json_atomic

_MB = 1_000_000

_HEADER = (
    f"{'stage / file':<52} {'records':>9} {'MB':>8} {'seconds':>8} {'rec/s':>9} {'MB/s':>7} "
    f"{'peak RSS MB':>11}"
)


def _row(
    label: str,
    records: Any = "",
    mb: Any = "",
    seconds: Any = "",
    rate: Any = "",
    mbps: Any = "",
    rss: Any = "",
) -> str:
    def fmt(value: Any, spec: str) -> str:
        return format(value, spec) if isinstance(value, int | float) else str(value or "")

    return (
        f"{label[:52]:<52} {fmt(records, ',d'):>9} {fmt(mb, '.1f'):>8} {fmt(seconds, '.2f'):>8} "
        f"{fmt(rate, ',.0f'):>9} {fmt(mbps, '.1f'):>7} {fmt(rss, ',.0f'):>11}"
    )


def _throughput_row(label: str, t: dict[str, Any], rss: Any = "") -> str:
    return _row(
        label,
        t["records"],
        t["content_bytes"] / _MB,
        t["seconds"],
        t["records_per_s"],
        t["content_mb_per_s"],
        rss,
    )


def format_table(result: dict[str, Any]) -> str:
    """One line per stage; ingest stages add a line per file and their total (MB = decompressed content)."""
    m = result["machine"]
    size = f"{result['records']:,} records per source" if result.get("records") else "delta stages again"
    lines = [
        f"stiwatch benchmark {result['started_at']}: {size}, seed {result.get('seed')}, "
        f"{result.get('workers', 1)} workers",
        f"{m['processor']}, {m['cpus_usable']} usable CPUs, load {m['load_average_1m_at_start']}, "
        f"DuckDB {m['duckdb']}, Python {m['python']}",
        "",
        _HEADER,
        "-" * len(_HEADER),
    ]
    for name, outcome in result["stages"].items():
        if "skipped" in outcome:
            lines.append(_row(f"{name}: skipped ({outcome['skipped']})"))
            continue
        if "error" in outcome:
            lines.append(_row(f"{name}: FAILED", seconds=outcome["seconds"]))
            continue
        details = outcome.get("details")
        rss = outcome.get("peak_rss_bytes", 0) / _MB or ""
        if details is None or "files" not in details:
            lines.append(_row(name, seconds=outcome["seconds"], rss=rss))
            lines.extend(
                _row(f"  {n['node']}", seconds=n["seconds"]) for n in (details or {}).get("slowest", [])
            )
            continue
        for file in details["files"]:
            lines.append(_throughput_row(f"  {file['path']}", file))
        lines.append(_throughput_row(f"{name} (total, with manifest)", details["total"], rss))
    summary = result.get("summary") or {}
    lines += ["", *(f"{key}: {value}" for key, value in summary.items())]
    errors = [f"{name}: {o['error']}" for name, o in result["stages"].items() if "error" in o]
    return "\n".join(lines + (["", *errors] if errors else []))


def write_result(result: dict[str, Any], reports_dir: Path, now: datetime) -> Path:
    """Write ``<reports_dir>/bench/<UTC timestamp>.json`` atomically; return its path."""
    return write_json_atomic(result, reports_dir / "bench" / f"{now.strftime('%Y%m%dT%H%M%SZ')}.json")
