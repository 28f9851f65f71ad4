"""Atomic switches: the ``current`` symlink of the serving folder and whole report folders.

``os.replace`` of a symlink over a symlink is one ``rename(2)``: a reader resolving ``current`` sees the old
release or the new one, never a mix or nothing.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from pathlib import Path

from stiwatch.publish.layout import BUILDING_PREFIX

log = logging.getLogger(__name__)


def point_current_at(link: Path, release_dir: Path) -> None:
    """Make ``link`` point at ``release_dir`` atomically.

    The target is relative (``releases/<id>``) so that the pointer stays valid wherever the data volume is
    mounted (a BI container sees it under another path).
    """
    target = os.path.relpath(release_dir, link.parent)
    staged = link.with_name(f".{link.name}.tmp-{uuid.uuid4().hex}")
    os.symlink(target, staged)
    try:
        os.replace(staged, link)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


def prune_releases(releases: Path, current: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` releases (never ``current``) and leftovers of crashed builds.

    Called only after the switch, so a failed publish never removes the release BI is reading. Release
    ids sort by build time.
    """
    current = current.resolve()
    releases_by_age = sorted(
        (p for p in releases.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.name,
        reverse=True,
    )
    doomed = [p for p in releases_by_age[keep:] if p.resolve() != current]
    doomed += [p for p in releases.iterdir() if p.name.startswith(BUILDING_PREFIX)]
    for path in doomed:
        shutil.rmtree(path)
        log.info("pruned %s", path)
    return doomed


def replace_directory(staged: Path, final: Path) -> None:
    """Put the complete folder ``staged`` at ``final``, replacing what was there.

    Two renames (old out of the way, new in): a reader may get a 404 for that instant but never a mix of
    old and new files. Not a symlink on purpose: the report server does not follow symlinks.
    """
    retired = final.with_name(f".{final.name}.old-{uuid.uuid4().hex}")
    if final.exists():
        os.rename(final, retired)
    try:
        os.rename(staged, final)
    except BaseException:
        if retired.exists():
            os.rename(retired, final)
        raise
    if retired.exists():
        shutil.rmtree(retired)
