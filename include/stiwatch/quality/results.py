"""What a validation run found, and its one Parquet file of findings, which dbt reads into ``dq_results``.

The quality step never opens the warehouse read-write (dbt is its only writer): it writes
``$STIWATCH_DATA_DIR/quality/results/<run>-<hash>.parquet`` (source ``quality.results``), and
``build_dq_results`` has dbt rebuild the model ``dq_results`` from every run's file.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from stiwatch.atomic_io import atomic_path
from stiwatch.config import DQ_RESULTS_SELECTION, Settings

CRITICAL = "critical"
WARNING = "warning"

# The columns of source quality.results (dbt/models/staging/quality/_quality__sources.yml).
RESULTS_SCHEMA = pa.schema(
    [
        ("run_id", pa.string()),
        ("suite", pa.string()),
        ("table_name", pa.string()),
        ("expectation", pa.string()),
        ("description", pa.string()),
        ("severity", pa.string()),
        ("success", pa.bool_()),
        ("observed_value", pa.string()),
        ("run_time", pa.timestamp("us", tz="UTC")),
    ]
)
_UNSAFE_IN_FOLDER = re.compile(r"[^A-Za-z0-9_.-]")


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


def results_path(settings: Settings, run_id: str) -> Path:
    """The run's file. Airflow run ids hold ``:`` and ``+``: the name keeps the safe characters and a
    hash of the whole id, so two runs never share a file; the exact id is the ``run_id`` column. No
    ``run_id=`` folder: dbt reads with hive partitioning, and a path value would override the column."""
    digest = hashlib.sha256(run_id.encode("utf-8")).hexdigest()[:8]
    return settings.quality_results_dir / f"{_UNSAFE_IN_FOLDER.sub('_', run_id)}-{digest}.parquet"


def write_results(settings: Settings, result: QualityResult) -> Path:
    """Write the run's findings (atomically; a retried run replaces its own file); return the path."""
    rows = [
        {
            "run_id": result.run_id,
            "suite": f.suite,
            "table_name": f.table_name,
            "expectation": f.expectation,
            "description": f.description,
            "severity": f.severity,
            "success": f.success,
            "observed_value": f.observed_value,
            "run_time": result.run_time,
        }
        for f in result.findings
    ]
    path = results_path(settings, result.run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as temporary:
        pq.write_table(pa.Table.from_pylist(rows, schema=RESULTS_SCHEMA), temporary)
    return path


def build_dq_results(settings: Settings) -> None:
    """Have dbt rebuild ``dq_results`` from every run's file (the CLI; the transform DAG runs the same
    selection through Cosmos). Call it after ``write_results``, before publishing."""
    from stiwatch.dbt_runner import run_dbt

    run_dbt(settings, "build", "--select", DQ_RESULTS_SELECTION)
