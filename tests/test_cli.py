"""The ``stiwatch`` CLI: argument handling, the embedded environment, one-line errors, direct commands."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from stiwatch import airflow_env, cli
from stiwatch.config import PROJECT_ROOT
from stiwatch.demo import SNAPSHOT_IDS
from stiwatch.errors import DataError


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


def test_a_data_error_is_one_clean_line(
    settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def bad_input(*_: object) -> None:
        raise DataError(
            "landing/wos/x/savedrecs.txt: record 3: no UT field; fix the export and land it again"
        )

    monkeypatch.setattr(cli, "_cmd_summary", bad_input)
    assert cli.main(["summary"]) == 1
    err = capsys.readouterr().err
    assert err == (
        "stiwatch summary: landing/wos/x/savedrecs.txt: record 3: no UT field; fix the export and land it "
        "again\n"
    )


def test_verbose_shows_the_traceback_of_a_data_error(settings, monkeypatch: pytest.MonkeyPatch) -> None:
    def bad_input(*_: object) -> None:
        raise DataError("x.txt: record 1: broken")

    monkeypatch.setattr(cli, "_cmd_summary", bad_input)
    with pytest.raises(DataError, match="record 1"):
        cli.main(["--verbose", "summary"])


def test_a_value_error_that_is_no_data_error_is_not_hidden(settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """A plain ValueError is a bug (a wrong argument, a broken invariant), not bad input: it propagates."""

    def bug(*_: object) -> None:
        raise ValueError("invalid literal for int() with base 10: 'x'")

    monkeypatch.setattr(cli, "_cmd_summary", bug)
    with pytest.raises(ValueError, match="invalid literal"):
        cli.main(["summary"])


def test_a_planted_bug_prints_its_traceback(settings) -> None:
    """What a user sees in the terminal: the whole traceback of a non-data error, and exit status 1."""
    planted = (
        "import sys\n"
        "from stiwatch import cli\n"
        "def broken(settings, args):\n"
        "    return {}['missing_key']\n"
        "cli._cmd_summary = broken\n"
        "sys.exit(cli.main(['summary']))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", planted],
        env={**os.environ, "STIWATCH_DATA_DIR": str(settings.data_dir)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("Traceback (most recent call last):")
    assert "in broken" in proc.stderr
    assert proc.stderr.rstrip().splitlines()[-1] == "KeyError: 'missing_key'"
