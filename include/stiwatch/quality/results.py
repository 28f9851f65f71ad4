"""What a validation run found, and its rows in the warehouse table ``dq_results``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

CRITICAL = "critical"
WARNING = "warning"

DQ_RESULTS_DDL = """
create table if not exists dq_results (
    run_id varchar not null,
    suite varchar not null,
    table_name varchar,
    expectation varchar not null,
    description varchar,
    severity varchar not null,
    success boolean not null,
    observed_value varchar,
    run_time timestamp with time zone not null
)
"""


@dataclass(frozen=True)
class Finding:
    """One evaluated expectation: what was checked (in plain words), how bad a failure is, what was seen."""

    suite: str
    table_name: str
    expectation: str
    description: str
    severity: str
    success: bool
    observed_value: str | None


@dataclass(frozen=True)
class QualityResult:
    run_id: str
    run_time: datetime
    findings: tuple[Finding, ...]
    report_paths: dict[str, Path] = field(default_factory=dict)

    @property
    def critical_failures(self) -> list[Finding]:
        return [f for f in self.findings if not f.success and f.severity == CRITICAL]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.success and f.severity != CRITICAL]

    @property
    def passed(self) -> bool:
        return not self.critical_failures


def observed_text(result: dict) -> str | None:
    """A short rendering of what GX saw: the unexpected count and a sample, else the observed value."""
    sample = result.get("partial_unexpected_list") or (result.get("details") or {}).get("unexpected_rows")
    if "unexpected_count" in result:
        count = result["unexpected_count"]
    elif isinstance(result.get("details"), dict) and "unexpected_rows" in result["details"]:
        count = result.get("observed_value")  # UnexpectedRowsExpectation: the number of rows returned
    elif result.get("observed_value") is not None:
        return json.dumps(result["observed_value"], default=str)[:500]
    else:
        return None
    text = f"{count} unexpected"
    if sample:
        text += f", e.g. {json.dumps(list(sample)[:3], default=str)}"
    return text[:500]


def append_dq_results(warehouse_path: Path, result: QualityResult) -> int:
    """Append the run's findings to ``dq_results`` in the warehouse (created when absent).

    The warehouse has one writer at a time: the caller runs after dbt and holds the same Airflow pool
    (``duckdb_writer``), so opening it read-write here cannot clash with dbt.
    """
    rows = [
        (
            result.run_id,
            f.suite,
            f.table_name,
            f.expectation,
            f.description,
            f.severity,
            f.success,
            f.observed_value,
            result.run_time,
        )
        for f in result.findings
    ]
    with duckdb.connect(str(warehouse_path)) as con:
        con.execute(DQ_RESULTS_DDL)
        con.execute("delete from dq_results where run_id = ?", [result.run_id])  # a retried task
        if rows:
            con.executemany("insert into dq_results values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)
