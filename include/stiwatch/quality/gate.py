"""Stopping a refresh on a critical quality failure (the previously published marts keep serving)."""

from __future__ import annotations

from stiwatch.quality.results import QualityResult


class QualityGateError(RuntimeError):
    """Critical expectations failed: do not publish this refresh."""


def _failure_class() -> type[Exception]:
    # Inside Airflow, AirflowFailException fails the task without retries (a retry cannot fix the data);
    # outside it (CLI, tests) a plain QualityGateError. Imported lazily: airflow is heavy to import.
    try:
        from airflow.sdk.exceptions import AirflowFailException
    except ImportError:
        return QualityGateError
    return type("QualityGateError", (QualityGateError, AirflowFailException), {})


def raise_if_critical(result: QualityResult) -> None:
    """Raise when the run has critical failures, naming each and where the report is; warnings pass."""
    failures = result.critical_failures
    if not failures:
        return
    lines = [f"- {f.table_name}: {f.description} (observed: {f.observed_value})" for f in failures[:20]]
    more = f"\n... and {len(failures) - 20} more" if len(failures) > 20 else ""
    summary = result.report_paths.get("summary")
    raise _failure_class()(
        f"{len(failures)} critical data-quality check(s) failed in run {result.run_id}; the refresh is not "
        f"published (the previous release keeps serving). Fix the data or the snapshot, then refresh again.\n"
        + "\n".join(lines)
        + more
        + (f"\nReport: {summary}" if summary else "")
    )
