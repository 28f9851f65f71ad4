"""The organisation hierarchy of the current ROR dump: each organisation -> its top-level parent.

ROR records name their parents (``relationships[]`` of type ``parent``): a CAS institute names the Chinese
Academy of Sciences. WoS addresses usually name the parent, OpenAlex the institute, so the two rank
comparably only when institutes are rolled up (dbt var ``roll_up_institutions``). The rule: follow the
parent link while an organisation has exactly one parent that is an active record of the dump; an
organisation with several parents (a joint laboratory of two universities) is its own top, since picking one
would credit the other wrongly. Cycles stop at the first repeated organisation. The parent links are the
registry's ``parents`` table (``registry.Registry``: links of its kept, i.e. active, organisations), the one
source of parent links for both the matcher and the roll-up.

Written at each refresh by the resolution step, after the ROR dump is published, to
``lake/institutions/hierarchy.parquet`` (``HIERARCHY_SCHEMA``: only organisations that have a parent; the
others are their own top) with ``hierarchy_manifest.json``; rewritten only when the current dump changes.
Without a dump the file is empty (nothing rolls up). dbt reads it with ``lake_file()``.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from stiwatch.atomic_io import write_json_atomic, write_parquet_atomic
from stiwatch.config import Settings
from stiwatch.institutions.registry import Registry
from stiwatch.institutions.ror_landing import current_dump, read_registry

log = logging.getLogger(__name__)

HIERARCHY_SCHEMA = pa.schema(
    [
        ("ror_id", pa.string()),
        ("top_ror_id", pa.string()),
        ("top_name", pa.string()),
        ("top_country", pa.string()),
        ("levels", pa.int32()),  # parent links followed up to the top (1: the parent is the top)
        ("registry_id", pa.string()),
    ]
)
_MAX_LEVELS = 10

# Organisations with exactly one active parent, walked up; the deepest step of each is its top.
_TOP_SQL = f"""
WITH RECURSIVE
single AS (
    SELECT parents.ror_id, min(parents.parent_id) AS parent_id
    FROM parents INNER JOIN organizations ON parents.parent_id = organizations.ror_id
    GROUP BY parents.ror_id HAVING count(DISTINCT parents.parent_id) = 1
),
walk(ror_id, top_ror_id, levels, path) AS (
    SELECT ror_id, parent_id, 1, [ror_id, parent_id] FROM single
    UNION ALL
    SELECT walk.ror_id, single.parent_id, walk.levels + 1, list_append(walk.path, single.parent_id)
    FROM walk INNER JOIN single ON walk.top_ror_id = single.ror_id
    WHERE NOT list_contains(walk.path, single.parent_id) AND walk.levels < {_MAX_LEVELS}
),
deepest AS (
    SELECT ror_id, arg_max(top_ror_id, levels) AS top_ror_id, max(levels) AS levels FROM walk GROUP BY ror_id
)
SELECT deepest.ror_id, deepest.top_ror_id, organizations.display_name AS top_name,
    organizations.country_code AS top_country, deepest.levels::INTEGER AS levels
FROM deepest INNER JOIN organizations ON deepest.top_ror_id = organizations.ror_id
ORDER BY deepest.ror_id
"""


def hierarchy_path(lake_dir: Path) -> Path:
    return lake_dir / "institutions" / "hierarchy.parquet"


def write_hierarchy(settings: Settings) -> Path:
    """Write the top-level parent of every organisation of the current dump (empty without a dump)."""
    target = hierarchy_path(settings.lake_dir)
    manifest_path = target.with_name("hierarchy_manifest.json")
    dump = current_dump(settings)
    registry_id = dump.snapshot_id if dump else None
    if (
        target.exists()
        and manifest_path.exists()
        and json.loads(manifest_path.read_text(encoding="utf-8")).get("registry_id") == registry_id
    ):
        return target
    table = HIERARCHY_SCHEMA.empty_table()
    if dump is not None:
        table = top_parents(read_registry(settings.lake_dir, dump.snapshot_id), registry_id)
    write_parquet_atomic(table, target)
    manifest = {
        "registry_id": registry_id,
        "rolled_up": table.num_rows,
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    write_json_atomic(manifest, manifest_path)
    log.info("organisation hierarchy of ROR dump %s: %s organisations have a top parent", registry_id,
             table.num_rows)  # fmt: skip
    return target


def top_parents(registry: Registry, registry_id: str | None) -> pa.Table:
    """ROR id -> top-level parent, from the registry's parent links and (active) organisations."""
    with duckdb.connect() as con:
        con.register(
            "organizations", registry.organizations.select(["ror_id", "display_name", "country_code"])
        )
        con.register("parents", registry.parents.select(["ror_id", "parent_id"]))
        tops = con.sql(_TOP_SQL).to_arrow_table()
    registry = pa.array([registry_id] * tops.num_rows, pa.string())
    return tops.append_column("registry_id", registry).cast(HIERARCHY_SCHEMA)
