"""Whether the next dbt build may be incremental or must rebuild every state (``--full-refresh``).

The incremental intermediate models (dbt/macros/utils/incremental_states.sql) compute only the states
they have not built yet, so rows of a built state must never depend on anything that can change later.
They depend on the dbt code, the seeds, the settings (dbt vars) and how institution strings resolve; and
a state's content on its member deliveries. A build reads the deliveries its plan froze
(``plan_frozen_build``, stiwatch.lake_index) and is recorded, after it succeeded, as a fingerprint of the
first four plus those deliveries of each source in delivery order. The next build is incremental only
when the fingerprint is unchanged and every recorded delivery list is a prefix of today's (deliveries
were only added after the newest one); anything else, or no record, rebuilds everything.

An incremental build also leaves out what cannot have changed (``BuildPlan.exclude``): the seeds (their
files are in the fingerprint) and the models tagged ``source_<name>`` in dbt_project.yml (rows that depend
on that source's deliveries alone) when none of that source's manifests changed since the last build (not
even a verdict of ``stiwatch accept`` or ``retract``): a weekly OpenAlex delta does not rerun the patent
models and their tests.

The record is ``<data_dir>/warehouse_build.json``, beside the warehouse and not in it, so a failed build
(nothing recorded) or a lost warehouse (no file) can never pass for a good one.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from stiwatch.atomic_io import read_json, write_json_atomic
from stiwatch.config import DBT_PROJECT_DIR, SOURCES, Settings
from stiwatch.lake_index import freeze_lake_index, lake_manifests, read_lake_index
from stiwatch.landing import is_retracted
from stiwatch.warehouse_reader import warehouse

log = logging.getLogger(__name__)

# What dbt reads besides the lake: its code, its seeds and its project settings.
DBT_INPUTS = ("dbt_project.yml", "models", "macros", "seeds")
DBT_CODE = ("dbt_project.yml", "models", "macros")
# Keys of lake/institutions/_manifest.json that change how an already seen string resolves (the ROR dump,
# the curated seeds, the matcher's code and threshold); its count of strings grows with every WoS snapshot
# and is left out on purpose.
INSTITUTION_KEYS = (
    "registry_id",
    "alias_seed_sha256",
    "abbreviation_seed_sha256",
    "country_variant_seed_sha256",
    "matcher_sha256",
    "fuzzy_threshold",
)


# What an incremental build leaves out whatever changed: the seeds, whose files the fingerprint covers.
UNCHANGED_SEEDS = "resource_type:seed"


def source_tag(source: str) -> str:
    """The dbt tag of the models whose rows depend on ``source``'s deliveries alone (dbt_project.yml)."""
    return f"source_{source}"


@dataclass(frozen=True)
class BuildPlan:
    full_refresh: bool
    reason: str
    unchanged_sources: tuple[str, ...] = ()
    # SHA-256 of the lake index the build must read (plan_frozen_build); None when the plan froze nothing.
    lake_index_sha256: str | None = None

    @property
    def exclude(self) -> tuple[str, ...]:
        """dbt selectors the build leaves out: none on a full rebuild; on an incremental one the seeds and
        the models of every source whose manifests are as the last build saw them (with their tests)."""
        if self.full_refresh:
            return ()
        return (UNCHANGED_SEEDS, *(f"tag:{source_tag(source)}" for source in self.unchanged_sources))


def record_path(settings: Settings) -> Path:
    return settings.build_record_path


def _dbt_files(names: tuple[str, ...]) -> list[Path]:
    files: list[Path] = []
    for name in names:
        root = DBT_PROJECT_DIR / name
        files += sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
    return files


def _institution_inputs(settings: Settings) -> dict[str, object]:
    institutions = settings.lake_dir / "institutions" / "_manifest.json"
    if not institutions.exists():
        return {}
    manifest = read_json(institutions)
    return {k: manifest.get(k) for k in INSTITUTION_KEYS}


def fingerprint(settings: Settings) -> str:
    """SHA-256 over the dbt vars, the dbt code and seeds, and the institution resolution inputs."""
    digest = hashlib.sha256()
    digest.update(json.dumps(settings.dbt_vars(), sort_keys=True, default=str).encode())
    for path in _dbt_files(DBT_INPUTS):
        digest.update(path.relative_to(DBT_PROJECT_DIR).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    if institutions := _institution_inputs(settings):
        digest.update(json.dumps(institutions, sort_keys=True).encode())
    return digest.hexdigest()


def input_digests(settings: Settings) -> dict[str, object]:
    """The fingerprint's inputs one by one, for telling two releases apart (stiwatch.publish.changes):
    the dbt vars as values, one sha256 over the dbt code, one per seed file, the institution inputs."""
    code = hashlib.sha256()
    for path in _dbt_files(DBT_CODE):
        code.update(path.relative_to(DBT_PROJECT_DIR).as_posix().encode())
        code.update(hashlib.sha256(path.read_bytes()).digest())
    seeds = {
        path.relative_to(DBT_PROJECT_DIR / "seeds").as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in _dbt_files(("seeds",))
    }
    return {
        "dbt_vars": settings.dbt_vars(),
        "code_sha256": code.hexdigest(),
        "seeds_sha256": seeds,
        "institutions": _institution_inputs(settings),
    }


def deliveries(manifests: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Published deliveries per source in delivery order, each as ``<snapshot id>@<ingested at>``.

    The order is dbt's (stg_lake__snapshots.delivery_order): as-of date, a full before a delta of the same
    day, snapshot id, ingest time. The ingest time is part of the entry: a snapshot re-ingested with
    ``--force`` (a correction under the same id) changes it, so its states are rebuilt, never kept stale.
    """
    keyed: dict[str, list[tuple[str, bool, str, str]]] = {}
    for manifest in manifests:
        source = manifest.get("source")
        if source not in SOURCES:  # reference data (ROR): dbt leaves it out too (lake_manifests.sql)
            continue
        if is_retracted(manifest):  # out of the lake view (lake_manifests.sql): a removed delivery
            continue
        key = (
            str(manifest["as_of"]),
            manifest.get("kind", "full") != "full",
            str(manifest["snapshot_id"]),
            str(manifest.get("ingested_at", "")),
        )
        keyed.setdefault(source, []).append(key)
    return {
        source: [f"{snapshot_id}@{ingested_at}" for _, _, snapshot_id, ingested_at in sorted(keys)]
        for source, keys in sorted(keyed.items())
    }


def source_digests(manifests: list[dict[str, Any]]) -> dict[str, str]:
    """Per counted source, a SHA-256 over its manifests (retracted ones too): any new, re-ingested,
    accepted or retracted delivery of the source changes it."""
    digests = {source: hashlib.sha256() for source in SOURCES}
    for manifest in sorted(manifests, key=lambda m: (str(m.get("source")), str(m.get("snapshot_id")))):
        if digest := digests.get(manifest.get("source")):
            digest.update(json.dumps(manifest, sort_keys=True, default=str).encode())
    return {source: digest.hexdigest() for source, digest in digests.items()}


def plan_build(settings: Settings, manifests: list[dict[str, Any]] | None = None) -> BuildPlan:
    """Incremental when nothing but new deliveries changed since the last successful build.

    ``manifests``: the deliveries the build will read (``plan_frozen_build``); the lake's now by default,
    to ask whether a build is due without starting one.
    """
    record = record_path(settings)
    if not warehouse(settings).built:
        return BuildPlan(True, "no warehouse yet")
    if not record.exists():
        return BuildPlan(True, f"no record of a previous build ({record})")
    previous = read_json(record)
    if previous.get("fingerprint") != fingerprint(settings):
        return BuildPlan(True, "dbt code, seeds, settings or institution matching changed")
    manifests = lake_manifests(settings.lake_dir) if manifests is None else manifests
    now = deliveries(manifests)
    for source, built in previous.get("deliveries", {}).items():
        if now.get(source, [])[: len(built)] != built:
            return BuildPlan(True, f"{source}: a delivery was removed or landed before one already built")
    built = previous.get("sources", {})
    unchanged = tuple(s for s, digest in source_digests(manifests).items() if built.get(s) == digest)
    reason = "only new deliveries since the last build"
    if unchanged:
        reason += f"; left out, nothing new: {', '.join(unchanged)}"
    return BuildPlan(False, reason, unchanged)


def plan_frozen_build(settings: Settings) -> BuildPlan:
    """Freeze the lake's manifests for the next build (stiwatch.lake_index) and plan it over them: the
    build reads exactly the deliveries its plan saw, whatever is published while it runs."""
    frozen = freeze_lake_index(settings)
    return replace(plan_build(settings, frozen.manifests), lake_index_sha256=frozen.sha256)


def record_build(settings: Settings) -> Path:
    """Record a successful build (call after dbt build succeeded): the deliveries of the index it read,
    not the lake's now (a delivery published during the build is not in it, so the next build takes it)."""
    manifests = read_lake_index(settings)
    payload = {
        "fingerprint": fingerprint(settings),
        "deliveries": deliveries(manifests),
        "sources": source_digests(manifests),
    }
    return write_json_atomic(payload, record_path(settings))


def forget_build(settings: Settings) -> None:
    """Make the next build a full rebuild (``stiwatch refresh --full-rebuild``)."""
    record_path(settings).unlink(missing_ok=True)
