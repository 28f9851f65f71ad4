"""When ``stiwatch refresh`` transforms: new deliveries, and also changes only a full rebuild applies."""

from __future__ import annotations

import json
import os
from dataclasses import replace

import pytest

from stiwatch import build_plan
from stiwatch.config import Settings
from stiwatch.errors import DataError
from stiwatch.orchestration.refresh import transform_needed
from stiwatch.publish.layout import RELEASE_FILE, current_link, releases_dir

SNAPSHOT = "2024-01-01_x"


def _published(settings: Settings) -> None:
    """One WoS delivery, built (warehouse and build record) and published in a release newer than it."""
    manifest = settings.lake_dir / "wos" / f"snapshot={SNAPSHOT}" / "_manifest.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_text(
        json.dumps({"source": "wos", "snapshot_id": SNAPSHOT, "as_of": "2024-01-01"}), encoding="utf-8"
    )
    os.utime(manifest, (0, 0))  # older than the release
    settings.warehouse_path.touch()
    build_plan.plan_frozen_build(settings)  # the build reads the lake as it is now
    build_plan.record_build(settings)
    release = releases_dir(settings) / "r1"
    release.mkdir(parents=True)
    (release / RELEASE_FILE).write_text("{}", encoding="utf-8")
    current_link(settings).symlink_to(release)


def test_nothing_new_is_not_transformed(settings: Settings) -> None:
    _published(settings)
    assert not transform_needed(settings)


def test_a_setting_change_alone_is_transformed(settings: Settings) -> None:
    _published(settings)
    assert transform_needed(replace(settings, first_year=2015))  # e.g. STIWATCH_FIRST_YEAR=2015


def test_a_withdrawn_delivery_is_transformed(settings: Settings) -> None:
    _published(settings)
    (settings.lake_dir / "wos" / f"snapshot={SNAPSHOT}" / "_manifest.json").unlink()
    assert transform_needed(settings)


def test_a_damaged_build_record_names_its_file(settings: Settings) -> None:
    _published(settings)
    build_plan.record_path(settings).write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError, match=str(build_plan.record_path(settings))):
        transform_needed(settings)
