"""The watch-list part of the resolution step: run after ``resolve_institutions``, before dbt."""

from __future__ import annotations

from pathlib import Path

from stiwatch.config import Settings


def prepare_watch_list(settings: Settings) -> tuple[Path, Path]:
    """Write the organisation hierarchy of the current ROR dump and the resolved indicator-list entries."""
    from stiwatch.indicators.resolve import resolve_indicators
    from stiwatch.institutions.hierarchy import write_hierarchy

    return write_hierarchy(settings), resolve_indicators(settings)
