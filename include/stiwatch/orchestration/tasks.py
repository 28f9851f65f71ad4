"""Task bodies of the ingest DAGs. Plain functions: no Airflow here, so tests and the CLI can call them.

Only ids and paths cross task boundaries (XCom-sized, no local state), so any executor can run them.
Each function reads ``Settings.from_env()`` itself: a worker needs nothing but the environment.
"""

from __future__ import annotations

from typing import Any

from stiwatch.config import Settings


def plan_files(source: str, force: bool = False) -> list[dict[str, str]]:
    """One work item per data file of every pending snapshot (empty: nothing to do)."""
    from stiwatch import ingest

    return ingest.plan(Settings.from_env(), source, force=force)


def ingest_one(item: dict[str, str]) -> dict[str, Any]:
    """Parse one landing file into the lake; return its manifest entry tagged with its snapshot id."""
    from stiwatch import ingest

    entry = ingest.ingest_file(Settings.from_env(), item["source"], item["snapshot_id"], item["path"])
    return {"snapshot_id": item["snapshot_id"], "entry": entry}


def snapshot_ids(items: list[dict[str, str]]) -> list[str]:
    return sorted({item["snapshot_id"] for item in items})


def finalize_snapshot(source: str, snapshot_id: str, results: list[dict[str, Any]]) -> str:
    """Write the manifest of one snapshot from its files' results; return the manifest path."""
    from stiwatch import ingest

    entries = [r["entry"] for r in results if r["snapshot_id"] == snapshot_id]
    return ingest.finalize(Settings.from_env(), source, snapshot_id, entries)


def pull_openalex(snapshot_id: str) -> str:
    """Pull works updated since the newest completed pull into ``landing/openalex/<snapshot_id>``."""
    from stiwatch.sources.openalex.client import pull_incremental

    settings = Settings.from_env()
    return str(pull_incremental(settings, snapshot_id, settings.openalex_filter))


# --- transform DAG ------------------------------------------------------------------------------


def resolve_institutions() -> str:
    """Resolve the lake's distinct organisation strings to institutions (lake only; dbt reads it)."""
    from stiwatch.institutions.resolve import resolve_institutions as resolve

    return str(resolve(Settings.from_env()))


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
    from stiwatch.publish import generate_dbt_docs as generate

    return str(generate(Settings.from_env()))
