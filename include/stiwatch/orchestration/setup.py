"""``stiwatch setup``: the data root folders, the Airflow metadata database and the warehouse pool.

Idempotent: ``airflow db migrate`` is a no-op on an up-to-date database and ``pools set`` upserts.
"""

from __future__ import annotations

import configparser
import os
import sqlite3
import subprocess
from pathlib import Path

from stiwatch import airflow_env
from stiwatch.config import SOURCES, Settings
from stiwatch.executables import venv_executable
from stiwatch.orchestration.pools import WAREHOUSE_POOL


def setup(settings: Settings) -> None:
    for folder in (*(settings.landing_dir / s for s in SOURCES), settings.lake_dir, settings.reports_dir):
        folder.mkdir(parents=True, exist_ok=True)
    env = airflow_env.embedded_env()
    airflow = venv_executable("airflow")
    for args in (
        ["db", "migrate"],
        ["pools", "set", WAREHOUSE_POOL, "1", "DuckDB allows one writer: every task writing the warehouse"],
    ):
        proc = subprocess.run([airflow, *args], env=env, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
            raise RuntimeError(
                f"`airflow {' '.join(args[:2])}` failed (AIRFLOW_HOME={env['AIRFLOW_HOME']}):\n{tail}"
            )


def embedded_database_missing(env: dict[str, str]) -> bool:
    """True when the metadata database is the embedded SQLite file and it was never migrated (a new
    ``AIRFLOW_HOME``): ``stiwatch refresh`` then sets it up itself instead of failing in Airflow with "no such
    table". A configured server database (PostgreSQL) is the operator's to migrate: never touched here.
    Cheap (a stat and one SQLite query), unlike ``airflow db migrate`` (10-15 s), so it runs every refresh."""
    home = Path(env["AIRFLOW_HOME"])
    conn = env.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN")
    if conn is None and (home / "airflow.cfg").exists():
        config = configparser.ConfigParser(interpolation=None)
        config.read(home / "airflow.cfg", encoding="utf-8")
        conn = config.get("database", "sql_alchemy_conn", fallback=None)
    if conn is None:
        conn = f"sqlite:///{home / 'airflow.db'}"
    if not conn.startswith("sqlite:///"):
        return False
    path = Path(os.path.expanduser(conn.removeprefix("sqlite:///")))
    if not path.exists():
        return True
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return db.execute("select 1 from sqlite_master where name = 'alembic_version'").fetchone() is None
