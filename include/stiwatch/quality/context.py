"""The Great Expectations file context of a run.

The GX project configuration is kept in git (expectations/gx/great_expectations.yml); the suites are code
(suites.py). A run copies that configuration into ``$STIWATCH_DATA_DIR/quality/gx`` and works there, so
the generated stores (suites with fresh ids, validation results) never dirty the repository; Data Docs go
to ``$STIWATCH_DATA_DIR/reports/quality``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from stiwatch.config import PROJECT_ROOT, Settings
from stiwatch.quality.gx_duckdb import register_duckdb_dialect

if TYPE_CHECKING:
    from great_expectations.data_context import FileDataContext

GX_PROJECT_CONFIG = PROJECT_ROOT / "expectations" / "gx" / "great_expectations.yml"
DATA_DOCS_SITE = "quality_report"


def quality_dir(settings: Settings) -> Path:
    return settings.data_dir / "quality"


def report_dir(settings: Settings) -> Path:
    return settings.reports_dir / "quality"


def open_context(settings: Settings) -> FileDataContext:
    """A file context over a fresh copy of the project config; Data Docs go to the report dir."""
    import great_expectations as gx

    register_duckdb_dialect()
    root = quality_dir(settings) / "gx"
    if root.exists():
        shutil.rmtree(root)  # stores of earlier runs: results live in dq_results, docs in the report dir
    root.mkdir(parents=True)
    shutil.copyfile(GX_PROJECT_CONFIG, root / "great_expectations.yml")
    context = gx.get_context(mode="file", project_root_dir=str(quality_dir(settings)))
    site = {
        "class_name": "SiteBuilder",
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        "store_backend": {
            "class_name": "TupleFilesystemStoreBackend",
            "base_directory": str(report_dir(settings)),
        },
    }
    if DATA_DOCS_SITE in context.get_config().data_docs_sites:
        context.update_data_docs_site(DATA_DOCS_SITE, site)
    else:
        context.add_data_docs_site(DATA_DOCS_SITE, site)
    return context
