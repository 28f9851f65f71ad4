"""The real shared ROR files, loaded once per test session (loading and indexing take a few seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stiwatch.institutions import Matcher, Registry, load_aliases, load_ror


@pytest.fixture(scope="session")
def ror_dir(shared_data: Path) -> Path:
    return shared_data / "ror"


@pytest.fixture(scope="session")
def ror_files(ror_dir: Path) -> list[Path]:
    return [ror_dir / "ror_records_v1_schema.jsonl.gz", ror_dir / "ror_records_v2_schema.jsonl.gz"]


@pytest.fixture(scope="session")
def registry(ror_files: list[Path]) -> Registry:
    return load_ror(ror_files)


@pytest.fixture(scope="session")
def matcher(registry: Registry) -> Matcher:
    return Matcher(registry, load_aliases())
