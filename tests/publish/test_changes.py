"""The release changelog on a warehouse made with DuckDB (no dbt): planted changes, and nothing else, are
listed with the right reasons. The expected rows are written out by hand from the planted SQL below.

A dbt-built version over a real lake (one more snapshot, a seed edit) is tests/dbt/test_release_changes.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from stiwatch import build_plan, cli
from stiwatch.config import DBT_PROJECT_DIR, Settings
from stiwatch.publish import publish

from .conftest import run_sql

# wos gets a newer current snapshot: 2022 CN unchanged (12), 2023 CN doubled (15 -> 30), 2024 CN new (4).
NEW_SNAPSHOT = """
update fct_region_output set is_current_snapshot = false;
insert into fct_region_output values
    ('wos', '2025-09-01_c', date '2025-09-01', true, 2022, 'CN', 12, 'v1'),
    ('wos', '2025-09-01_c', date '2025-09-01', true, 2023, 'CN', 30, 'v1'),
    ('wos', '2025-09-01_c', date '2025-09-01', true, 2024, 'CN', 4, 'v1');
update dim_snapshot set is_current = false where source = 'wos';
insert into dim_snapshot values ('wos', '2025-09-01_c', date '2025-09-01', true, 900, 'v1', null);
"""
# What a seed fix would do to the marts: one count moves (12 -> 13).
SEED_EFFECT = (
    "update fct_region_output set publications = 13 where snapshot_id = '2025-09-01_c' and pub_year = 2022"
)


def changes_of(release: Path) -> tuple[dict, list[tuple]]:
    summary = json.loads((release / "release_changes.json").read_text(encoding="utf-8"))
    with duckdb.connect(str(release / "serving.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select mart, source, key_columns, key_values, measure, old_value, new_value, absolute_change, "
            "relative_change, is_notable, why from fct_release_changes order by key_values"
        ).fetchall()
        parquet = con.execute(
            "select count(*) from read_parquet(?)", [str(release / "parquet" / "fct_release_changes.parquet")]
        ).fetchone()
    assert parquet == (len(rows),)
    return summary, rows


def test_first_and_unchanged_releases_list_no_change(settings: Settings, warehouse: Path) -> None:
    first = publish(settings)
    summary, rows = changes_of(first)
    assert summary["first_release"] is True and rows == []
    assert "first release" in cli_output(settings, ["changes"])

    again = publish(settings)
    summary, rows = changes_of(again)
    assert rows == []
    assert summary["first_release"] is False
    assert summary["previous_release_id"] == first.name
    assert summary["reasons"] == {"patstat": [], "wos": []}
    assert json.loads((again / "release.json").read_text())["previous_release_id"] == first.name


def test_a_new_snapshot_then_a_seed_edit_list_exactly_their_changes(
    settings: Settings, warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = publish(settings)
    run_sql(warehouse, NEW_SNAPSHOT)
    second = publish(settings)
    summary, rows = changes_of(second)
    why = "new snapshot (2025-03-01_b -> 2025-09-01_c)"
    key = "pub_year, region"
    assert rows == [
        ("fct_region_output", "wos", key, "2023, CN", "publications", 15.0, 30.0, 15.0, 1.0, True, why),
        # Below STIWATCH_CHANGES_NOTABLE_MIN_COUNT (10): listed, not notable.
        ("fct_region_output", "wos", key, "2024, CN", "publications", None, 4.0, None, None, False, why),
    ]
    assert summary["reasons"] == {"patstat": [], "wos": [why]}
    assert summary["changes"] == 2 and summary["notable_changes"] == 1
    assert [n["key_values"] for n in summary["notable"]] == ["2023, CN"]

    # A seed edit, in a copy of the dbt project (the repository's seeds are never touched).
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    seed = project / "seeds" / "wos_country_names.csv"
    seed.write_text(seed.read_text(encoding="utf-8") + "Atlantis,DE,test row\n", encoding="utf-8")
    monkeypatch.setattr(build_plan, "DBT_PROJECT_DIR", project)
    run_sql(warehouse, SEED_EFFECT)
    third = publish(settings)
    summary, rows = changes_of(third)
    seed_why = "seed change (wos_country_names)"
    assert rows == [
        (
            "fct_region_output",
            "wos",
            key,
            "2022, CN",
            "publications",
            12.0,
            13.0,
            1.0,
            1 / 12,
            False,
            seed_why,
        ),
    ]
    assert summary["reasons"] == {"patstat": [seed_why], "wos": [seed_why]}

    # --since compares the current release with any kept one: both planted changes at once.
    text = cli_output(settings, ["changes", "--since", first.name])
    assert f"release {third.name} against {first.name}: 3 changed values, 1 notable" in text
    assert f"wos: {why}; {seed_why}" in text
    assert "wos fct_region_output publications (2023, CN): 15 -> 30 (+100.0%)" in text


def cli_output(settings: Settings, argv: list[str]) -> str:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(argv) == 0
    return out.getvalue()
