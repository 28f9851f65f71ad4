"""Fixtures of the deploy tests (the helpers are in airflow_stack.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .airflow_stack import fresh_metadata_db


@pytest.fixture
def metadata_db() -> Iterator[str]:
    """A fresh PostgreSQL database for Airflow's metadata, dropped afterwards."""
    yield from fresh_metadata_db()
