"""PATSTAT edition ids and their as-of dates.

EPO releases PATSTAT Global twice a year. An edition id names the year and the release: ``2023_autumn``,
``2024_spring`` (also ``2023-autumn``, ``2023autumn`` and the older ``2016a``/``2016b`` style, a = Spring,
b = Autumn). METHOD.md dates the data extraction: Spring = January, Autumn = August of the edition year; we
use the first day of that month as the as-of date (only its year enters the completeness rules).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from stiwatch import atomic_io
from stiwatch.errors import DataError
from stiwatch.layout import SNAPSHOT_META

_EDITION_RE = re.compile(r"^(?P<year>\d{4})[_-]?(?P<release>spring|autumn|a|b)$", re.IGNORECASE)
_EXTRACTION_MONTH = {"spring": 1, "a": 1, "autumn": 8, "b": 8}


def edition_as_of(edition_id: str) -> date:
    """The extraction date of an edition from its id, e.g. ``2023_autumn`` -> 2023-08-01."""
    match = _EDITION_RE.match(edition_id)
    if not match:
        raise DataError(
            f"PATSTAT edition id {edition_id!r} is not like '2023_autumn' or '2024_spring': rename the "
            f'landing folder, or give its date in {SNAPSHOT_META} as {{"as_of": "YYYY-MM-DD"}}'
        )
    release = match.group("release").lower()
    return date(int(match.group("year")), _EXTRACTION_MONTH[release], 1)


def as_of_from_edition_name(edition_id: str) -> date | None:
    """The as-of date an edition id states, or None when it is not an edition name (the landing contract
    then falls back to the newest file date)."""
    try:
        return edition_as_of(edition_id)
    except DataError:
        return None


def write_edition_meta(edition_dir: Path, edition_id: str, description: str = "") -> Path:
    """Write ``_snapshot.json`` so the landing contract finds the edition's as-of date (not a file mtime)."""
    payload = {
        "as_of": edition_as_of(edition_id).isoformat(),
        "description": description or f"PATSTAT Global {edition_id}",
    }
    return atomic_io.write_json_atomic(payload, edition_dir / SNAPSHOT_META)
