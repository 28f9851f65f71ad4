"""Hand-made lake snapshots for the dbt tests, in the exact lake layout of docs/ARCHITECTURE.md.

The rows are small enough to count by hand; test_marts.py holds the expected values with the arithmetic.
Parts are written with stiwatch.layout and stiwatch.atomic_io (same paths and atomic writes as the ingest);
manifests are written by hand in the manifest format, with one part deliberately left out of its manifest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyarrow as pa

from stiwatch import atomic_io, landing, layout
from stiwatch.config import Settings
from stiwatch.demo.patstat import generate_edition
from stiwatch.lake_schema import AFFILIATIONS, CATEGORIES, PUBLICATIONS
from stiwatch.sources.openalex.merged import MERGED_IDS_SCHEMA as MERGED_IDS
from stiwatch.sources.patstat import ingest_file as ingest_patstat_file


@dataclass(frozen=True)
class Address:
    """One affiliation row: where (country_raw -> country_code) and how many authors sit there.

    WoS rows are written in the form of parts ingested before country_form existed (the code decided, no
    country_form), so int_wos_affiliations_coded keeps these hand-set codes: the mart counts below stay
    independent of the seeds, and the old-part path is built by every dbt test.
    """

    country_raw: str | None
    country_code: str
    n_authors: int = 1
    basis: str = "address"


@dataclass(frozen=True)
class Category:
    """One categories row: scheme, id and label as the ingest writes them."""

    scheme: str
    category_id: str
    category: str
    is_primary: bool = False


@dataclass(frozen=True)
class Record:
    """A record; text and categories default to an in-scope AI paper (keyword and category hit)."""

    record_id: str
    pub_year: int | None
    addresses: list[Address] = field(default_factory=list)
    updated_date: date | None = None
    title: str | None = None  # None: "Title of <record_id>"
    abstract: str | None = None
    keywords: str | None = "machine learning"
    categories: list[Category] | None = None  # None: the source's AI category


def _default_category(source: str) -> Category:
    if source == "wos":
        label = "Computer Science, Artificial Intelligence"
        return Category("wos_category", label, label)
    return Category("openalex_subfield", "1702", "Artificial Intelligence", is_primary=True)


def _file_tables(
    snapshot_id: str, source_file: str, records: list[Record], source: str
) -> dict[str, pa.Table]:
    pubs, affs, cats = [], [], []
    for seq, rec in enumerate(records, start=1):
        pubs.append(
            {
                "snapshot_id": snapshot_id,
                "source_file": source_file,
                "record_seq": seq,
                "record_id": rec.record_id,
                "pub_year": rec.pub_year,
                "year_basis": None
                if rec.pub_year is None
                else ("PY" if source == "wos" else "publication_year"),
                "doi": f"10.1234/{rec.record_id.lower()}",
                "title": rec.title if rec.title is not None else f"Title of {rec.record_id}",
                "source_title": "Journal of Fixtures",
                "doc_type": "Article" if source == "wos" else "article",
                "abstract": rec.abstract,
                "keywords": rec.keywords,
                "updated_date": rec.updated_date,
                "n_addresses": len(rec.addresses),
            }
        )
        for aff_seq, address in enumerate(rec.addresses, start=1):
            affs.append(
                {
                    "snapshot_id": snapshot_id,
                    "source_file": source_file,
                    "record_id": rec.record_id,
                    "affiliation_seq": aff_seq,
                    "n_authors": address.n_authors,
                    "organisation": f"Org {aff_seq} of {rec.record_id}",
                    "sub_units": None,
                    "city": None,
                    "institution_id": None if source == "wos" else f"I{aff_seq}",
                    "ror": None,
                    "country_raw": address.country_raw,
                    "country_code": address.country_code,
                    "country_basis": address.basis,
                }
            )
        categories = rec.categories if rec.categories is not None else [_default_category(source)]
        cats.extend(
            {
                "snapshot_id": snapshot_id,
                "source_file": source_file,
                "record_id": rec.record_id,
                "scheme": category.scheme,
                "category_id": category.category_id,
                "category": category.category,
                "is_primary": category.is_primary,
            }
            for category in categories
        )
    return {
        "publications": pa.Table.from_pylist(pubs, schema=PUBLICATIONS),
        "affiliations": pa.Table.from_pylist(affs, schema=AFFILIATIONS),
        "categories": pa.Table.from_pylist(cats, schema=CATEGORIES),
    }


def write_file_parts(
    lake_dir: Path, source: str, snapshot_id: str, source_file: str, records: list[Record]
) -> None:
    """The parts one landing file produces in every lake table (what the ingest writes per file)."""
    for table, data in _file_tables(snapshot_id, source_file, records, source).items():
        atomic_io.write_parquet_atomic(
            data, layout.part_path(lake_dir, source, snapshot_id, table, source_file)
        )


def write_merged_ids(
    lake_dir: Path, snapshot_id: str, source_file: str, pairs: list[tuple[str, str]]
) -> None:
    rows = [{"snapshot_id": snapshot_id, "record_id": old, "merge_into_id": new} for old, new in pairs]
    path = layout.part_path(lake_dir, "openalex", snapshot_id, "merged_ids", source_file)
    atomic_io.write_parquet_atomic(pa.Table.from_pylist(rows, schema=MERGED_IDS), path)


def write_manifest(
    lake_dir: Path,
    source: str,
    snapshot_id: str,
    as_of: str,
    files: dict[str, int],
    *,
    base: str | None = None,
    ingested_at: str = "2024-09-01T10:00:00+00:00",
) -> None:
    """A manifest listing ``files`` (path -> records), with the extra per-file keys the ingest adds.

    ``base``: the snapshot id a delta applies to (kind "delta"); None writes a full delivery (its own base).
    """
    entries = [
        {
            "path": path,
            "bytes": 1000 + i,
            "sha256": f"{i:064x}",
            "records": records,
            "format": "wos_tagged" if source == "wos" else "openalex_jsonl",
            "records_without_addresses": 0,
        }
        for i, (path, records) in enumerate(sorted(files.items()))
    ]
    payload = {
        "source": source,
        "snapshot_id": snapshot_id,
        "as_of": as_of,
        "ingested_at": ingested_at,
        "kind": "full" if base is None else "delta",
        "base": snapshot_id if base is None else base,
        "records": sum(files.values()),
        "files": entries,
    }
    atomic_io.write_json_atomic(
        payload, layout.snapshot_dir(lake_dir, source, snapshot_id) / "_manifest.json"
    )


def land_patstat_edition(settings: Settings, edition_id: str, **generator_options: object) -> None:
    """A generated PATSTAT edition (stiwatch.demo.patstat.generate_edition with these options) in the
    landing zone, ingested into the lake as the ingest DAG does it: each file, then the manifest."""
    generate_edition(settings.landing_dir, edition_id, **generator_options)
    snapshot, lake_dir = landing.open_snapshot(settings.landing_dir, "patstat", edition_id), settings.lake_dir
    entries = [
        landing.file_entry(snapshot, rel, ingest_patstat_file(snapshot.path / rel, rel, edition_id, lake_dir))
        for rel in snapshot.data_files()
    ]
    landing.write_manifest(settings.lake_dir, snapshot, entries)
