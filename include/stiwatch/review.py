"""A person's verdict on a published delivery: ``stiwatch accept`` and ``stiwatch retract``.

Both record who and when (retract also why) in the snapshot's manifest, rewritten atomically, so the next
refresh reads them (README "When a delivery is bad"):

- ``accept``: a state the plausibility gate holds back (dbt model ``int_state_plausibility``: no records,
  or a drop beyond ``STIWATCH_GATE_*``) is a real drop; it may become current and be published. The states
  are already built, so the next refresh only rebuilds the marts.
- ``retract``: the delivery is withdrawn. Its lake folder stays on disk, but the lake view (dbt's
  ``lake_manifests()``, the build plan, ``verify``, the ingest plan) no longer lists it, so the next refresh
  recomputes every state without it (a full rebuild) and its landing folder is never ingested again.

The ingest compares landing files with the manifest's file entries, which neither verdict changes.
"""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from stiwatch import atomic_io, landing
from stiwatch.errors import DataError


class SnapshotReviewError(DataError):
    """The snapshot to accept or retract is unknown, or already retracted."""


def _who(by: str | None) -> str:
    try:
        return by or getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        return "unknown"


def _now() -> str:
    return datetime.now(tz=UTC).isoformat(timespec="seconds")


def _published_manifest(lake_dir: Path, source: str, snapshot_id: str) -> tuple[Path, dict[str, Any]]:
    path = landing.manifest_path(lake_dir, source, snapshot_id)
    if not path.is_file():
        raise SnapshotReviewError(
            f"{path}: no ingested {source} snapshot {snapshot_id!r} (see the snapshot ids in "
            f"{lake_dir / source}, or `stiwatch summary`)"
        )
    manifest = atomic_io.read_json(path)
    if landing.is_retracted(manifest):
        done = manifest[landing.RETRACTED]
        raise SnapshotReviewError(
            f"{path}: {source}/{snapshot_id} was already retracted by {done.get('by')} at {done.get('at')} "
            f"({done.get('why')}); a retracted delivery stays withdrawn: land a corrected one under a new id"
        )
    return path, manifest


def accept(lake_dir: Path, source: str, snapshot_id: str, by: str | None = None) -> dict[str, str]:
    """Record that a person approved the state of ``snapshot_id`` through the plausibility gate."""
    path, manifest = _published_manifest(lake_dir, source, snapshot_id)
    verdict = {"by": _who(by), "at": _now()}
    atomic_io.write_json_atomic({**manifest, landing.ACCEPTED: verdict}, path)
    return verdict


def retract(lake_dir: Path, source: str, snapshot_id: str, why: str, by: str | None = None) -> dict[str, str]:
    """Withdraw a published delivery from the lake view, keeping its files and saying who, when and why."""
    if not why.strip():
        raise SnapshotReviewError(
            f'retract {source}/{snapshot_id}: say why with --why "..." (it is recorded in the manifest)'
        )
    path, manifest = _published_manifest(lake_dir, source, snapshot_id)
    deltas = sorted(
        m["snapshot_id"]
        for m in landing.ingested_manifests(lake_dir, source)
        if m.get("kind") == landing.DELTA and m.get("base") == snapshot_id
    )
    if deltas:
        raise SnapshotReviewError(
            f"{path}: {source}/{snapshot_id} is the base of the deltas {', '.join(deltas)}; retract them "
            "first (a state cannot start with a delta), then this one"
        )
    verdict = {"by": _who(by), "at": _now(), "why": why.strip()}
    atomic_io.write_json_atomic({**manifest, landing.RETRACTED: verdict}, path)
    return verdict
