"""One validation run: lake + marts through Great Expectations, then the report and the findings file."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

from stiwatch.config import Settings
from stiwatch.quality.batches import build_validation_database
from stiwatch.quality.context import DATA_DOCS_SITE, open_context, quality_dir, report_dir
from stiwatch.quality.delivery_findings import read_delivery_findings
from stiwatch.quality.history import source_trends
from stiwatch.quality.results import Finding, QualityResult, observed_text, write_results
from stiwatch.quality.suites import SuiteSpec, lake_suites, mart_suites
from stiwatch.quality.summary import flagged_years, write_summary

log = logging.getLogger(__name__)
DATASOURCE = "stiwatch_validation"


def evaluation_error(exception_info: dict) -> str | None:
    """GX's error message when an expectation or one of its metrics raised (both shapes GX reports)."""
    if exception_info.get("raised_exception"):
        return str(exception_info.get("exception_message"))
    for value in exception_info.values():
        if isinstance(value, dict) and value.get("exception_message"):
            return str(value["exception_message"])
    return None


def _run_checkpoint(settings: Settings, specs: list[SuiteSpec], database: str, run_id: str) -> list[Finding]:
    import great_expectations as gx

    context = open_context(settings)
    datasource = context.data_sources.add_sql(DATASOURCE, connection_string=f"duckdb:///{database}")
    definitions = []
    table_of_suite = {}
    for spec in specs:
        asset = datasource.add_table_asset(spec.table, table_name=spec.table)
        batch = asset.add_batch_definition_whole_table("whole_table")
        suite = context.suites.add(gx.ExpectationSuite(name=spec.name, expectations=list(spec.expectations)))
        definitions.append(
            context.validation_definitions.add(
                gx.ValidationDefinition(name=spec.name, data=batch, suite=suite)
            )
        )
        table_of_suite[spec.name] = spec.table
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(name="stiwatch_quality", validation_definitions=definitions)
    )
    run = checkpoint.run(run_id=gx.RunIdentifier(run_name=run_id))
    # Once, over the run's stored results (the context is fresh: open_context), not as the checkpoint's
    # UpdateDataDocsAction: that rebuilds the site and its index once per suite (over half the check).
    context.build_data_docs(site_names=[DATA_DOCS_SITE])
    findings = []
    for validation in run.run_results.values():
        suite_name = validation.suite_name
        for outcome in validation.results:
            config = outcome.expectation_config
            error = evaluation_error(outcome.exception_info or {})
            observed = observed_text(outcome.result or {})
            if error:  # an expectation that could not be evaluated is a failure, never a silent pass
                observed = f"could not evaluate: {error}"[:500]
            findings.append(
                Finding(
                    suite=suite_name,
                    table_name=table_of_suite[suite_name],
                    expectation=config.type,
                    description=config.description or config.type,
                    severity=str(
                        config.severity.value if hasattr(config.severity, "value") else config.severity
                    ),
                    success=bool(outcome.success) and not error,
                    observed_value=observed,
                )
            )
    return findings


def validate(settings: Settings, run_id: str) -> QualityResult:
    """Validate the lake and the marts, write the Data Docs, the summary page and the findings file.

    Warnings never raise; call ``raise_if_critical(result)`` to stop on critical failures. Run it after dbt;
    it only reads the warehouse (attached read-only). The findings reach the warehouse table
    ``dq_results`` when dbt next builds it (``results.build_dq_results``).
    """
    started = time.monotonic()
    run_time = datetime.now(UTC)
    database = quality_dir(settings) / "validation.duckdb"
    tables = build_validation_database(settings, database)
    # Read before GX opens the file: DuckDB refuses a second, differently configured connection to it.
    flagged = flagged_years(database)
    trends = source_trends(database)
    deliveries = read_delivery_findings(database)
    for source, snapshot_id, _, note in deliveries.held:
        log.warning("plausibility gate: %s/%s %s", source, snapshot_id, note)
    specs = lake_suites(tables.lake_tables) + mart_suites(settings, tables.warehouse_tables)
    findings = _run_checkpoint(settings, specs, str(database), run_id) if specs else []
    result = QualityResult(run_id=run_id, run_time=run_time, findings=tuple(findings))
    paths = {"data_docs": report_dir(settings) / "index.html"}
    paths["summary"] = write_summary(settings, result, flagged, trends, deliveries)
    paths["results"] = write_results(settings, result)
    result = QualityResult(run_id, run_time, tuple(findings), paths)
    log.info(
        "quality run %s: %d checks, %d critical failures, %d warnings in %.1f s; report %s",
        run_id, len(findings), len(result.critical_failures), len(result.warnings),
        time.monotonic() - started, paths["summary"],
    )  # fmt: skip
    return result
