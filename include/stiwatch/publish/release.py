"""Build one serving release from the warehouse: a DuckDB file with every mart, Parquet per mart, metadata.

The warehouse is attached READ_ONLY from a fresh connection on the new serving file: dbt cannot write it
while we read (DuckDB's file lock), and we never open it read-write ourselves (one writer per file).
Call this in a process that does not already hold the warehouse open with another configuration.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stiwatch.publish.changes import CHANGES_MART, Changelog, write_release_changes
from stiwatch.publish.layout import (
    NOT_SETTINGS,
    PARQUET_DIR,
    SERVING_FILE,
    SNAPSHOT_COLUMNS,
    SNAPSHOT_MART,
)
from stiwatch.warehouse_reader import ALIAS, SCHEMA, Warehouse

log = logging.getLogger(__name__)

# What BI may read: facts, dimensions and data-quality tables (dq_results: the quality runs' findings).
MART_PREFIXES = ("fct_", "dim_", "dq_")
_SAFE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class PublishError(RuntimeError):
    """The warehouse cannot be published as it is (missing, no marts, counts differ after export)."""


@dataclass(frozen=True)
class BuiltRelease:
    row_counts: dict[str, int]
    snapshots: dict[str, list[dict[str, Any]]]
    settings: dict[str, list[Any]]
    dbt_invocation_ids: list[str]
    serving_sha256: str
    changes: dict[str, Any] | None = None


def build_release(
    warehouse: Warehouse, release_dir: Path, changelog: Changelog | None = None
) -> BuiltRelease:
    """Write ``serving.duckdb`` and ``parquet/<mart>.parquet`` into the (new, empty) ``release_dir``;
    with ``changelog``, also ``fct_release_changes`` against the previous release (publish.changes)."""
    import duckdb

    if not warehouse.built:
        raise PublishError(
            f"{warehouse.location}: no warehouse to publish; run the transform (dbt build) first"
        )
    serving_path = release_dir / SERVING_FILE
    parquet_dir = release_dir / PARQUET_DIR
    parquet_dir.mkdir(parents=True)
    started = time.monotonic()
    with duckdb.connect(str(serving_path)) as con:
        warehouse.attach(con)
        marts = _list_marts(con, warehouse.location)
        row_counts = {}
        for mart in marts:
            con.execute(f'create table main."{mart}" as select * from {ALIAS}.{SCHEMA}."{mart}"')
            parquet_path = parquet_dir / f"{mart}.parquet"
            con.execute(
                f"copy main.\"{mart}\" to '{_sql_text(parquet_path)}' (format parquet, compression zstd)"
            )
            row_counts[mart] = _checked_row_count(con, mart, parquet_path)
            log.info("published %s: %d rows", mart, row_counts[mart])
        warehouse.detach(con)
        changes = None
        if changelog is not None:
            changes_parquet = parquet_dir / f"{CHANGES_MART}.parquet"
            changes = write_release_changes(con, changes_parquet, changelog)
            row_counts[CHANGES_MART] = changes["changes"]
        snapshots = _snapshots(con, warehouse.location)
        settings = _settings_values(con)
        invocations = _distinct_values(con, marts, "dbt_invocation_id")
        con.execute("checkpoint")
    # Read-only on disk as well: a BI tool opening it read-write by mistake fails instead of locking it.
    os.chmod(serving_path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    log.info("built %s with %d marts in %.1f s", release_dir, len(marts), time.monotonic() - started)
    return BuiltRelease(
        row_counts, snapshots, settings, [str(v) for v in invocations], _sha256(serving_path), changes
    )


def _sql_text(path: Path) -> str:
    return str(path).replace("'", "''")


def _list_marts(con: Any, warehouse_path: Path) -> list[str]:
    names = [
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = ? and table_schema = ? order by table_name",
            [ALIAS, SCHEMA],
        ).fetchall()
        if name.startswith(MART_PREFIXES)
    ]
    unsafe = [name for name in names if not _SAFE_NAME.match(name)]
    if unsafe:
        raise PublishError(
            f"{warehouse_path}: mart names {unsafe} are not lower-case identifiers; rename the models"
        )
    if not names:
        raise PublishError(
            f"{warehouse_path}: no tables named {'/'.join(p + '*' for p in MART_PREFIXES)} in schema main; "
            "run the transform (dbt build) first"
        )
    return names


def _checked_row_count(con: Any, mart: str, parquet_path: Path) -> int:
    """Rows of the mart, after checking that the warehouse, the serving table and the Parquet agree."""
    (source_rows,) = con.execute(f'select count(*) from {ALIAS}.{SCHEMA}."{mart}"').fetchone()
    (serving_rows,) = con.execute(f'select count(*) from main."{mart}"').fetchone()
    (parquet_rows,) = con.execute("select count(*) from read_parquet(?)", [str(parquet_path)]).fetchone()
    if not source_rows == serving_rows == parquet_rows:
        raise PublishError(
            f"{mart}: warehouse has {source_rows} rows, serving table {serving_rows}, {parquet_path} "
            f"{parquet_rows}; was the warehouse rebuilt during the publish? Run the publish again"
        )
    return int(serving_rows)


def _columns(con: Any, table: str) -> set[str]:
    rows = con.execute(
        "select column_name from information_schema.columns "
        "where table_catalog = current_database() and table_schema = 'main' and table_name = ?",
        [table],
    ).fetchall()
    return {name for (name,) in rows}


def _snapshots(con: Any, warehouse_path: Path) -> dict[str, list[dict[str, Any]]]:
    """Every (snapshot, as-of, current) of mart ``dim_snapshot``, grouped by source."""
    missing = set(SNAPSHOT_COLUMNS) - _columns(con, SNAPSHOT_MART)
    if missing:
        raise PublishError(
            f"{warehouse_path}: mart {SNAPSHOT_MART} is missing or lacks {sorted(missing)}; run the "
            "transform (dbt build) first"
        )
    rows = con.execute(
        f"select {', '.join(SNAPSHOT_COLUMNS)} from main.{SNAPSHOT_MART} "
        "order by source, snapshot_as_of, snapshot_id"
    ).fetchall()
    found: dict[str, list[dict[str, Any]]] = {}
    for source, snapshot_id, as_of, is_current in rows:
        found.setdefault(source, []).append(
            {
                "snapshot_id": snapshot_id,
                "as_of": as_of.isoformat() if as_of else None,
                "is_current": is_current,
            }
        )
    return found


def _distinct_values(con: Any, marts: list[str], column: str) -> list[Any]:
    selects = [
        f'select "{column}" as v from main."{mart}"' for mart in marts if column in _columns(con, mart)
    ]
    if not selects:
        return []
    rows = con.execute(
        "select distinct v from (" + " union all ".join(selects) + ") where v is not null order by v"
    ).fetchall()
    return [v for (v,) in rows]


def _settings_values(con: Any) -> dict[str, list[Any]]:
    """The counting settings of ``dim_snapshot`` (several values: snapshots built with different runs);
    a setting that shapes no published snapshot (NULL on every row) is left out."""
    columns = [c for c in _columns(con, SNAPSHOT_MART) if c not in NOT_SETTINGS]
    values = {column: _distinct_values(con, [SNAPSHOT_MART], column) for column in sorted(columns)}
    return {column: found for column, found in values.items() if found}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
