"""The tables Great Expectations validates, gathered in one DuckDB file that GX reads through SQLAlchemy.

Lake tables are *views* over the Parquet files (``read_parquet`` over the whole lake table, never loaded
into Python), so GX's metrics run as DuckDB SQL over the files. Marts and the seeds the checks compare
with are *copied* from the warehouse (they are small, and attached read-only): GX then never holds the
warehouse open, and dbt can write it again as soon as this step is done.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import duckdb

from stiwatch import atomic_io
from stiwatch.config import Settings
from stiwatch.landing import is_retracted
from stiwatch.sources.registry import COUNTED_SOURCES, SPECS
from stiwatch.warehouse_reader import ALIAS, SCHEMA, warehouse

log = logging.getLogger(__name__)

# Lake tables per counted source (stiwatch.sources.registry; docs/ARCHITECTURE.md "Lake tables").
LAKE_TABLES: dict[str, tuple[str, ...]] = {name: SPECS[name].tables for name in COUNTED_SOURCES}
WAREHOUSE_PREFIXES = ("fct_", "dim_", "dq_")
REFERENCE_SEEDS = ("regions", "wos_country_names")


@dataclass(frozen=True)
class ValidationTables:
    database: Path
    lake_tables: tuple[str, ...]  # view names, e.g. lake__wos__publications
    warehouse_tables: tuple[str, ...]


def lake_view_name(source: str, table: str) -> str:
    return f"lake__{source}__{table}"


def _quoted(path: Path | str) -> str:
    return str(path).replace("'", "''")


def _retracted(settings: Settings, source: str) -> list[str]:
    """Snapshot ids withdrawn with ``stiwatch retract``: on disk, but not part of the lake any more."""
    return [
        path.parent.name.removeprefix("snapshot=")
        for path in sorted((settings.lake_dir / source).glob("snapshot=*/_manifest.json"))
        if is_retracted(atomic_io.read_json(path))
    ]


def build_validation_database(settings: Settings, database: Path) -> ValidationTables:
    """(Re)create ``database`` with a view per lake table that has files and a copy of every mart."""
    database.parent.mkdir(parents=True, exist_ok=True)
    database.unlink(missing_ok=True)
    lake_views: list[str] = []
    copied: list[str] = []
    with duckdb.connect(str(database)) as con:
        for source, tables in LAKE_TABLES.items():
            retracted = ", ".join(f"'{_quoted(snapshot)}'" for snapshot in _retracted(settings, source))
            without_retracted = f" where snapshot not in ({retracted})" if retracted else ""
            for table in tables:
                pattern = settings.lake_dir / source / "snapshot=*" / table / "*.parquet"
                if not con.execute("select count(*) from glob(?)", [str(pattern)]).fetchone()[0]:
                    continue
                view = lake_view_name(source, table)
                # Absolute path in the view: GX reads it from another connection. hive_types_autocast off:
                # a snapshot id such as 2024-08-27 stays text (as in the dbt staging models).
                con.execute(
                    f"create view {view} as select * from read_parquet('{_quoted(pattern)}', "
                    "hive_partitioning = true, hive_types_autocast = false, union_by_name = true)"
                    + without_retracted
                )
                lake_views.append(view)
        matches = settings.lake_dir / "institutions" / "matches.parquet"
        if matches.exists():
            view = lake_view_name("institutions", "matches")
            con.execute(f"create view {view} as select * from read_parquet('{_quoted(matches)}')")
            lake_views.append(view)
        built = warehouse(settings)
        if built.built:
            built.attach(con)
            for name in built.tables():
                if name.startswith(WAREHOUSE_PREFIXES) or name in REFERENCE_SEEDS:
                    con.execute(f'create table "{name}" as select * from {ALIAS}.{SCHEMA}."{name}"')
                    copied.append(name)
            built.detach(con)
        else:
            log.warning("no warehouse at %s: only the lake is validated (run dbt first)", built.location)
    log.info(
        "validation database %s: %d lake views, %d warehouse tables", database, len(lake_views), len(copied)
    )
    return ValidationTables(database, tuple(lake_views), tuple(copied))
