"""Shared test fixtures.

Tests that read the real public files in ../shared/data use the ``shared_data`` fixture: it skips with a
clear reason when the folder is absent on a developer machine, and fails when CI=true (CI always has it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from machine_tools import skip_or_fail
from stiwatch.config import Settings

SHARED_DATA = Path(
    os.environ.get("STIWATCH_SHARED_DATA", Path(__file__).resolve().parents[1] / ".." / "shared" / "data")
).resolve()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        skip_or_fail(f"real test files not found at {SHARED_DATA} (clone the project beside ../shared)")
    return SHARED_DATA


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings over a fresh, empty data root in a temporary folder."""
    monkeypatch.setenv("STIWATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("STIWATCH_WAREHOUSE", raising=False)
    return Settings.from_env()
