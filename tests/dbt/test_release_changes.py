"""The release changelog over a real lake and dbt builds: one more snapshot, then a seed edit.

Two tiny WoS exports (hand-written records) and a temporary copy of the dbt project (as in
test_seed_changes.py, so the repository's seeds are never edited). Each refresh's dbt step runs as the
orchestrated path decides it (stiwatch.build_plan), then a publish. The expected changes are counted by
hand from the records below.
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
from stiwatch.publish import publish

HEADER = ["PT", "AU", "TI", "SO", "DT", "DE", "C1", "PY", "WC", "SC", "UT"]
CATEGORY = ["Computer Science, Artificial Intelligence", "Computer Science"]
# 2020: a Chinese address and one in "Atlantis", a country text the seed does not know (UNKNOWN).
PAPER_1 = [
    "J", "Li, X; Roe, R", "A title", "A JOURNAL", "Article", "machine learning",
    "[Li, X] Tsinghua Univ, Dept CS, Beijing 100084, Peoples R China; "
    "[Roe, R] Royal Acad, Atlantis City, Atlantis",
    "2020", *CATEGORY, "WOS:000000000000001",
]  # fmt: skip
# 2021: China and the USA.
PAPER_2 = [
    "J", "Wang, Y; Doe, J", "Another title", "A JOURNAL", "Article", "deep learning",
    "[Wang, Y] Zhejiang Univ, Hangzhou 310027, Peoples R China; "
    "[Doe, J] Stanford Univ, Stanford, CA 94305 USA",
    "2021", *CATEGORY, "WOS:000000000000002",
]  # fmt: skip


FIELD_GROUP = "Artificial Intelligence & Image Processing"  # seed category_field_groups of CATEGORY[0]
# After the fix paper 1 ranks its two institutions (unresolved: no ROR dump in this lake), in period 'all' and
# its year: Royal Acad on the EU27/AC side (variants all and excluding_uk: DE is not the UK), Tsinghua on the
# CN side (variant all only); each new in the ranking at rank 1 with 1 co-publication.
RANKED = (
    "EU27/AC, all, unresolved:DE:royal acad",
    "EU27/AC, excluding_uk, unresolved:DE:royal acad",
    "CN, all, unresolved:CN:tsinghua univ",
)
TOP_INSTITUTIONS = {
    ("fct_top_institutions", f"{period}, {ranked}", measure, None, 1.0, "seed change (wos_country_names)")
    for period in ("all", "2020")
    for ranked in RANKED
    for measure in ("institution_rank", "copublications")
}


def field_shares(pair: str, year: int, why: str) -> set[tuple]:
    return {
        ("fct_field_shares", f"{period}, {pair}, {FIELD_GROUP}", "share_of_pair", None, 1.0, why)
        for period in (f"year, {year}", "all, NULL")
    }


def land(settings: Settings, snapshot_id: str, papers: list[list[str]]) -> None:
    folder = settings.landing_dir / "wos" / snapshot_id
    folder.mkdir(parents=True)
    lines = ["\t".join(HEADER), *("\t".join(paper) for paper in papers)]
    (folder / "savedrecs.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert ingest_source(settings, "wos") == [snapshot_id]


def dbt_step(project: Path, settings: Settings, work: Path) -> None:
    plan = build_plan.plan_frozen_build(settings)
    env = {**os.environ, "STIWATCH_DATA_DIR": str(settings.data_dir),
           "STIWATCH_WAREHOUSE": str(settings.warehouse_path), "DO_NOT_TRACK": "1"}  # fmt: skip
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


def changes(release: Path) -> tuple[dict, set[tuple]]:
    summary = json.loads((release / "release_changes.json").read_text(encoding="utf-8"))
    with duckdb.connect(str(release / "serving.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select mart, key_values, measure, old_value, new_value, why from fct_release_changes"
        ).fetchall()
    return summary, set(rows)


@pytest.mark.slow
def test_changelog_lists_exactly_the_planted_changes(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    monkeypatch.setattr(build_plan, "DBT_PROJECT_DIR", project)

    land(settings, "2026-01-01_a", [PAPER_1])
    dbt_step(project, settings, tmp_path)
    first = publish(settings)
    summary, rows = changes(first)
    assert summary["first_release"] and rows == set()

    unchanged = publish(settings)  # a refresh with nothing new: the same marts
    summary, rows = changes(unchanged)
    assert rows == set() and summary["reasons"] == {"wos": []}

    # One more snapshot: the export again, plus a 2021 CN-US paper.
    land(settings, "2026-02-01_b", [PAPER_1, PAPER_2])
    dbt_step(project, settings, tmp_path)
    summary, rows = changes(publish(settings))
    new = "new snapshot (2026-01-01_a -> 2026-02-01_b)"
    assert summary["reasons"] == {"wos": [new]}
    assert rows == {
        ("fct_region_pair_output", "2021, CN-US", "copublications", None, 1.0, new),
        ("fct_region_output", "2021, CN", "publications", None, 1.0, new),
        ("fct_region_output", "2021, US", "publications", None, 1.0, new),
        # The pair's field shares: CN-US now has one paper, in one field group (its WoS category), in 2021
        # and over all years; the other field groups' rows are 0, as no row was.
        *field_shares("CN-US", 2021, new),
    }

    # A seed edit: Atlantis is Germany, so paper 1 becomes a CN - EU27/AC co-publication.
    seed = project / "seeds" / "wos_country_names.csv"
    seed.write_text(seed.read_text(encoding="utf-8") + "Atlantis,DE,test row\n", encoding="utf-8")
    dbt_step(project, settings, tmp_path)
    summary, rows = changes(publish(settings))
    fix = "seed change (wos_country_names)"
    assert summary["reasons"] == {"wos": [fix]}
    assert rows == {
        ("fct_region_pair_output", "2020, CN-EU27/AC", "copublications", 0.0, 1.0, fix),
        ("fct_region_output", "2020, EU27/AC", "publications", 0.0, 1.0, fix),
        ("fct_region_output", "2020, UNKNOWN", "publications", 1.0, 0.0, fix),  # dense: a row of 0
        ("dq_publication_coverage", "2020", "unknown_country_affiliations", 1.0, 0.0, fix),
        *field_shares("CN-EU27/AC", 2020, fix),
        *TOP_INSTITUTIONS,
    }
