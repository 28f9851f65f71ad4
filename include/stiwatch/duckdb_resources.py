"""The memory limit and threads of every DuckDB database the pipeline opens (dbt's warehouse, the OpenAlex
ingest), read from ``STIWATCH_DUCKDB_MEMORY_LIMIT`` / ``STIWATCH_DUCKDB_THREADS``.

A leaf module (nothing of stiwatch imported): the source parsers read it without depending on
``stiwatch.config``, which imports the source registry. ``Settings`` reads the same variables through it
and validates them, so a parser never sees a value the settings refused.
"""

from __future__ import annotations

import os

MEMORY_LIMIT_ENV = "STIWATCH_DUCKDB_MEMORY_LIMIT"
THREADS_ENV = "STIWATCH_DUCKDB_THREADS"
DEFAULT_MEMORY_LIMIT = "3GB"


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask, e.g. a container's share), not the host's count."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def memory_limit_from_env() -> str:
    return os.environ.get(MEMORY_LIMIT_ENV, "").strip() or DEFAULT_MEMORY_LIMIT


def threads_from_env() -> str:
    return os.environ.get(THREADS_ENV, "").strip() or str(usable_cpus())


def connect_config() -> dict[str, str]:
    """``duckdb.connect(config=...)`` options from the environment."""
    return {"memory_limit": memory_limit_from_env(), "threads": threads_from_env()}
