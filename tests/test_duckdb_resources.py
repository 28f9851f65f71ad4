"""The DuckDB memory limit and threads settings reach dbt's environment and the OpenAlex ingest."""

from __future__ import annotations

import pytest

from stiwatch.config import Settings, usable_cpus
from stiwatch.dbt_runner import dbt_env
from stiwatch.sources.openalex import reader


def test_defaults_are_3gb_and_every_usable_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STIWATCH_DUCKDB_MEMORY_LIMIT", raising=False)
    monkeypatch.delenv("STIWATCH_DUCKDB_THREADS", raising=False)
    settings = Settings.from_env()
    assert (settings.duckdb_memory_limit, settings.duckdb_threads) == ("3GB", usable_cpus())


def test_settings_reach_dbt_and_keep_its_other_variables(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("STIWATCH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("STIWATCH_DUCKDB_MEMORY_LIMIT", "1.5GB")
    monkeypatch.setenv("STIWATCH_DUCKDB_THREADS", "3")
    env = dbt_env(Settings.from_env())
    assert env["STIWATCH_DUCKDB_MEMORY_LIMIT"] == "1.5GB" and env["STIWATCH_DUCKDB_THREADS"] == "3"
    assert env["STIWATCH_DATA_DIR"] == str(tmp_path) and env["DO_NOT_TRACK"] == "1"


def test_the_openalex_ingest_connection_applies_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STIWATCH_DUCKDB_MEMORY_LIMIT", "512MB")
    monkeypatch.setenv("STIWATCH_DUCKDB_THREADS", "1")
    with reader.connect() as con:
        limit, threads = con.execute(
            "select current_setting('memory_limit'), current_setting('threads')"
        ).fetchone()
    assert threads == 1
    assert limit == "488.2 MiB"  # DuckDB shows 512 MB (decimal) in MiB: 512e6 / 2**20


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("STIWATCH_DUCKDB_MEMORY_LIMIT", "lots", "is not a DuckDB memory size"),
        ("STIWATCH_DUCKDB_THREADS", "0", "at least 1 thread"),
        ("STIWATCH_DUCKDB_THREADS", "two", "is not a whole number"),
    ],
)
def test_bad_values_are_refused_with_the_variable_named(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=message) as err:
        Settings.from_env()
    assert name in str(err.value)


def test_the_parsers_read_the_variables_the_settings_document() -> None:
    from dataclasses import fields

    from stiwatch import duckdb_resources

    env = {item.name: item.metadata["env"] for item in fields(Settings)}
    assert env["duckdb_memory_limit"] == duckdb_resources.MEMORY_LIMIT_ENV
    assert env["duckdb_threads"] == duckdb_resources.THREADS_ENV
