"""The ``stiwatch`` CLI: argument handling, the embedded environment, one-line errors, direct commands."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from stiwatch import airflow_env, cli
from stiwatch.config import PROJECT_ROOT
from stiwatch.demo import SNAPSHOT_IDS


@pytest.fixture(autouse=True)
def _restore_environ() -> Iterator[None]:
    """cli.main fills the embedded defaults into os.environ; keep them from leaking into other tests."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


def test_embedded_env_fills_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key in list(os.environ):
        if key.startswith(("AIRFLOW", "STIWATCH_")) or key in ("DO_NOT_TRACK",):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    env = airflow_env.embedded_env()
    assert env["AIRFLOW_HOME"] == str(PROJECT_ROOT / ".airflow")
    assert env["AIRFLOW__CORE__DAGS_FOLDER"] == str(PROJECT_ROOT / "dags")
    assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "False"
    assert env["DO_NOT_TRACK"] == "1" and env["AIRFLOW__COSMOS__ENABLE_TELEMETRY"] == "False"
    # The metadata DB is Airflow's own default (SQLite in AIRFLOW_HOME): not forced, so a URL can replace it.
    assert "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN" not in env
    # The data root is pinned to an absolute path, whatever directory tasks start in.
    assert env["STIWATCH_DATA_DIR"] == str(tmp_path / "data")
    assert env["STIWATCH_WAREHOUSE"] == str(tmp_path / "data" / "warehouse.duckdb")


def test_embedded_env_keeps_what_the_user_set(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "postgresql+psycopg2://u:p@db/airflow")
    monkeypatch.setenv("AIRFLOW__CORE__LOAD_EXAMPLES", "True")
    env = airflow_env.embedded_env()
    assert env["AIRFLOW_HOME"] == str(tmp_path / "home")
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] == "postgresql+psycopg2://u:p@db/airflow"
    assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "True"


def test_demo_then_direct_ingest(settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo", "--records", "30", "--seed", "5"]) == 0
    assert "written" in capsys.readouterr().out
    assert cli.main(["demo", "--records", "30", "--seed", "5"]) == 0
    assert "left unchanged" in capsys.readouterr().out
    assert cli.main(["ingest", "wos"]) == 0
    assert f"published {SNAPSHOT_IDS['wos']}" in capsys.readouterr().out
    assert (settings.lake_dir / "wos" / f"snapshot={SNAPSHOT_IDS['wos']}" / "_manifest.json").exists()
    assert cli.main(["ingest", "wos"]) == 0
    assert "nothing" in capsys.readouterr().out


def test_bad_landing_data_is_one_line_and_exit_1(settings, capsys: pytest.CaptureFixture[str]) -> None:
    snapshot = settings.landing_dir / "wos" / "2025-02-01_broken"
    snapshot.mkdir(parents=True)
    (snapshot / "savedrecs.txt").write_text("this is not a Web of Science export\n", encoding="utf-8")
    assert cli.main(["ingest", "wos"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("stiwatch ingest: ") and "savedrecs.txt" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_summary_without_warehouse_says_what_to_do(settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["summary"]) == 1
    err = capsys.readouterr().err
    assert str(settings.warehouse_path) in err and "stiwatch refresh" in err


def test_unknown_source_is_rejected_by_the_parser() -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["ingest", "scopus"])
    assert exc.value.code == 2
