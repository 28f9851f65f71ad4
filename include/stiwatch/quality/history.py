"""Quality over time, for the summary page: each check's history across runs and each source's trends.

Check history: the findings files of earlier runs (``$DATA/quality/results/*.parquet``, the rows of
``dq_results``) read with DuckDB, plus the run being reported. A check (suite, table, description) is shown
when it fails now or drifts: its outcome flipped, or the number it observed (the leading number of
``observed_value``, e.g. "12 unexpected") moved, within the runs shown. Source trends: mart
``dq_source_trends`` (one row per source and kept snapshot) from the validation database.
Charts are small inline SVG polylines drawn here (no script, no external file).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from stiwatch.config import Settings
from stiwatch.quality.results import QualityResult

# Runs shown per check (the newest): enough to see a trend, small enough for a sparkline.
HISTORY_RUNS = 20
TREND_MEASURES = (
    ("share_without_addresses", "records without addresses"),
    ("share_unmapped_countries", "addresses with an unmapped country"),
    ("resolution_rate", "affiliations resolved to an institution"),
)
WIDTH, HEIGHT, PAD = 160, 36, 4


@dataclass(frozen=True)
class CheckHistory:
    suite: str
    table_name: str
    description: str
    severity: str
    runs: list[tuple[str, bool, float | None]]  # (run_id, success, observed number), oldest first

    @property
    def failing(self) -> bool:
        return not self.runs[-1][1]

    @property
    def drifting(self) -> bool:
        outcomes = {success for _, success, _ in self.runs}
        numbers = {number for _, _, number in self.runs if number is not None}
        return len(outcomes) > 1 or len(numbers) > 1


_NUMBER_SQL = "try_cast(regexp_extract(observed_value, '^-?[0-9]+(\\.[0-9]+)?') as double)"


def check_histories(settings: Settings, result: QualityResult) -> list[CheckHistory]:
    """Every check of this run with its outcome in up to HISTORY_RUNS runs (earlier files + this run);
    only the failing and drifting ones."""
    current = [
        (result.run_id, f.suite, f.table_name, f.description, f.severity, f.success, f.observed_value,
         result.run_time)
        for f in result.findings
    ]  # fmt: skip
    files = sorted(settings.quality_results_dir.glob("*.parquet"))
    with duckdb.connect() as con:
        con.execute(
            "create table findings (run_id varchar, suite varchar, table_name varchar, description varchar, "
            "severity varchar, success boolean, observed_value varchar, run_time timestamptz)"
        )
        if files:
            con.execute(
                "insert into findings select run_id, suite, table_name, description, severity, success, "
                "observed_value, run_time from read_parquet(?) where run_id <> ?",
                [[str(p) for p in files], result.run_id],
            )
        if current:
            con.executemany("insert into findings values (?, ?, ?, ?, ?, ?, ?, ?)", current)
        rows = con.execute(
            f"""
            with runs as (
                select run_id, max(run_time) as run_time from findings group by run_id
                order by run_time desc limit {HISTORY_RUNS}
            )
            select suite, table_name, description, any_value(severity), list(
                {{'run_id': findings.run_id, 'success': success, 'number': {_NUMBER_SQL}}}
                order by runs.run_time
            )
            from findings inner join runs using (run_id)
            where (suite, table_name, description) in (
                select (suite, table_name, description) from findings where run_id = ?
            )
            group by suite, table_name, description
            order by suite, table_name, description
            """,
            [result.run_id],
        ).fetchall()
    histories = [
        CheckHistory(suite, table, description, severity,
                     [(r["run_id"], r["success"], r["number"]) for r in runs])
        for suite, table, description, severity, runs in rows
    ]  # fmt: skip
    return [h for h in histories if h.failing or h.drifting]


def source_trends(database: Path) -> list[tuple]:
    """(source, snapshot_id, as_of, share_without_addresses, share_unmapped_countries, resolution_rate)
    per kept snapshot, oldest first; empty when the mart is not built."""
    with duckdb.connect(str(database), read_only=True) as con:
        (exists,) = con.execute(
            "select count(*) from duckdb_tables() where table_name = 'dq_source_trends'"
        ).fetchone()
        if not exists:
            return []
        measures = ", ".join(column for column, _ in TREND_MEASURES)
        return con.execute(
            f"select source, snapshot_id, snapshot_as_of, {measures} from dq_source_trends "
            "order by source, snapshot_as_of, snapshot_id"
        ).fetchall()


def sparkline(values: list[float | None], failed: list[bool] | None = None, label: str = "") -> str:
    """A tiny SVG line of ``values`` (None: a gap); a red dot where ``failed``. Scaled to its own range."""
    known = [v for v in values if v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 1.0)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    points = []
    dots = []
    for i, value in enumerate(values):
        x = PAD + i * step
        y = HEIGHT - PAD - ((value - low) / span * (HEIGHT - 2 * PAD) if value is not None else 0)
        if value is not None:
            points.append(f"{x:.1f},{y:.1f}")
        bad = failed[i] if failed else False
        dots.append(
            f"<circle cx='{x:.1f}' cy='{y:.1f}' r='2.5' fill='{'#c00' if bad else '#4c78a8'}' "
            f"data-failed='{str(bad).lower()}'/>"
        )
    line = f"<polyline fill='none' stroke='#4c78a8' stroke-width='1.5' points='{' '.join(points)}'/>"
    return (
        f"<svg class='spark' width='{WIDTH}' height='{HEIGHT}' role='img' aria-label='{html.escape(label)}'>"
        f"{line}{''.join(dots)}</svg>"
    )


def _percent(value: Any) -> str:
    return "" if value is None else f"{value:.1%}"


def history_sections(histories: list[CheckHistory], trends: list[tuple]) -> list[str]:
    """HTML of "Checks over time" and "Trends per source"."""
    parts = ["<h2 id='check-history'>Checks over time</h2>"]
    if not histories:
        parts.append("<p>No check fails or drifts over the runs recorded.</p>")
    else:
        parts.append(
            f"<p>Checks that fail now or drift (outcome or observed number changed) over the last "
            f"{HISTORY_RUNS} runs at most; red dots are failed runs; the line is the number each run "
            "observed (unexpected rows, or the value), on its own scale.</p><table>"
            "<tr><th>check</th><th>table</th><th>now</th><th>runs</th><th>history</th></tr>"
        )
        for h in histories:
            numbers = [number for _, _, number in h.runs]
            failed = [not success for _, success, _ in h.runs]
            state = f"failing ({h.severity})" if h.failing else "passing, drifted"
            parts.append(
                f"<tr class='check-history'><td>{html.escape(h.description)}</td>"
                f"<td>{html.escape(h.table_name)}</td><td>{html.escape(state)}</td><td>{len(h.runs)}</td>"
                f"<td>{sparkline(numbers, failed, h.description)}</td></tr>"
            )
        parts.append("</table>")
    parts.append("<h2 id='source-trends'>Trends per source</h2>")
    if not trends:
        return [*parts, "<p>No publication snapshot in the marts (dq_source_trends is empty).</p>"]
    parts.append(
        "<p>Per kept snapshot, oldest first (mart dq_source_trends). A rising share of records without "
        "addresses or of unmapped countries, or a falling resolution rate, is worth a look.</p><table>"
        "<tr><th>source</th><th>measure</th><th>snapshots</th><th>first</th><th>newest</th><th>trend</th></tr>"
    )
    by_source: dict[str, list[tuple]] = {}
    for row in trends:
        by_source.setdefault(row[0], []).append(row)
    for source, rows in by_source.items():
        for index, (_, title) in enumerate(TREND_MEASURES):
            values = [row[3 + index] for row in rows]
            parts.append(
                f"<tr class='source-trend'><td>{html.escape(source)}</td><td>{html.escape(title)}</td>"
                f"<td>{len(rows)}</td><td>{_percent(values[0])}</td><td>{_percent(values[-1])}</td>"
                f"<td>{sparkline(values, None, f'{source} {title}')}</td></tr>"
            )
    parts.append("</table>")
    return parts
