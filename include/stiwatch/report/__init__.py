"""The figures report: a static HTML page of the brief's figures from a serving release."""

from stiwatch.report.build import build_report, figures_dir

__all__ = ["build_report", "figures_dir"]
