"""The one way Python reads the warehouse, whichever engine dbt built it on (setting STIWATCH_ENGINE).

Quality, publish, the refresh summary and the CLI attach the warehouse onto a DuckDB connection under
one alias, ``warehouse``, and query ``warehouse.main.<table>`` the same way on both engines:

- ``duckdb``: the ``warehouse.duckdb`` file, attached read-only (dbt is its only writer);
- ``spark``: dbt-spark writes each table as Parquet files in ``<spark warehouse dir>/stiwatch.db/<table>/``
  (``spark.sql.warehouse.dir``, database ``stiwatch``); each becomes a view over its files in an
  in-memory catalog. Spark's bookkeeping files (``_SUCCESS``, ``.crc``) are skipped; layouts this reader
  would misread (partition folders, Delta logs) are refused with a message, never half-read.

The serving release that BI reads is a DuckDB file either way (stiwatch.publish).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stiwatch.config import Settings

ALIAS = "warehouse"
# The schema callers name under ALIAS: DuckDB's default, and the one the Spark views are created in.
SCHEMA = "main"
# dbt-spark's database (the profile's schema): Spark keeps its tables in <warehouse dir>/<database>.db/.
SPARK_DATABASE = "stiwatch"


class WarehouseMissingError(FileNotFoundError):
    """The warehouse has not been built yet."""


class WarehouseLayoutError(ValueError):
    """The engine's output is laid out in a way this reader cannot read faithfully."""


def _sql_text(value: object) -> str:
    return str(value).replace("'", "''")


@dataclass(frozen=True)
class Warehouse(ABC):
    """Where the engine's tables are; ``attach`` puts them under ``warehouse.main`` on a connection."""

    engine: str
    location: Path

    @property
    @abstractmethod
    def built(self) -> bool:
        """Has the engine built anything yet."""

    def require(self) -> None:
        if not self.built:
            raise WarehouseMissingError(
                f"{self.location}: no warehouse built on {self.engine} yet; "
                "run `stiwatch refresh` (or `make run`) first"
            )

    @abstractmethod
    def tables(self) -> list[str]:
        """The names of the warehouse's tables and views."""

    @abstractmethod
    def attach(self, con: Any) -> None:
        """Put the warehouse, read-only, on ``con`` under ``ALIAS``."""

    def detach(self, con: Any) -> None:
        con.execute(f"detach {ALIAS}")


class DuckDBWarehouse(Warehouse):
    @property
    def built(self) -> bool:
        return self.location.is_file()

    def tables(self) -> list[str]:
        import duckdb

        self.require()
        with duckdb.connect(str(self.location), read_only=True) as con:
            rows = con.execute(
                "select table_name from information_schema.tables where table_schema = ? order by 1", [SCHEMA]
            ).fetchall()
        return [name for (name,) in rows]

    def attach(self, con: Any) -> None:
        self.require()
        con.execute(f"attach '{_sql_text(self.location)}' as {ALIAS} (read_only)")


class SparkWarehouse(Warehouse):
    """Parquet table folders written by Spark; ``location`` is ``<spark warehouse dir>/stiwatch.db``."""

    @property
    def built(self) -> bool:
        return self.location.is_dir() and any(_visible(p) and p.is_dir() for p in self.location.iterdir())

    def _table_files(self) -> dict[str, list[Path]]:
        self.require()
        found = {}
        for folder in sorted(p for p in self.location.iterdir() if _visible(p) and p.is_dir()):
            found[folder.name] = _parquet_files(folder)
        return found

    def tables(self) -> list[str]:
        return list(self._table_files())

    def attach(self, con: Any) -> None:
        tables = self._table_files()
        con.execute(f"attach ':memory:' as {ALIAS}")
        for name, files in tables.items():
            listed = ", ".join(f"'{_sql_text(f)}'" for f in files)
            con.execute(f'create view {ALIAS}.{SCHEMA}."{name}" as select * from read_parquet([{listed}])')


def _visible(path: Path) -> bool:
    """Spark's and Hadoop's own files start with ``_`` or ``.``: ``_SUCCESS``, ``.part-0.crc``."""
    return not path.name.startswith(("_", "."))


def _parquet_files(folder: Path) -> list[Path]:
    if (folder / "_delta_log").is_dir():
        raise WarehouseLayoutError(
            f"{folder}: a Delta table; its Parquet files include superseded versions. Build the models "
            "with `file_format: parquet` (dbt_project.yml) or read the table through Spark"
        )
    entries = [p for p in folder.iterdir() if _visible(p)]
    partitions = sorted(p.name for p in entries if p.is_dir())
    if partitions:
        raise WarehouseLayoutError(
            f"{folder}: partition folders {partitions[:3]}; the marts are read unpartitioned. Remove "
            "`partition_by` from the model's config and rebuild it"
        )
    files = sorted(p for p in entries if p.suffix == ".parquet")
    if not files:
        raise WarehouseLayoutError(
            f"{folder}: a table folder without Parquet files; rebuild the table (`stiwatch refresh`)"
        )
    return files


def warehouse(settings: Settings) -> Warehouse:
    """The warehouse of the engine the settings choose (STIWATCH_ENGINE)."""
    if settings.engine == "spark":
        return SparkWarehouse("spark", settings.spark_warehouse_dir / f"{SPARK_DATABASE}.db")
    return DuckDBWarehouse("duckdb", settings.warehouse_path)


@contextmanager
def open_warehouse(settings: Settings) -> Iterator[Any]:
    """An in-memory DuckDB connection with the warehouse attached and current: tables by bare name."""
    import duckdb

    built = warehouse(settings)
    with duckdb.connect(config=settings.duckdb_config()) as con:
        built.attach(con)
        con.execute(f"use {ALIAS}.{SCHEMA}")
        yield con
