"""What the quality report says about bad deliveries: states the plausibility gate holds back, records in
quarantine (dbt marts ``dq_state_plausibility`` and ``dq_quarantine``; README "When a delivery is bad").

Read from the validation database (copies of the marts) before GX opens it; rendered on summary.html.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

# Quarantined records listed one by one on the page (all are in dq_quarantine).
LISTED_RECORDS = 50


@dataclass(frozen=True)
class DeliveryFindings:
    # (source, snapshot_id, is_held, gate_note) of every state the gate held back or a person accepted
    gated: list[tuple] = field(default_factory=list)
    # (source, snapshot_id, rule, records)
    quarantine_counts: list[tuple] = field(default_factory=list)
    # (source, snapshot_id, source_file, record_seq, record_id, rule, detail)
    quarantined: list[tuple] = field(default_factory=list)

    @property
    def held(self) -> list[tuple]:
        return [row for row in self.gated if row[2]]


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        con.execute("select count(*) from duckdb_tables() where table_name = ?", [name]).fetchone()[0]
    )


def read_delivery_findings(database: Path) -> DeliveryFindings:
    with duckdb.connect(str(database), read_only=True) as con:
        gated, counts, quarantined = [], [], []
        if _has_table(con, "dq_state_plausibility"):
            gated = con.execute(
                "select source, snapshot_id, is_held, gate_note from dq_state_plausibility "
                "where gate_note <> 'plausible' order by source, snapshot_as_of, snapshot_id"
            ).fetchall()
        if _has_table(con, "dq_quarantine"):
            counts = con.execute(
                "select source, snapshot_id, rule, count(*) from dq_quarantine "
                "group by all order by source, snapshot_id, rule"
            ).fetchall()
            quarantined = con.execute(
                "select source, snapshot_id, source_file, record_seq, record_id, rule, detail "
                "from dq_quarantine order by source, snapshot_id, source_file, record_seq, rule "
                f"limit {LISTED_RECORDS}"
            ).fetchall()
    return DeliveryFindings(gated, counts, quarantined)


def _cells(row: tuple) -> str:
    return "".join(f"<td>{html.escape('' if value is None else str(value))}</td>" for value in row)


def delivery_sections(findings: DeliveryFindings) -> list[str]:
    """The HTML sections "Deliveries held back" and "Quarantined records"."""
    parts = ["<h2>Deliveries held back</h2>"]
    if not findings.gated:
        parts.append("<p>Every new delivery is plausible against the state it replaces.</p>")
    else:
        parts.append(
            "<p>A <b class='critical'>critical</b> finding per delivery: a state with no records, or with a "
            "drop beyond the <code>STIWATCH_GATE_*</code> settings, is not current and not published; the "
            "state it would have replaced keeps serving. Approve a real drop with <code>stiwatch accept "
            "&lt;source&gt; &lt;snapshot&gt;</code>, withdraw a bad delivery with <code>stiwatch retract"
            "</code>.</p><table><tr><th>source</th><th>snapshot</th><th>verdict</th></tr>"
        )
        for source, snapshot, is_held, note in findings.gated:
            css = "critical" if is_held else "warning"
            parts.append(f"<tr class='{css}'>{_cells((source, snapshot, note))}</tr>")
        parts.append("</table>")
    parts.append("<h2>Quarantined records</h2>")
    if not findings.quarantine_counts:
        return [*parts, "<p>No record is quarantined.</p>"]
    total = sum(row[3] for row in findings.quarantine_counts)
    parts.append(
        f"<p>{total} record(s) fail a record-level rule and are kept out of the marts (every other record "
        "counts): <code>implausible_year</code>, <code>missing_id</code>, "
        "<code>conflicting_duplicate</code>. "
        "All are in the table <code>dq_quarantine</code>.</p>"
        "<table><tr><th>source</th><th>snapshot</th><th>rule</th><th>records</th></tr>"
    )
    parts.extend(f"<tr>{_cells(row)}</tr>" for row in findings.quarantine_counts)
    parts.append("</table>")
    if findings.quarantined:
        shown = len(findings.quarantined)
        parts.append(
            f"<p>The first {shown}:</p><table><tr><th>source</th><th>snapshot</th><th>file</th>"
            "<th>record</th><th>id</th><th>rule</th><th>detail</th></tr>"
        )
        parts.extend(f"<tr>{_cells(row)}</tr>" for row in findings.quarantined)
        parts.append("</table>")
    return parts
