"""Where published files live and how long old releases are kept.

```
serving/releases/<release_id>/serving.duckdb      every mart as a table (read-only for BI)
serving/releases/<release_id>/parquet/<mart>.parquet
serving/releases/<release_id>/release.json       what the release holds (ids, settings, row counts, sha256)
serving/releases/<release_id>/release_changes.json  what changed since the previous release (publish.changes)
serving/current -> releases/<release_id>          the one pointer BI tools follow, switched atomically
```
A release is built under ``releases/.building-<release_id>`` and renamed when complete, so a folder with a
release id is always whole.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from stiwatch.config import Settings

BUILDING_PREFIX = ".building-"
SERVING_FILE = "serving.duckdb"
PARQUET_DIR = "parquet"
RELEASE_FILE = "release.json"

# The mart that says which snapshots the marts were built from, and with which counting settings.
SNAPSHOT_MART = "dim_snapshot"
# Its columns that are not counting settings; every other column of it is one (dbt owns that list).
SNAPSHOT_COLUMNS = ("source", "snapshot_id", "snapshot_as_of", "is_current")
NOT_SETTINGS = (
    *SNAPSHOT_COLUMNS,
    "snapshot_kind",
    "base_snapshot_id",
    "ingested_at",
    "snapshot_records",
    "built_at",
    "dbt_invocation_id",
)


def serving_dir(settings: Settings) -> Path:
    return settings.data_dir / "serving"


def releases_dir(settings: Settings) -> Path:
    return serving_dir(settings) / "releases"


def current_link(settings: Settings) -> Path:
    return serving_dir(settings) / "current"


def new_release_id(now: datetime | None = None) -> str:
    """A release id that sorts by build time (UTC, to the microsecond: pruning keeps the newest by name);
    the random suffix only keeps two hosts publishing at the same instant apart."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return f"{moment:%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:6]}"


def current_release(settings: Settings) -> Path | None:
    """The release folder ``current`` points at, or None before the first publish."""
    link = current_link(settings)
    if not link.is_symlink():
        return None
    return link.resolve()
