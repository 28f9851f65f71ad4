"""The ROR registry at refresh time: ``landing/ror/<id>/`` -> ``lake/ror/snapshot=<id>/`` -> Registry.

A ROR data dump is landed like any other source: a folder ``landing/ror/<dump_id>/`` holding the Zenodo zip
(``v1.55-2024-10-31-ror-data.zip``) or JSON lines files; its as-of date follows the landing contract
(``_snapshot.json``, else a leading ``YYYY-MM-DD`` of the id, else the newest file date). Each landed dump is
written to the lake once (``write_registry``; its ``_manifest.json`` marks it done) and the newest one by
as-of date, then id, is the registry the matcher uses. Without any landed dump the registry is empty and the
matcher resolves through the curated alias seed alone; everything else stays ``unresolved:...`` (kept).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from stiwatch.atomic_io import read_json
from stiwatch.config import Settings
from stiwatch.institutions.registry import (
    PARENTS_SCHEMA,
    SOURCE,
    TABLES,
    Registry,
    load_ror,
    write_registry,
)
from stiwatch.landing import Snapshot, list_snapshots
from stiwatch.layout import snapshot_dir

log = logging.getLogger(__name__)

# The columns the matcher reads, for a registry without any organisation.
_EMPTY_TABLES = {
    "organizations": pa.schema(
        [(column, pa.string()) for column in ("ror_id", "display_name", "country_code", "country_name")]
    ),
    "names": pa.schema([(column, pa.string()) for column in ("ror_id", "name", "name_type")]),
    "successors": pa.schema([(column, pa.string()) for column in ("ror_id", "successor_id")]),
    "parents": PARENTS_SCHEMA,
}


def publish_landed_dumps(settings: Settings) -> list[str]:
    """Write every landed ROR dump that has no complete lake copy yet; return the dump ids written.

    A copy is complete when its manifest counts rows for every table the registry has now: a dump written
    before a table was added (``parents``) is written again from its landing folder."""
    published = []
    for dump in list_snapshots(settings.landing_dir, SOURCE):
        if _is_complete(settings.lake_dir, dump.snapshot_id):
            continue
        files = [dump.path / relative for relative in dump.data_files()]
        if not files:
            raise ValueError(
                f"{dump.path}: ROR landing folder without a data file; put the Zenodo dump zip (or .jsonl.gz "
                "files) in it or remove the folder"
            )
        write_registry(load_ror(files), settings.lake_dir, dump.snapshot_id)
        log.info("ROR dump %s written to the lake from %s file(s)", dump.snapshot_id, len(files))
        published.append(dump.snapshot_id)
    return published


def current_dump(settings: Settings) -> Snapshot | None:
    """The newest landed ROR dump (as-of date, then id) already in the lake, or None."""
    in_lake = [
        dump
        for dump in list_snapshots(settings.landing_dir, SOURCE)
        if _is_complete(settings.lake_dir, dump.snapshot_id)
    ]
    return max(in_lake, key=lambda dump: (dump.as_of, dump.snapshot_id), default=None)


def read_registry(lake_dir: Path, dump_id: str) -> Registry:
    """A registry written by ``write_registry``, read back from the lake."""
    folder = snapshot_dir(lake_dir, SOURCE, dump_id)
    tables = {table: pq.read_table(folder / table / "data.parquet") for table in TABLES}
    return Registry(**tables, inputs=({"input": str(folder), "format": "lake"},))


def empty_registry() -> Registry:
    """No ROR organisation: the matcher then knows only the alias seed's institutions."""
    tables = {table: schema.empty_table() for table, schema in _EMPTY_TABLES.items()}
    return Registry(**tables, inputs=())


def _is_complete(lake_dir: Path, dump_id: str) -> bool:
    manifest = _manifest(lake_dir, dump_id)
    return manifest.exists() and set(TABLES) <= set(read_json(manifest).get("rows", {}))


def _manifest(lake_dir: Path, dump_id: str) -> Path:
    return snapshot_dir(lake_dir, SOURCE, dump_id) / "_manifest.json"
