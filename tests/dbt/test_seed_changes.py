"""A seed fix reaches the marts on the next dbt build, without re-ingesting (issue 10: rules in dbt, facts
in the lake).

The test never edits the repository's seeds: it builds a temporary copy of the dbt project (models, macros,
seeds, tests; not target/ or logs/), adds one row to the copy's wos_country_names.csv and builds again
over the same lake, deciding incremental or full rebuild as every refresh does (stiwatch.build_plan,
pointed at the copy): the seed edit must turn the second build into a full rebuild. A copy is cleaner
than a dbt var pointing at an extra seed: the project would need a test-only hook in its models, while
the copy exercises exactly the files an analyst edits.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from stiwatch import build_plan
from stiwatch.config import DBT_PROJECT_DIR, Settings
from stiwatch.executables import venv_executable
from stiwatch.ingest import ingest_source

SNAPSHOT = "2026-01-01_seedfix"
HEADER = ["PT", "AU", "TI", "SO", "DT", "DE", "C1", "PY", "WC", "SC", "UT"]
# One AI paper with a Chinese address and one in "Atlantis", a country text the seed does not know.
ROW = [
    "J", "Li, X; Roe, R", "A title", "A JOURNAL", "Article", "machine learning",
    "[Li, X] Tsinghua Univ, Dept CS, Beijing 100084, Peoples R China; "
    "[Roe, R] Royal Acad, Atlantis City, Atlantis",
    "2020", "Computer Science, Artificial Intelligence", "Computer Science", "WOS:000000000000001",
]  # fmt: skip


def _project_copy(root: Path) -> Path:
    copy = root / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, copy, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    return copy


def _build(project: Path, settings: Settings, work: Path) -> build_plan.BuildPlan:
    """One refresh's dbt step over the copy: plan, build (full refresh when planned), record."""
    plan = build_plan.plan_frozen_build(settings)
    env = {
        **os.environ,
        "STIWATCH_DATA_DIR": str(settings.data_dir),
        "STIWATCH_WAREHOUSE": str(settings.warehouse_path),
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    }
    command = [
        venv_executable("dbt"), "build",
        "--project-dir", str(project), "--profiles-dir", str(project),
        "--target-path", str(work / "dbt_target"), "--log-path", str(work / "dbt_logs"),
        "--vars", json.dumps(settings.dbt_vars()),
        *(["--full-refresh"] if plan.full_refresh else []),
    ]  # fmt: skip
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"dbt build failed:\n{result.stdout[-6000:]}"
    build_plan.record_build(settings)
    return plan


def _marts(settings: Settings) -> tuple[list[tuple], list[tuple]]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        pairs = con.execute(
            "select region_pair, copublications from fct_region_pair_output "
            "where source = 'wos' and pub_year = 2020 and copublications > 0 order by region_pair"
        ).fetchall()
        unmapped = con.execute(
            "select country_raw, affiliations from dq_country_mapping where source = 'wos'"
        ).fetchall()
    return pairs, unmapped


def _lake_files(settings: Settings) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in settings.lake_dir.rglob("*") if p.is_file()}


def test_a_new_country_string_in_the_seed_changes_the_marts_without_reingest(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    landing = settings.landing_dir / "wos" / SNAPSHOT
    landing.mkdir(parents=True)
    (landing / "savedrecs.txt").write_text("\t".join(HEADER) + "\n" + "\t".join(ROW) + "\n", encoding="utf-8")
    assert ingest_source(settings, "wos") == [SNAPSHOT]
    project = _project_copy(tmp_path)
    monkeypatch.setattr(build_plan, "DBT_PROJECT_DIR", project)

    assert _build(project, settings, tmp_path).full_refresh  # the first build of a warehouse
    # Atlantis is UNKNOWN: no co-publication of two study regions, and the string is reported.
    assert _marts(settings) == ([], [("Atlantis", 1)])

    lake_before = _lake_files(settings)
    seed = project / "seeds" / "wos_country_names.csv"
    seed.write_text(seed.read_text(encoding="utf-8") + "Atlantis,DE,test row\n", encoding="utf-8")
    assert _build(project, settings, tmp_path).full_refresh  # the seed changed: every state is rebuilt

    # Atlantis is now Germany (EU27/AC): the paper is one CN - EU27/AC co-publication; nothing unmapped.
    assert _marts(settings) == ([("CN-EU27/AC", 1)], [])
    assert _lake_files(settings) == lake_before  # nothing was re-ingested
    assert "Atlantis" not in (DBT_PROJECT_DIR / "seeds" / "wos_country_names.csv").read_text(encoding="utf-8")
