"""The ``stiwatch`` command line: set up, generate demo data, refresh through Airflow, inspect.

    stiwatch setup                      data folders, Airflow metadata DB, the duckdb_writer pool
    stiwatch demo [--records N] [--seed N] [--openalex-delta]
    stiwatch refresh [--full-rebuild]   ingest DAGs then the transform DAG, through Airflow; prints a summary
    stiwatch ingest <source> [--force]  ingest directly, without Airflow (debugging)
    stiwatch pull-openalex <snapshot_id> [--max-pages N] [--full]
                                        pull works updated since the last pull from the OpenAlex API
    stiwatch verify [source] [snapshot] re-hash ingested files against their manifests (exit 1: changed)
    stiwatch accept <source> <snapshot> approve a state the plausibility gate held back (a real drop)
    stiwatch retract <source> <snapshot> --why TEXT
                                        withdraw a published delivery; the next refresh recomputes without it
    stiwatch resolve-institutions       resolve organisation strings to institutions (before dbt)
    stiwatch quality [--run-id ID]      Great Expectations checks and the quality report (exit 1: critical)
    stiwatch publish                    quality gate, then a new serving release and the figures report
    stiwatch report                     rebuild the figures report of the current serving release
    stiwatch changes [--since RELEASE]  what changed in the current release (against RELEASE: a kept one)
    stiwatch dbt-docs                   generate the dbt docs into the reports folder
    stiwatch ror-report [args...]       ROR matching precision and recall, development and test parts
    stiwatch summary                    the marts at a glance (warehouse opened read-only)
    stiwatch airflow <args...>          the airflow CLI with the embedded environment

Expected errors (bad input data: ``stiwatch.errors.DataError``; a failed DAG run, a missing warehouse, a
failed quality gate) print one line and exit 1; anything else is a bug and shows its traceback.
``--verbose`` logs at DEBUG level and shows the traceback of expected errors too.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Sequence

from stiwatch import airflow_env
from stiwatch.config import SOURCES, Settings
from stiwatch.demo import DEFAULT_RECORDS, DEFAULT_SEED

log = logging.getLogger("stiwatch")


def _cmd_setup(settings: Settings, _: argparse.Namespace) -> None:
    from stiwatch.orchestration.setup import setup

    setup(settings)
    print(f"ready: data in {settings.data_dir}, Airflow home {os.environ['AIRFLOW_HOME']}")


def _cmd_demo(settings: Settings, args: argparse.Namespace) -> None:
    from stiwatch.demo import generate, generate_openalex_delta
    from stiwatch.demo.indicators import write_demo_lists

    if args.openalex_delta:  # a later delivery, for a second refresh (its changelog: a new OpenAlex state)
        snapshots = [generate_openalex_delta(settings.landing_dir, records=args.records, seed=args.seed)]
    else:
        snapshots = [*generate(settings.landing_dir, records=args.records, seed=args.seed)]
        snapshots.extend(write_demo_lists(settings.landing_dir))
    for snap in snapshots:
        state = "written" if snap.created else "exists, left unchanged (delete it to regenerate)"
        print(f"demo {snap.source}: {snap.path} {state}")


def _cmd_refresh(settings: Settings, args: argparse.Namespace) -> None:
    from stiwatch.orchestration.refresh import NOTHING_NEW, TRANSFORM_DAG, refresh
    from stiwatch.summary import summarize

    started = time.monotonic()
    results = refresh(settings, full_rebuild=args.full_rebuild)
    for result in results:
        print(f"{result.dag_id}: ok in {result.seconds:.1f}s")
    if all(result.dag_id != TRANSFORM_DAG for result in results):
        print(NOTHING_NEW)
    print(summarize(settings))
    print(f"\nrefresh took {time.monotonic() - started:.1f}s")


def _cmd_ingest(settings: Settings, args: argparse.Namespace) -> None:
    from stiwatch.ingest import duplicate_warning, identical_to, ingest_source

    published = ingest_source(settings, args.source, force=args.force)
    print(
        f"{args.source}: published {', '.join(published) if published else 'nothing (no pending snapshots)'}"
    )
    for snapshot_id in published:
        twin = identical_to(settings, args.source, snapshot_id)
        if twin is not None:
            print(duplicate_warning(args.source, snapshot_id, twin), file=sys.stderr)


def _cmd_pull_openalex(settings: Settings, args: argparse.Namespace) -> None:
    from stiwatch.sources.openalex.client import pull_incremental

    folder = pull_incremental(
        settings, args.snapshot_id, settings.openalex_filter, args.max_pages, full=args.full
    )
    print(f"openalex pull: {folder} (ingested by the next refresh once complete)")


def _cmd_verify(settings: Settings, args: argparse.Namespace) -> None:
    from stiwatch.verify import SnapshotDifferencesError, verify

    report = verify(settings, args.source, args.snapshot_id)
    for line in report.differences:
        print(line)
    print(
        f"verify: {report.files_checked} files in {len(report.snapshots)} snapshot(s) re-hashed, "
        f"{len(report.differences)} differences"
    )
    if report.differences:
        raise SnapshotDifferencesError(f"{len(report.differences)} landed files differ from their manifests")


def _cmd_accept(settings: Settings, args: argparse.Namespace) -> None:
    from stiwatch.review import accept

    verdict = accept(settings.lake_dir, args.source, args.snapshot_id, by=args.by)
    print(
        f"accepted {args.source}/{args.snapshot_id} (by {verdict['by']} at {verdict['at']}): the next "
        "`stiwatch refresh` lets it through the plausibility gate"
    )


def _cmd_retract(settings: Settings, args: argparse.Namespace) -> None:
    from stiwatch.review import retract

    verdict = retract(settings.lake_dir, args.source, args.snapshot_id, args.why, by=args.by)
    print(
        f"retracted {args.source}/{args.snapshot_id} (by {verdict['by']} at {verdict['at']}: "
        f"{verdict['why']}); "
        "its files stay in the lake, marked retracted. The next `stiwatch refresh` recomputes without it; "
        "it is never ingested again (land a corrected delivery under a new snapshot id)"
    )


def _cmd_resolve_institutions(settings: Settings, _: argparse.Namespace) -> None:
    from stiwatch.indicators.step import prepare_watch_list
    from stiwatch.institutions.resolve import resolve_institutions

    print(f"institutions: {resolve_institutions(settings)}")
    hierarchy, entries = prepare_watch_list(settings)
    print(f"organisation hierarchy: {hierarchy}\nindicator-list entries: {entries}")


def _quality_gate(settings: Settings, run_id: str | None) -> None:
    """Run the checks, have dbt bring the findings into ``dq_results`` (as the transform DAG's
    ``dbt_build_dq_results`` does) and print the counts; a critical failure then raises (so nothing gets
    published, but the failed run is recorded)."""
    from datetime import UTC, datetime

    from stiwatch.quality import raise_if_critical, validate
    from stiwatch.quality.results import build_dq_results
    from stiwatch.warehouse_reader import warehouse

    result = validate(settings, run_id or f"cli-{datetime.now(UTC):%Y%m%dT%H%M%SZ}")
    if warehouse(settings).built:  # before the first dbt build only the lake was validated
        build_dq_results(settings)
    print(
        f"quality: {len(result.findings)} checks, {len(result.critical_failures)} critical failures, "
        f"{len(result.warnings)} warnings -> {result.report_paths['summary']}"
    )
    raise_if_critical(result)


def _cmd_quality(settings: Settings, args: argparse.Namespace) -> None:
    _quality_gate(settings, args.run_id)


def _cmd_publish(settings: Settings, _: argparse.Namespace) -> None:
    from stiwatch.publish import publish
    from stiwatch.report import build_report

    _quality_gate(settings, run_id=None)  # the same gate as the transform DAG: never publish bad marts
    release = publish(settings)
    print(f"serving release: {release}")
    print(f"figures report: {build_report(settings, release)}")


def _cmd_report(settings: Settings, _: argparse.Namespace) -> None:
    from stiwatch.publish import PublishError, current_release
    from stiwatch.report import build_report

    release = current_release(settings)
    if release is None:
        raise PublishError(
            f"no serving release under {settings.data_dir / 'serving'}; run `stiwatch publish`"
        )
    print(f"figures report: {build_report(settings, release)}")


def _cmd_changes(settings: Settings, args: argparse.Namespace) -> None:
    from stiwatch.publish import PublishError, current_release
    from stiwatch.publish.changes import CHANGES_FILE, Thresholds, compare_releases, format_changes
    from stiwatch.publish.layout import releases_dir

    release = current_release(settings)
    if release is None:
        raise PublishError(
            f"no serving release under {settings.data_dir / 'serving'}; run `stiwatch publish`"
        )
    if args.since:
        since = releases_dir(settings) / args.since
        if not (since / "release.json").exists():
            kept = sorted(p.name for p in releases_dir(settings).iterdir() if not p.name.startswith("."))
            raise PublishError(f"{since}: no such release; kept releases: {', '.join(kept)}")
        summary = compare_releases(release, since, Thresholds.from_settings(settings))
    else:
        path = release / CHANGES_FILE
        if not path.exists():
            raise PublishError(f"{path}: release built before changelogs; publish again (stiwatch publish)")
        summary = json.loads(path.read_text(encoding="utf-8"))
    print(format_changes(summary))


def _cmd_dbt_docs(settings: Settings, _: argparse.Namespace) -> None:
    from stiwatch.dbt_docs import generate_dbt_docs

    print(f"dbt docs: {generate_dbt_docs(settings)}")


def _cmd_ror_report(settings: Settings, args: argparse.Namespace) -> None:
    from stiwatch.institutions.report import run

    run(args, settings)


def _cmd_summary(settings: Settings, _: argparse.Namespace) -> None:
    from stiwatch.summary import summarize

    print(summarize(settings))


def _cmd_airflow(_: Settings, args: argparse.Namespace) -> None:
    from stiwatch.executables import venv_executable

    airflow = venv_executable("airflow")
    os.execvpe(airflow, [airflow, *args.airflow_args], os.environ)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stiwatch", description=__doc__.splitlines()[0])
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="debug logging, and the traceback of every error"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup", help="create data folders, the Airflow DB and pool").set_defaults(run=_cmd_setup)
    demo = sub.add_parser("demo", help="write deterministic demo snapshots into the landing zone")
    demo.add_argument(
        "--records", type=int, default=DEFAULT_RECORDS, help=f"unique records per source ({DEFAULT_RECORDS})"
    )
    demo.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (same seed, same bytes)")
    demo.add_argument(
        "--openalex-delta",
        action="store_true",
        help="write only the OpenAlex delta on top of the demo snapshot (a second delivery to refresh)",
    )
    demo.set_defaults(run=_cmd_demo)
    refresh = sub.add_parser("refresh", help="run the ingest and transform DAGs through Airflow")
    refresh.add_argument(
        "--full-rebuild",
        action="store_true",
        help="transform even if nothing is new, rebuilding every snapshot state (dbt --full-refresh)",
    )
    refresh.set_defaults(run=_cmd_refresh)
    ingest = sub.add_parser("ingest", help="ingest one source directly, without Airflow")
    ingest.add_argument("source", choices=SOURCES)
    ingest.add_argument(
        "--force", action="store_true", help="re-ingest snapshots that already have a manifest"
    )
    ingest.set_defaults(run=_cmd_ingest)
    pull = sub.add_parser("pull-openalex", help="pull works from the OpenAlex API into the landing zone")
    pull.add_argument("snapshot_id", help="landing folder name, e.g. 2026-11-29_api (re-run to resume)")
    pull.add_argument("--max-pages", type=int, default=None, help="stop after N pages (resumable)")
    pull.add_argument(
        "--full",
        action="store_true",
        help="pull every work as a new full base, not a delta since the last pull",
    )
    pull.set_defaults(run=_cmd_pull_openalex)
    verify = sub.add_parser("verify", help="re-hash ingested landing files and report every difference")
    verify.add_argument("source", nargs="?", choices=SOURCES, help="only this source")
    verify.add_argument("snapshot_id", nargs="?", help="only this snapshot of the source")
    verify.set_defaults(run=_cmd_verify)
    accept = sub.add_parser("accept", help="approve a snapshot the plausibility gate held back (a real drop)")
    accept.add_argument("source", choices=SOURCES)
    accept.add_argument("snapshot_id")
    accept.add_argument("--by", default=None, help="who approves (default: the login name)")
    accept.set_defaults(run=_cmd_accept)
    retract = sub.add_parser(
        "retract", help="withdraw a published snapshot (kept on disk); the next refresh recomputes without it"
    )
    retract.add_argument("source", choices=SOURCES)
    retract.add_argument("snapshot_id")
    retract.add_argument("--why", required=True, help="why it is withdrawn (recorded in its manifest)")
    retract.add_argument("--by", default=None, help="who withdraws it (default: the login name)")
    retract.set_defaults(run=_cmd_retract)
    quality = sub.add_parser("quality", help="run the data-quality checks and write the quality report")
    quality.add_argument("--run-id", default=None, help="id recorded in dq_results (default: cli-<time>)")
    quality.set_defaults(run=_cmd_quality)
    for name, run, text in (
        ("resolve-institutions", _cmd_resolve_institutions, "resolve organisation strings to institutions"),
        ("publish", _cmd_publish, "quality gate, then a serving release and the figures report"),
        ("report", _cmd_report, "rebuild the figures report of the current serving release"),
        ("dbt-docs", _cmd_dbt_docs, "generate the dbt docs into the reports folder"),
    ):
        sub.add_parser(name, help=text).set_defaults(run=run)
    changes = sub.add_parser("changes", help="what changed in the current release against the previous one")
    changes.add_argument("--since", default=None, help="compare with this kept release id instead")
    changes.set_defaults(run=_cmd_changes)
    from stiwatch.institutions.report import add_arguments as add_ror_report_arguments

    ror = sub.add_parser("ror-report", help="ROR matching precision/recall, development and test parts")
    add_ror_report_arguments(ror).set_defaults(run=_cmd_ror_report)
    sub.add_parser("summary", help="print the marts at a glance").set_defaults(run=_cmd_summary)
    passthrough = sub.add_parser("airflow", help="run the airflow CLI with the embedded environment")
    passthrough.add_argument("airflow_args", nargs=argparse.REMAINDER)
    passthrough.set_defaults(run=_cmd_airflow)
    return parser


def _expected_errors() -> tuple[type[BaseException], ...]:
    """Errors that say what to do, not bugs: bad input data (the ``DataError`` family), a failed DAG run,
    a missing warehouse or release, a failed quality gate, a failed API pull. Printed as one line; any
    other exception is a bug and keeps its traceback."""
    from stiwatch.errors import DataError, StorageError
    from stiwatch.orchestration.refresh import DagRunFailedError
    from stiwatch.publish import PublishError
    from stiwatch.quality.gate import QualityGateError
    from stiwatch.sources.openalex.client import OpenAlexPullError
    from stiwatch.warehouse_lock import WarehouseLockedError
    from stiwatch.warehouse_reader import WarehouseMissingError

    return (
        DataError,
        StorageError,
        DagRunFailedError,
        WarehouseMissingError,
        PublishError,
        QualityGateError,
        OpenAlexPullError,
        WarehouseLockedError,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, format="%(message)s")
    os.environ.update(airflow_env.embedded_env())
    try:
        args.run(Settings.from_env(), args)
    except _expected_errors() as exc:
        if args.verbose:
            raise
        print(f"stiwatch {args.command}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
