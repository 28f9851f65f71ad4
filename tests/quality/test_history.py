"""Quality over time on the summary page: check histories from the findings files, source trends from
dq_source_trends. Findings are planted by hand (no dbt, no GX): three runs in which one check starts
failing, one drifts while passing and one stays the same."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from stiwatch.config import Settings
from stiwatch.quality.history import check_histories, source_trends
from stiwatch.quality.results import Finding, QualityResult, write_results
from stiwatch.quality.summary import write_summary

START = datetime(2026, 11, 1, tzinfo=UTC)


def run(index: int, stable: bool, failing: bool, drifting: str | None) -> QualityResult:
    findings = (
        Finding("mart__a", "a", "unexpected_rows_expectation", "stable check", "warning", stable, None),
        Finding("mart__b", "b", "unexpected_rows_expectation", "thin years", "warning", failing,
                None if failing else "3 unexpected"),
        Finding("mart__c", "c", "unexpected_rows_expectation", "drifting count", "warning", True, drifting),
    )  # fmt: skip
    return QualityResult(f"run-{index}", START + timedelta(days=index), findings)


def test_failing_and_drifting_checks_have_their_history(settings: Settings) -> None:
    write_results(settings, run(1, True, True, "2 rows"))
    write_results(settings, run(2, True, True, "2 rows"))
    current = run(3, True, False, "5 rows")  # reported before its own file is written, as validate() does

    histories = {h.description: h for h in check_histories(settings, current)}

    assert set(histories) == {"thin years", "drifting count"}  # the stable check is left out
    thin = histories["thin years"]
    assert thin.failing and [r[1] for r in thin.runs] == [True, True, False]
    assert [r[2] for r in thin.runs] == [None, None, 3.0]
    drift = histories["drifting count"]
    assert not drift.failing and drift.drifting and [r[2] for r in drift.runs] == [2.0, 2.0, 5.0]

    page = write_summary(settings, current, []).read_text(encoding="utf-8")
    rows = re.findall(r"<tr class='check-history'>.*?</tr>", page)
    assert len(rows) == 2
    thin_row = next(row for row in rows if "thin years" in row)
    assert "failing (warning)" in thin_row
    assert re.findall(r"data-failed='(\w+)'", thin_row) == ["false", "false", "true"]


def test_source_trends_per_snapshot(tmp_path: Path) -> None:
    database = tmp_path / "validation.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("create table dq_results (x integer)")
    assert source_trends(database) == []  # no mart: no trend, no error
    with duckdb.connect(str(database)) as con:
        con.execute(
            "create table dq_source_trends as select * from (values "
            "('wos', 'b', date '2025-03-01', 0.10, 0.02, 0.7), "
            "('wos', 'a', date '2024-01-10', 0.05, 0.01, 0.6)"
            ") t(source, snapshot_id, snapshot_as_of, share_without_addresses, share_unmapped_countries, "
            "resolution_rate)"
        )
    trends = source_trends(database)
    assert [row[1] for row in trends] == ["a", "b"]  # oldest first
    settings = Settings(data_dir=tmp_path / "data", warehouse_path=tmp_path / "data" / "w.duckdb")
    page = write_summary(settings, QualityResult("r", START, ()), [], trends).read_text(encoding="utf-8")
    rows = re.findall(r"<tr class='source-trend'>.*?</tr>", page)
    assert len(rows) == 3
    assert "<td>records without addresses</td><td>2</td><td>5.0%</td><td>10.0%</td>" in rows[0]
