"""Data quality: Great Expectations suites over the lake and the marts, completeness findings, the report.

``validate(settings, run_id)`` runs every suite and writes the report and the run's findings file (dbt
builds ``dq_results`` from it: ``results.build_dq_results``);
``raise_if_critical(result)`` stops a caller (the Airflow task before publishing) on a critical failure.
"""

from stiwatch.quality.gate import QualityGateError, raise_if_critical
from stiwatch.quality.results import Finding, QualityResult
from stiwatch.quality.validate import validate

__all__ = ["Finding", "QualityGateError", "QualityResult", "raise_if_critical", "validate"]
