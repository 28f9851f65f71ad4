"""Publish the marts for BI: build a new release beside the current one, then switch ``current`` to it.

Run it after the quality checks pass. Until the switch nothing a reader follows changes; any failure before
it leaves ``current`` on the previous release and removes the partial build.
"""

from __future__ import annotations

import logging
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from stiwatch.atomic_io import write_json_atomic
from stiwatch.build_plan import input_digests
from stiwatch.config import Settings
from stiwatch.publish.changes import CHANGES_FILE, Changelog, Thresholds
from stiwatch.publish.layout import (
    BUILDING_PREFIX,
    RELEASE_FILE,
    SERVING_FILE,
    current_link,
    current_release,
    new_release_id,
    releases_dir,
)
from stiwatch.publish.release import build_release
from stiwatch.publish.switch import point_current_at, prune_releases
from stiwatch.warehouse_reader import warehouse

log = logging.getLogger(__name__)


def publish(settings: Settings, keep_releases: int | None = None) -> Path:
    """Publish every mart of the warehouse as a new release and make it current; return its folder.

    ``keep_releases`` defaults to ``Settings.serving_keep_releases`` (``STIWATCH_SERVING_KEEP_RELEASES``, 3):
    older releases are deleted after the switch; a BI session still holding one keeps reading it (POSIX
    keeps deleted files open).
    """
    keep = keep_releases if keep_releases is not None else settings.serving_keep_releases
    built_at = datetime.now(UTC)
    release_id = new_release_id(built_at)
    root = releases_dir(settings)
    root.mkdir(parents=True, exist_ok=True)
    building = root / f"{BUILDING_PREFIX}{release_id}"
    release_dir = root / release_id
    try:
        building.mkdir()
        inputs = input_digests(settings)
        # The release BI reads until the switch is the one this release is compared with.
        previous = current_release(settings)
        changelog = Changelog(release_id, previous, inputs, Thresholds.from_settings(settings))
        source = warehouse(settings)
        built = build_release(source, building, changelog)
        write_json_atomic(built.changes, building / CHANGES_FILE)
        write_json_atomic(
            {
                "release_id": release_id,
                "built_at": built_at.isoformat(),
                "engine": source.engine,
                "warehouse": str(source.location),
                "snapshots": built.snapshots,
                "settings": built.settings,
                "dbt_invocation_ids": built.dbt_invocation_ids,
                "previous_release_id": built.changes["previous_release_id"],
                "inputs": inputs,
                "row_counts": built.row_counts,
                "serving_file": {"path": SERVING_FILE, "sha256": built.serving_sha256},
                "keep_releases": keep,
            },
            building / RELEASE_FILE,
        )
        os.rename(building, release_dir)
        point_current_at(current_link(settings), release_dir)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        shutil.rmtree(release_dir, ignore_errors=True)
        raise
    log.info("current release is now %s", release_dir)
    prune_releases(root, release_dir, keep)
    return release_dir
