"""The country codes dbt gives WoS addresses (``int_wos_affiliations_coded``), for tests that start from lake
rows: the ingest records only the address text, so the country expectations of the ingest tests are checked
on the dbt-built table.

The given affiliation rows (as read from lake parts, or built from ``parse_address``) are written, one
record each, into a fresh published WoS snapshot, dbt builds the model and its upstream (seeds and their
tests included) over it, and the codes come back in the order of the rows.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from stiwatch import atomic_io, layout
from stiwatch.config import Settings
from stiwatch.dbt_runner import run_dbt
from stiwatch.lake_schema import AFFILIATIONS, PUBLICATIONS

SNAPSHOT = "2026-01-01_countries"
SOURCE_FILE = "rows.txt"


def _write_lake(lake_dir: Path, rows: list[dict]) -> None:
    affiliations, publications = [], []
    for seq, row in enumerate(rows, start=1):
        key = {"snapshot_id": SNAPSHOT, "source_file": SOURCE_FILE, "record_id": f"R{seq:06d}"}
        affiliations.append({**row, **key, "affiliation_seq": 1, "n_authors": row.get("n_authors") or 1})
        publications.append({**key, "record_seq": seq, "pub_year": 2020, "n_addresses": 1})
    for table, data in (
        ("affiliations", pa.Table.from_pylist(affiliations, schema=AFFILIATIONS)),
        ("publications", pa.Table.from_pylist(publications, schema=PUBLICATIONS)),
    ):
        atomic_io.write_parquet_atomic(data, layout.part_path(lake_dir, "wos", SNAPSHOT, table, SOURCE_FILE))
    manifest = {
        "source": "wos",
        "snapshot_id": SNAPSHOT,
        "as_of": "2026-01-01",
        "ingested_at": "2026-01-01T00:00:00+00:00",
        "records": len(rows),
        "files": [{"path": SOURCE_FILE, "bytes": 1, "sha256": "0" * 64, "records": len(rows)}],
    }
    atomic_io.write_json_atomic(manifest, layout.snapshot_dir(lake_dir, "wos", SNAPSHOT) / "_manifest.json")


def dbt_country_codes(rows: list[dict], workdir: Path) -> list[tuple[str, str]]:
    """(country_code, country_basis) that dbt gives each row, in the order given."""
    settings = Settings(data_dir=workdir / "data", warehouse_path=workdir / "data" / "warehouse.duckdb")
    _write_lake(settings.lake_dir, rows)
    run_dbt(
        settings, "build", "--select", "+int_wos_affiliations_coded",
        "--target-path", str(workdir / "dbt_target"), "--log-path", str(workdir / "dbt_logs"),
    )  # fmt: skip
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        coded = con.execute(
            "select country_code, country_basis from int_wos_affiliations_coded order by record_id"
        ).fetchall()
    assert len(coded) == len(rows), f"dbt coded {len(coded)} of {len(rows)} rows"
    return [tuple(row) for row in coded]
