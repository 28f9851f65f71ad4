"""``stiwatch refresh`` on a new AIRFLOW_HOME sets the embedded metadata database up itself, and a runner that
dies before any DAG ran is reported with the exception that stopped it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from stiwatch.orchestration.refresh import _stopped_before
from stiwatch.orchestration.setup import embedded_database_missing


def _migrated(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("create table alembic_version (version_num varchar(32))")


def test_a_new_airflow_home_needs_setup(tmp_path: Path) -> None:
    assert embedded_database_missing({"AIRFLOW_HOME": str(tmp_path)})


def test_an_empty_sqlite_file_needs_setup_and_a_migrated_one_does_not(tmp_path: Path) -> None:
    env = {"AIRFLOW_HOME": str(tmp_path)}
    sqlite3.connect(tmp_path / "airflow.db").close()  # Airflow creates the file before it migrates
    assert embedded_database_missing(env)
    _migrated(tmp_path / "airflow.db")
    assert not embedded_database_missing(env)


def test_the_database_of_airflow_cfg_is_the_one_checked(tmp_path: Path) -> None:
    elsewhere = tmp_path / "meta" / "other.db"
    elsewhere.parent.mkdir()
    (tmp_path / "airflow.cfg").write_text(f"[database]\nsql_alchemy_conn = sqlite:///{elsewhere}\n")
    _migrated(tmp_path / "airflow.db")  # not the configured one
    assert embedded_database_missing({"AIRFLOW_HOME": str(tmp_path)})
    _migrated(elsewhere)
    assert not embedded_database_missing({"AIRFLOW_HOME": str(tmp_path)})


def test_a_server_database_is_never_set_up_by_refresh(tmp_path: Path) -> None:
    env = {
        "AIRFLOW_HOME": str(tmp_path),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": "postgresql+psycopg2://airflow@localhost/airflow",
    }
    assert not embedded_database_missing(env)


@pytest.mark.parametrize(
    ("log_tail", "expected"),
    [
        (
            'Traceback (most recent call last):\n  File "x.py", line 1\n'
            "sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) no such table: dag_bundle\n"
            "[SQL: SELECT dag_bundle.name FROM dag_bundle]\n",
            "Airflow stopped before this DAG ran: sqlalchemy.exc.OperationalError: "
            "(sqlite3.OperationalError) "
            "no such table: dag_bundle",
        ),
        ("Killed\n", "Airflow stopped before this DAG ran"),
    ],
)
def test_a_runner_that_died_is_reported_with_its_last_exception(
    tmp_path: Path, log_tail: str, expected: str
) -> None:
    log = tmp_path / "ingest.log"
    log.write_text("INFO starting\n" + log_tail)
    assert _stopped_before(log) == expected
