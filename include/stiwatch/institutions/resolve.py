"""The institution resolution step of a refresh: WoS organisation strings in the lake -> one institution each.

Runs between the ingest and dbt. DuckDB reads the distinct organisations of the WoS affiliation parts in the
lake, each with the country code dbt gives its address (``address_country``); each pair is resolved once by
the matcher (``organisation_first``: a WoS organisation is the first comma part of a C1 address) against the
current ROR dump (``ror_landing``) and the alias seed. The result is written atomically to
``lake/institutions/matches.parquet`` (``MATCHES_SCHEMA``) with ``_manifest.json`` beside it; dbt joins it
back on (organisation, country_code). Every pair gets a row: an unresolved string is kept as its own
institution ``unresolved:<country>:<normalised text>``.

OpenAlex affiliations need no matching: their ROR id (else the OpenAlex institution id) is the institution,
taken directly in dbt (``int_affiliation_institutions``).
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from stiwatch.atomic_io import write_json_atomic, write_parquet_atomic
from stiwatch.config import Settings
from stiwatch.institutions.aliases import ALIAS_SEED, load_aliases
from stiwatch.institutions.countries import COUNTRY_VARIANT_SEED
from stiwatch.institutions.matcher import Match, Matcher
from stiwatch.institutions.normalise import ABBREVIATION_SEED
from stiwatch.institutions.ror_landing import (
    current_dump,
    empty_registry,
    publish_landed_dumps,
    read_registry,
)
from stiwatch.sources.wos.countries import address_country, default_lookup

log = logging.getLogger(__name__)

MATCHES_SCHEMA = pa.schema(
    [
        ("organisation", pa.string()),  # as in the lake (WoS first C1 part)
        ("country_code", pa.string()),  # the address's code (int_wos_affiliations_coded): the join key
        ("institution_key", pa.string()),  # ROR id, or unresolved:<country>:<normalised text>
        ("canonical_name", pa.string()),
        ("institution_country", pa.string()),
        ("method", pa.string()),  # alias, exact, acronym, abbreviated, prefix, contained, fuzzy, unresolved
        ("confidence", pa.float64()),
        ("ror_id", pa.string()),
        ("matched_part", pa.string()),
        ("registry_id", pa.string()),  # the ROR dump used; NULL when only the alias seed was available
    ]
)
_BATCH_ROWS = 50_000
# The modules whose code decides how a string resolves (hashed into the manifest as matcher_sha256).
_RULE_MODULES = ("matcher.py", "normalise.py", "countries.py")


def matches_path(lake_dir: Path) -> Path:
    return lake_dir / "institutions" / "matches.parquet"


def resolve_institutions(settings: Settings) -> Path:
    """Publish landed ROR dumps, resolve every distinct WoS organisation string, write the matches table."""
    publish_landed_dumps(settings)
    dump = current_dump(settings)
    registry = read_registry(settings.lake_dir, dump.snapshot_id) if dump else empty_registry()
    registry_id = dump.snapshot_id if dump else None
    if registry_id is None:
        log.warning("no ROR dump landed in %s/ror: alias seed only", settings.landing_dir)
    matcher = Matcher(registry, load_aliases(), fuzzy_threshold=settings.institution_fuzzy_threshold)
    methods: Counter[str] = Counter()
    rows = []
    for organisation, country_code in distinct_wos_organisations(settings.lake_dir):
        match = matcher.resolve(organisation, country_code, organisation_first=True)
        methods[match.method] += 1
        rows.append(_row(organisation, country_code, match, registry_id))
    target = matches_path(settings.lake_dir)
    write_parquet_atomic(pa.Table.from_pylist(rows, schema=MATCHES_SCHEMA), target)
    manifest = {
        "registry_id": registry_id,
        "alias_seed_sha256": _sha256(ALIAS_SEED),
        "abbreviation_seed_sha256": _sha256(ABBREVIATION_SEED),
        "country_variant_seed_sha256": _sha256(COUNTRY_VARIANT_SEED),
        # The rules themselves: a new matcher version resolves seen strings differently too.
        "matcher_sha256": _matcher_sha256(),
        "fuzzy_threshold": settings.institution_fuzzy_threshold,
        "strings": len(rows),
        "by_method": dict(sorted(methods.items())),
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    write_json_atomic(manifest, target.with_name("_manifest.json"))
    log.info("resolved %s distinct WoS organisation strings: %s", len(rows), dict(methods))
    return target


def distinct_wos_organisations(lake_dir: Path) -> Iterator[tuple[str, str]]:
    """Distinct (organisation, country_code) of all WoS affiliation parts, sorted; streamed in batches.

    The country code is the one dbt gives the address (``address_country``, from the seeds at this
    refresh), so the matches join back on it. Parts of snapshots without a manifest yet are read too:
    resolving a few extra strings is harmless and the table is then ready when the snapshot is published.
    """
    pattern = str(lake_dir / "wos" / "snapshot=*" / "affiliations" / "*.parquet")
    lookup = default_lookup()
    with duckdb.connect() as con:
        (files,) = con.execute("SELECT count(*) FROM glob($pattern)", {"pattern": pattern}).fetchone()
        if not files:
            return
        # Unioned by name with a typed empty row set: parts written before country_form existed lack it.
        con.execute(
            """
            SELECT DISTINCT organisation, country_raw, country_form, place_parts, country_code
            FROM (
                SELECT * FROM read_parquet($pattern, union_by_name = true)
                UNION ALL BY NAME
                SELECT NULL::VARCHAR AS country_code, NULL::VARCHAR AS country_form,
                    NULL::VARCHAR[] AS place_parts
                WHERE false
            )
            WHERE trim(coalesce(organisation, '')) <> ''
            """,
            {"pattern": pattern},
        )
        pairs = set()
        while batch := con.fetchmany(_BATCH_ROWS):
            for organisation, country_raw, form, places, ingested_code in batch:
                pairs.add((organisation, address_country(country_raw, form, places, ingested_code, lookup)))
    yield from sorted(pairs)


def _row(organisation: str, country_code: str, match: Match, registry_id: str | None) -> dict[str, object]:
    return {
        "organisation": organisation,
        "country_code": country_code,
        "institution_key": match.institution_id,
        "canonical_name": match.institution_name,
        "institution_country": match.institution_country,
        "method": match.method,
        "confidence": match.confidence,
        "ror_id": match.ror_id,
        "matched_part": match.matched_part,
        "registry_id": registry_id,
    }


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _matcher_sha256() -> str:
    """One digest over the source of the modules that decide how a string resolves."""
    digest = hashlib.sha256()
    for module in _RULE_MODULES:
        digest.update(Path(__file__).with_name(module).read_bytes())
    return digest.hexdigest()
