"""One small warehouse for the quality tests: a generated PATSTAT 2023 Autumn edition, built by dbt once.

The generator thins the last two filing years (2022 to ~35% of trend, 2021 to ~75%), as a real edition
as of 2023-08-01 would be; every earlier year is complete by construction.
"""

from __future__ import annotations

import pytest

from stiwatch import landing
from stiwatch.config import Settings
from stiwatch.dbt_runner import run_dbt
from stiwatch.demo.patstat import generate_edition
from stiwatch.sources.patstat import ingest_file

EDITION = "2023_autumn"
N_FAMILIES = 3000


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data_dir = tmp_path_factory.mktemp("quality") / "data"
    settings = Settings(data_dir=data_dir, warehouse_path=data_dir / "warehouse.duckdb")
    generate_edition(settings.landing_dir, EDITION, n_families=N_FAMILIES, seed=5)
    snapshot = landing.open_snapshot(settings.landing_dir, "patstat", EDITION)
    entries = [
        landing.file_entry(snapshot, rel, ingest_file(snapshot.path / rel, rel, EDITION, settings.lake_dir))
        for rel in snapshot.data_files()
    ]
    landing.write_manifest(settings.lake_dir, snapshot, entries)
    run_dbt(settings, "build")
    return settings
