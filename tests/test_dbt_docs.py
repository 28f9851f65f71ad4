"""dbt docs: a self-contained page swapped into reports/dbt-docs/ (runs the real dbt, about 20 s)."""

from __future__ import annotations

import json

import pytest

from stiwatch.config import Settings
from stiwatch.dbt_docs import generate_dbt_docs


@pytest.mark.slow
def test_dbt_docs_replace_the_previous_ones(settings: Settings) -> None:
    stale = settings.reports_dir / "dbt-docs" / "stale.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("from an older refresh")

    docs = generate_dbt_docs(settings)

    assert sorted(p.name for p in docs.iterdir()) == ["catalog.json", "index.html", "manifest.json"]
    manifest = json.loads((docs / "manifest.json").read_text())
    assert "model.stiwatch.fct_region_pair_output" in manifest["nodes"]
    page = (docs / "index.html").read_text()
    assert "fct_region_pair_output" in page  # --static inlines the manifest: no JSON fetched
    assert not list(settings.reports_dir.glob(".dbt-docs*"))  # no staging folder left behind
