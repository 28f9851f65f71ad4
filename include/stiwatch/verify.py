"""``stiwatch verify``: re-hash every ingested landing file and report each difference from its manifest.

The hourly plan trusts an unchanged size and mtime (``landing.check_unchanged``) so that it never re-reads
hundreds of GB; this is the on-demand proof that catches what stat cannot see (bytes rewritten in place,
mtime set back).
"""

from __future__ import annotations

from dataclasses import dataclass

from stiwatch import landing
from stiwatch.config import SOURCES, Settings


class SnapshotDifferencesError(landing.LandingError):
    """``verify`` found landed files that differ from their manifests (each one was reported)."""


@dataclass(frozen=True)
class VerifyReport:
    snapshots: list[str]  # "<source>/<snapshot_id>" of every snapshot verified
    files_checked: int
    differences: list[str]  # one message per difference, naming the file and what to do


def verify(settings: Settings, source: str | None = None, snapshot_id: str | None = None) -> VerifyReport:
    """Re-hash the ingested snapshots (of one source, or one snapshot of it) against their manifests."""
    if snapshot_id is not None and source is None:
        raise ValueError("verify: name the source of the snapshot, e.g. `stiwatch verify openalex <id>`")
    snapshots, differences, files_checked = [], [], 0
    for src in (source,) if source else SOURCES:
        manifests = [
            m
            for m in landing.ingested_manifests(settings.lake_dir, src)
            if snapshot_id is None or m["snapshot_id"] == snapshot_id
        ]
        if snapshot_id is not None and not manifests:
            raise landing.LandingError(
                f"{landing.manifest_path(settings.lake_dir, src, snapshot_id)}: snapshot {src}/{snapshot_id} "
                "was never ingested; nothing to verify"
            )
        for manifest in manifests:
            label = f"{src}/{manifest['snapshot_id']}"
            snapshots.append(label)
            files_checked += len(manifest["files"]) + (manifest.get("snapshot_json") is not None)
            try:
                snap = landing.open_snapshot(settings.landing_dir, src, manifest["snapshot_id"])
            except landing.LandingError as exc:  # folder gone or metadata broken: a difference too
                differences.append(f"{exc} (ingested snapshot {label})")
                continue
            differences.extend(landing.differences(snap, manifest))
    return VerifyReport(snapshots=snapshots, files_checked=files_checked, differences=differences)
