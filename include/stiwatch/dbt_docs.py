"""dbt docs for the report server: ``reports/dbt-docs/`` with a self-contained ``index.html``.

``dbt docs generate --static`` writes ``static_index.html`` with the manifest and catalog inlined, which a
plain web server (or a file:// URL) can show without fetching JSON; it is published as ``index.html``,
next to the regular manifest.json and catalog.json for tools that read them.
Runs ``dbt`` against the warehouse (it reads the catalog from it), so schedule it where the warehouse
writers run (the ``duckdb_writer`` pool), after the transform.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from stiwatch.config import Settings
from stiwatch.dbt_runner import run_dbt
from stiwatch.publish.switch import replace_directory

PUBLISHED_FILES = {
    "static_index.html": "index.html",
    "manifest.json": "manifest.json",
    "catalog.json": "catalog.json",
}


def dbt_docs_dir(settings: Settings) -> Path:
    return settings.reports_dir / "dbt-docs"


def docs_target_dir(settings: Settings) -> Path:
    """dbt's target for docs runs: kept between runs, so its partial-parse file spares the next run a full
    parse of the project (about 5 s), as for the builds; only this task writes it (the writer pool)."""
    return settings.dbt_state_dir / "docs-target"


def generate_dbt_docs(settings: Settings) -> Path:
    """Generate dbt docs into their target, then swap copies into ``reports/dbt-docs/``; return it."""
    final = dbt_docs_dir(settings)
    final.parent.mkdir(parents=True, exist_ok=True)
    target = docs_target_dir(settings)
    for produced in PUBLISHED_FILES:
        (target / produced).unlink(missing_ok=True)  # a file dbt did not write this time is not published
    run_dbt(settings, "docs", "generate", "--static", "--target-path", str(target))
    staged = Path(tempfile.mkdtemp(prefix=".dbt-docs.new-", dir=final.parent))
    try:
        for produced, published in PUBLISHED_FILES.items():
            source = target / produced
            if not source.exists():
                raise FileNotFoundError(
                    f"{source}: `dbt docs generate --static` did not write it; check the dbt version"
                )
            shutil.copyfile(source, staged / published)
        staged.chmod(0o755)
        replace_directory(staged, final)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return final
