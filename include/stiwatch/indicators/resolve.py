"""The indicator-list step of a refresh: every landed list version -> entries resolved to institutions.

Runs after the institution resolution step and before dbt. Each ``landing/indicators/<list_id>/<version>/``
is read (``formats.read_entries``; lists are small, so all versions are read at every refresh) and every
entry resolved once:
- ``ror_id``: the list gives a ROR id; it is taken as is (``ror_in_registry`` says whether the current ROR
  dump or the alias seed knows it), score 1;
- ``name:<method>`` / ``alias:<method>``: else the entry's name, then each alias, through the same matcher
  and registry as the WoS affiliations (``Matcher.resolve`` with the entry's country); the best score wins,
  the name before an alias on a tie. Accepted at ``indicator_min_score`` or above (a watch list must not
  flag wrongly: precision first);
- ``unresolved``: nothing reached the floor; the entry is kept, listed in ``dim_indicator_entry``, and
  flags nothing. ``matched_text`` / ``resolution_score`` still say what the best candidate was.
The result is written atomically to ``lake/indicators/entries.parquet`` (``ENTRY_SCHEMA``, one row per
entry of every version, ``is_current_version`` marking the newest version of each list) with
``_manifest.json`` beside it; dbt reads it with ``lake_file()``. The PATSTAT applicants matched to the
current entries (``applicants.match_applicants``) are written beside it, for co-patents.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from stiwatch.atomic_io import write_json_atomic, write_parquet_atomic
from stiwatch.config import Settings
from stiwatch.indicators.applicants import match_applicants
from stiwatch.indicators.formats import read_entries
from stiwatch.institutions.aliases import load_aliases
from stiwatch.institutions.matcher import Match, Matcher
from stiwatch.institutions.registry import Registry
from stiwatch.institutions.ror_landing import current_dump, empty_registry, read_registry
from stiwatch.landing import SNAPSHOT_ID_RE, Snapshot, list_snapshots
from stiwatch.sources.indicators import SPEC

log = logging.getLogger(__name__)

ENTRY_SCHEMA = pa.schema(
    [
        ("entry_id", pa.string()),  # <list_id>:<12 hex of name|country|category>, stable across versions
        ("list_id", pa.string()),
        ("list_version", pa.string()),
        ("list_as_of", pa.date32()),
        ("is_current_version", pa.bool_()),
        ("source_file", pa.string()),
        ("source_format", pa.string()),  # stiwatch (the documented CSV) or csl
        ("record_seq", pa.int32()),
        ("name", pa.string()),
        ("aliases", pa.string()),  # "; "-joined
        ("country_code", pa.string()),
        ("given_ror_id", pa.string()),
        ("category", pa.string()),
        ("listed_on", pa.date32()),
        ("delisted_on", pa.date32()),
        ("source_url", pa.string()),
        ("notes", pa.string()),
        ("institution_key", pa.string()),  # the ROR id it resolved to; NULL when unresolved
        ("institution_name", pa.string()),
        ("institution_country", pa.string()),
        (
            "resolution_method",
            pa.string(),
        ),  # ror_id, name:<matcher method>, alias:<matcher method>, unresolved
        ("resolution_score", pa.float64()),
        ("matched_text", pa.string()),  # the name or alias that resolved (best candidate when unresolved)
        ("ror_in_registry", pa.bool_()),
        ("registry_id", pa.string()),
    ]
)


def entries_path(lake_dir: Path) -> Path:
    return lake_dir / SPEC.name / "entries.parquet"


def landed_versions(landing_dir: Path) -> list[Snapshot]:
    """Every landed version of every list: ``landing/indicators/<list_id>/<version>/`` (Snapshot.source is
    the list id)."""
    root = landing_dir / SPEC.name
    if not root.is_dir():
        return []
    versions = []
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or folder.name.startswith((".", "_")):
            continue
        if not SNAPSHOT_ID_RE.match(folder.name):
            raise ValueError(
                f"{folder}: list id {folder.name!r} may only hold letters, digits, '_', '-', '.'"
            )
        versions.extend(list_snapshots(root, folder.name))
    return versions


def resolve_indicators(settings: Settings) -> Path:
    """Read every landed list version, resolve its entries, write ``lake/indicators/entries.parquet``."""
    dump = current_dump(settings)
    registry = read_registry(settings.lake_dir, dump.snapshot_id) if dump else empty_registry()
    registry_id = dump.snapshot_id if dump else None
    aliases = load_aliases()
    resolver = EntryResolver(Matcher(registry, aliases), known_ror_names(registry, aliases))
    versions = landed_versions(settings.landing_dir)
    newest = {}
    for version in versions:
        current = newest.get(version.source)
        if current is None or (version.as_of, version.snapshot_id) > (current.as_of, current.snapshot_id):
            newest[version.source] = version
    rows: list[dict[str, object]] = []
    for version in versions:
        rows.extend(
            version_rows(version, resolver, settings.indicator_min_score, newest[version.source] is version)
        )
    for row in rows:
        row["registry_id"] = registry_id
    target = entries_path(settings.lake_dir)
    write_parquet_atomic(pa.Table.from_pylist(rows, schema=ENTRY_SCHEMA), target)
    current_rows = [row for row in rows if row["is_current_version"]]
    applicants = match_applicants(settings.lake_dir, current_rows, settings.indicator_min_score)
    methods = Counter(str(row["resolution_method"]) for row in current_rows)
    manifest = {
        "registry_id": registry_id,
        "lists": {list_id: version.snapshot_id for list_id, version in sorted(newest.items())},
        "entries": len(rows),
        "current_by_method": dict(sorted(methods.items())),
        "min_score": settings.indicator_min_score,
        "applicant_matches": pq.read_metadata(applicants).num_rows,
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    write_json_atomic(manifest, target.with_name("_manifest.json"))
    log.info(
        "indicator lists: %s entries in %s versions of %s lists: %s",
        len(rows),
        len(versions),
        len(newest),
        dict(methods),
    )
    return target


def version_rows(
    version: Snapshot, resolver: EntryResolver, min_score: float, is_current: bool
) -> list[dict[str, object]]:
    """The resolved entries of one landed list version, in file then line order."""
    files = version.data_files()
    if not files:
        raise ValueError(
            f"{version.path}: indicator list version without a data file; put the list's CSV in it or "
            "remove the folder"
        )
    rows = []
    seen: Counter[str] = Counter()
    for relative in files:
        source_format, entries = read_entries(version.path / relative)
        for entry in entries:
            entry_id = _entry_id(version.source, entry)
            seen[entry_id] += 1
            if seen[entry_id] > 1:  # the same organisation twice in one version: keep both, told apart
                entry_id = f"{entry_id}-{seen[entry_id]}"
            rows.append(
                {
                    "entry_id": entry_id,
                    "list_id": version.source,
                    "list_version": version.snapshot_id,
                    "list_as_of": version.as_of,
                    "is_current_version": is_current,
                    "source_file": str(relative),
                    "source_format": source_format,
                    "record_seq": entry["record_seq"],
                    "name": entry["name"],
                    "aliases": "; ".join(entry["aliases"]) or None,
                    "country_code": entry["country"],
                    "given_ror_id": entry["ror_id"],
                    "category": entry["category"],
                    "listed_on": entry["listed_on"],
                    "delisted_on": entry["delisted_on"],
                    "source_url": entry["source_url"],
                    "notes": entry["notes"],
                    **resolver.resolve(entry, min_score),
                }
            )
    return rows


def known_ror_names(registry: Registry, aliases: list) -> dict[str, tuple[str, str]]:
    """ROR id -> (name, country) of every organisation the matcher knows: the dump, then the alias seed."""
    names = {alias.ror_id: (alias.canonical_name, alias.country_code) for alias in aliases}
    organisations = registry.organizations.select(["ror_id", "display_name", "country_code"]).to_pylist()
    names.update({o["ror_id"]: (o["display_name"], o["country_code"]) for o in organisations})
    return names


class EntryResolver:
    """One entry -> its institution: the given ROR id, else the best of its name and aliases."""

    def __init__(self, matcher: Matcher, known: dict[str, tuple[str, str]]) -> None:
        self._matcher = matcher
        self._known = known

    def resolve(self, entry: dict[str, object], min_score: float) -> dict[str, object]:
        ror_id = entry["ror_id"]
        if ror_id:
            name, country = self._known.get(str(ror_id), (entry["name"], entry["country"]))
            return _resolution(str(ror_id), name, country, "ror_id", 1.0, None, str(ror_id) in self._known)
        best: tuple[str, Match] | None = None
        texts = [("name", str(entry["name"])), *(("alias", str(alias)) for alias in entry["aliases"])]
        for kind, text in texts:
            match = self._matcher.resolve(text, entry["country"])
            if match.resolved and (best is None or match.confidence > best[1].confidence):
                best = (kind, match)
        if best is None:
            return _resolution(None, None, None, "unresolved", 0.0, None, None)
        kind, match = best
        if match.confidence < min_score:
            return _resolution(None, None, None, "unresolved", match.confidence, match.text, None)
        return _resolution(
            match.ror_id,
            match.institution_name,
            match.institution_country,
            f"{kind}:{match.method}",
            match.confidence,
            match.text,
            True,
        )


def _resolution(
    key: str | None,
    name: object,
    country: object,
    method: str,
    score: float,
    text: str | None,
    in_registry: bool | None,
) -> dict[str, object]:
    return {
        "institution_key": key,
        "institution_name": name,
        "institution_country": country,
        "resolution_method": method,
        "resolution_score": score,
        "matched_text": text,
        "ror_in_registry": in_registry,
    }


def _entry_id(list_id: str, entry: dict[str, object]) -> str:
    identity = "|".join(str(entry[key] or "").strip().lower() for key in ("name", "country", "category"))
    return f"{list_id}:{hashlib.sha256(identity.encode('utf-8')).hexdigest()[:12]}"
