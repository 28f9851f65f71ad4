"""Task bodies of the ingest DAGs. Plain functions: no Airflow here, so tests and the CLI can call them.

Only ids and paths cross task boundaries (XCom-sized, no local state), so any executor can run them.
Each function reads ``Settings.from_env()`` itself: a worker needs nothing but the environment.
"""

from __future__ import annotations

from typing import Any

from stiwatch.config import Settings


def plan_groups(source: str, force: bool = False) -> list[dict[str, Any]]:
    """Work items ``{source, snapshot_id, paths, bytes}`` of the pending snapshots that can be planned
    (empty: nothing to do). A snapshot that cannot be planned is left out: ``landing_problems`` reports it."""
    from stiwatch import ingest

    settings = Settings.from_env()
    items, _ = ingest.scan(settings, source, force=force)
    return ingest.group(settings, items)


def landing_problems(source: str, force: bool = False) -> list[str]:
    """One message per snapshot folder of the source that cannot be planned (bad name, changed files, a
    refused link, ...): reported in a task of its own, so they never hold back the good snapshots."""
    from stiwatch import landing

    settings = Settings.from_env()
    _, problems = landing.scan_pending(settings.landing_dir, settings.lake_dir, source, force=force)
    return [str(problem) for problem in problems]


def ingest_group(group: dict[str, Any]) -> dict[str, Any]:
    """Parse one work item's files into the lake; return their manifest entries and the snapshot id."""
    from stiwatch import ingest

    return {"snapshot_id": group["snapshot_id"], "entries": ingest.ingest_group(Settings.from_env(), group)}


def snapshot_ids(groups: list[dict[str, Any]]) -> list[str]:
    return sorted({group["snapshot_id"] for group in groups})


def finalize_snapshot(source: str, snapshot_id: str, results: list[dict[str, Any]]) -> str:
    """Write the manifest of one snapshot from its work items' results; return the manifest path."""
    from stiwatch import ingest

    entries = [e for r in results if r["snapshot_id"] == snapshot_id for e in r["entries"]]
    return ingest.finalize(Settings.from_env(), source, snapshot_id, entries)


def pull_openalex(snapshot_id: str, full: bool = False) -> str:
    """Pull works into ``landing/openalex/<snapshot_id>``: a delta of the works updated since the newest
    completed pull or full delivery, or (first pull, or ``full``) every work matching the filter."""
    from stiwatch.sources.openalex.client import pull_incremental

    settings = Settings.from_env()
    return str(pull_incremental(settings, snapshot_id, settings.openalex_filter, full=full))


# --- transform DAG ------------------------------------------------------------------------------


def resolve_institutions() -> str:
    """Resolve the lake's distinct organisation strings to institutions, then the indicator-list entries
    and the ROR hierarchy of the watch list (lake only; dbt reads them)."""
    from stiwatch.indicators.step import prepare_watch_list
    from stiwatch.institutions.resolve import resolve_institutions as resolve

    settings = Settings.from_env()
    matches = resolve(settings)
    prepare_watch_list(settings)
    return str(matches)


def quality_check(run_id: str) -> dict[str, object]:
    """Validate the lake and the marts; warnings are logged, a critical failure fails the task (and so
    blocks publishing: the previous serving release keeps serving)."""
    import logging

    from stiwatch.quality import raise_if_critical, validate

    result = validate(Settings.from_env(), run_id)
    for finding in result.warnings:
        logging.getLogger(__name__).warning(
            "%s: %s (observed: %s)", finding.table_name, finding.description, finding.observed_value
        )
    raise_if_critical(result)
    return {"summary": str(result.report_paths["summary"]), "warnings": len(result.warnings)}


def publish_release() -> str:
    """Publish the marts as a new serving release and switch ``serving/current`` to it."""
    from stiwatch.publish import publish

    return str(publish(Settings.from_env()))


def build_figures_report(release_dir: str) -> str:
    """The figures report of a release (reads only the serving release, never the dbt-written file)."""
    from pathlib import Path

    from stiwatch.report import build_report

    return str(build_report(Settings.from_env(), Path(release_dir)))


def generate_dbt_docs() -> str:
    from stiwatch.dbt_docs import generate_dbt_docs as generate

    return str(generate(Settings.from_env()))
