"""The analyst-facing page ``reports/quality/summary.html``: flagged years per source, deliveries held
back and quarantined records, failed checks.

Plain HTML, every value escaped; the Data Docs next to it hold the full detail of every expectation.
"""

from __future__ import annotations

import html
from collections import defaultdict
from pathlib import Path

import duckdb

from stiwatch.atomic_io import atomic_path
from stiwatch.config import Settings
from stiwatch.quality.context import report_dir
from stiwatch.quality.delivery_findings import DeliveryFindings, delivery_sections
from stiwatch.quality.history import check_histories, history_sections
from stiwatch.quality.results import CRITICAL, QualityResult

SOURCE_NAMES = {"wos": "Web of Science", "openalex": "OpenAlex", "patstat": "PATSTAT"}
STYLE = (
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}"
    ".critical{color:#a00}.warning{color:#a60}"
)


def flagged_years(database: Path) -> list[tuple]:
    """(source, snapshot_id, is_current, year, is_provisional, is_incomplete, note) of every flagged year."""
    with duckdb.connect(str(database), read_only=True) as con:
        exists = con.execute(
            "select count(*) from duckdb_tables() where table_name = 'dq_year_completeness'"
        ).fetchone()[0]
        if not exists:
            return []
        return con.execute(
            "select source, snapshot_id, is_current_snapshot, year, is_provisional, is_incomplete, "
            "completeness_note from dq_year_completeness where is_provisional or is_incomplete "
            "order by source, is_current_snapshot desc, snapshot_id, year"
        ).fetchall()


def _years_section(rows: list[tuple]) -> list[str]:
    parts = ["<h2>Provisional and incomplete years</h2>"]
    if not rows:
        return [*parts, "<p>No year is flagged.</p>"]
    parts.append(
        "<p><b>Provisional</b>: the year is within the source's publication or indexing lag, its numbers "
        "will still grow. <b>Incomplete</b>: the year's count is well below the three complete years "
        "before it, or below a newer snapshot's count. Read such numbers as lower bounds.</p>"
    )
    by_source: dict[str, list[tuple]] = defaultdict(list)
    for row in rows:
        by_source[row[0]].append(row)
    for source, source_rows in by_source.items():
        parts.append(f"<h3>{html.escape(SOURCE_NAMES.get(source, source))}</h3><table>")
        parts.append("<tr><th>snapshot</th><th>year</th><th>status</th><th>why</th></tr>")
        for _, snapshot, is_current, year, provisional, incomplete, note in source_rows:
            status = " and ".join(
                s for s, flag in (("provisional", provisional), ("incomplete", incomplete)) if flag
            )
            label = f"{snapshot} (newest)" if is_current else snapshot
            parts.append(
                f"<tr><td>{html.escape(label)}</td><td>{year}</td><td>{status}</td>"
                f"<td>{html.escape(note or '')}</td></tr>"
            )
        parts.append("</table>")
    return parts


def _failures_section(result: QualityResult) -> list[str]:
    failed = sorted(
        (f for f in result.findings if not f.success), key=lambda f: (f.severity != CRITICAL, f.table_name)
    )
    parts = [
        "<h2>Failed checks</h2>",
        f"<p>{len(result.findings)} checks, {len(result.critical_failures)} critical failures (publishing "
        f"stops), {len(result.warnings)} warnings (reported, the refresh continues).</p>",
    ]
    if not failed:
        return [*parts, "<p>Every check passed.</p>"]
    parts.append("<table><tr><th>severity</th><th>table</th><th>check</th><th>observed</th></tr>")
    for finding in failed:
        parts.append(
            f"<tr class='{html.escape(finding.severity)}'><td>{html.escape(finding.severity)}</td>"
            f"<td>{html.escape(finding.table_name)}</td><td>{html.escape(finding.description)}</td>"
            f"<td>{html.escape(finding.observed_value or '')}</td></tr>"
        )
    parts.append("</table>")
    return parts


def write_summary(
    settings: Settings,
    result: QualityResult,
    flagged: list[tuple],
    trends: list[tuple] | None = None,
    deliveries: DeliveryFindings | None = None,
) -> Path:
    """Write summary.html (atomically) and return its path; ``flagged`` comes from ``flagged_years``,
    ``trends`` from ``history.source_trends``, ``deliveries`` from
    ``delivery_findings.read_delivery_findings``."""
    path = report_dir(settings) / "summary.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = [
        "<!doctype html><html><head><meta charset='utf-8'><title>stiwatch data quality</title>",
        f"<style>{STYLE}</style></head><body><h1>Data quality</h1>",
        f"<p>Run {html.escape(result.run_id)} at {result.run_time:%Y-%m-%d %H:%M} UTC. Full detail of every "
        "check: <a href='index.html'>Data Docs</a>.</p>",
        *delivery_sections(deliveries or DeliveryFindings()),
        *_years_section(flagged),
        *_failures_section(result),
        *history_sections(check_histories(settings, result), trends or []),
        "</body></html>",
    ]
    with atomic_path(path) as temporary:
        temporary.write_text("\n".join(body), encoding="utf-8")
    return path
