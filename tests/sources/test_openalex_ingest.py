"""The OpenAlex ingest over small hand-written fixtures (tests/fixtures/openalex), no shared data needed.

Expected values are worked out by hand from the fixture text, which is written to hit the edge cases:
authorship country fallback, an authorship with neither institution nor country, country codes that are
null/empty/lower-case, the old ``keyword`` key, a work without ``updated_date`` in an
``updated_date=YYYY-MM-DD`` folder, a pretty-printed and an empty API page, merged ids, other entities.
"""

from __future__ import annotations

import gzip
import json
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from stiwatch import ingest, landing, layout
from stiwatch.config import Settings
from stiwatch.sources.openalex import OpenAlexFormatError, ingest_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "openalex"
SNAPSHOT = "2024-08-27"
TABLES = ("publications", "affiliations", "categories", "merged_ids")
SNAPSHOT_PART = "updated_date=2024-08-01/part_000.gz"


def gzip_to(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(gzip.compress(source.read_bytes()))
    return target


def table(lake_dir: Path, name: str, rel: str, columns: str = "*", order: str = "ALL") -> list[tuple]:
    path = layout.part_path(lake_dir, "openalex", SNAPSHOT, name, rel)
    return duckdb.execute(
        f"SELECT {columns} FROM read_parquet(?, hive_partitioning = false) ORDER BY {order}", [str(path)]
    ).fetchall()


@pytest.fixture
def snapshot_part(tmp_path: Path) -> tuple[Path, Path]:
    """The JSON-lines fixture as a gzip snapshot part, ingested; returns (lake_dir, landing file)."""
    landing_file = gzip_to(FIXTURES / "snapshot_part.jsonl", tmp_path / "landing" / SNAPSHOT_PART)
    return tmp_path / "lake", landing_file


def test_snapshot_part_manifest_fields(snapshot_part) -> None:
    lake_dir, path = snapshot_part
    result = ingest_file(path, SNAPSHOT_PART, SNAPSHOT, lake_dir)
    # 4 works (the blank line is not a record); W200 and W500 have no affiliation; W200 has no year.
    assert result == {
        "records": 4,
        "format": "openalex_jsonl",
        "works_without_country": 2,
        "records_without_year": 1,
    }


def test_snapshot_part_publications(snapshot_part) -> None:
    lake_dir, path = snapshot_part
    ingest_file(path, SNAPSHOT_PART, SNAPSHOT, lake_dir)
    got = table(lake_dir, "publications", SNAPSHOT_PART, order="record_seq")
    assert got == [
        (SNAPSHOT, SNAPSHOT_PART, 1, "W100", 2021, "publication_year", "10.1234/abc.def", "Deep nets",
         "Journal of Tests", "article", None, "Deep learning; Nets", date(2024, 8, 1), 5),
        (SNAPSHOT, SNAPSHOT_PART, 2, "W200", None, None, "10.5555/xyz", "Old keywords",
         "Old Venue", "book", None, "big data", date(2023, 5, 6), 0),
        (SNAPSHOT, SNAPSHOT_PART, 3, "W300", 2019, "publication_year", None, "Nobody placed",
         None, "article", None, None, date(2024, 7, 30), 1),
        (SNAPSHOT, SNAPSHOT_PART, 4, "W500", 2020, "publication_year", None, "Authors nowhere",
         None, "article", None, None, date(2024, 7, 31), 0),
    ]  # fmt: skip


def test_snapshot_part_affiliations(snapshot_part) -> None:
    lake_dir, path = snapshot_part
    ingest_file(path, SNAPSHOT_PART, SNAPSHOT, lake_dir)
    got = table(
        lake_dir, "affiliations", SNAPSHOT_PART,
        "record_id, affiliation_seq, n_authors, organisation, institution_id, ror, country_raw, "
        "country_code, country_basis, sub_units, city",
        order="record_id, affiliation_seq",
    )  # fmt: skip
    assert got == [
        ("W100", 1, 1, "Uni One", "I1", "https://ror.org/01", "CN", "CN", "institution", None, None),
        ("W100", 2, 1, "Uni Two", "I2", None, "hk", "HK", "institution", None, None),
        ("W100", 3, 1, None, None, None, "US", "US", "authorship_countries", None, None),
        ("W100", 4, 1, None, None, None, "DE", "DE", "authorship_countries", None, None),
        ("W100", 5, 1, "Uni Three", "I3", None, None, "UNKNOWN", "institution", None, None),
        ("W300", 1, 1, "Uni Four", "I4", None, "", "UNKNOWN", "institution", None, None),
    ]


def test_snapshot_part_categories(snapshot_part) -> None:
    lake_dir, path = snapshot_part
    ingest_file(path, SNAPSHOT_PART, SNAPSHOT, lake_dir)
    got = table(lake_dir, "categories", SNAPSHOT_PART, "record_id, scheme, category_id, category, is_primary")
    # T10001 is the primary topic; its subfield 1702 also comes with T10002 and counts once, as primary.
    assert sorted(got) == [
        ("W100", "openalex_subfield", "1702", "Artificial Intelligence", True),
        ("W100", "openalex_subfield", "1707", "Computer Vision and Pattern Recognition", False),
        ("W100", "openalex_topic", "10001", "Topic one", True),
        ("W100", "openalex_topic", "10002", "Topic two", False),
        ("W100", "openalex_topic", "10003", "Topic three", False),
    ]


def test_every_table_gets_a_typed_part_even_when_empty(tmp_path: Path) -> None:
    lake_dir = tmp_path / "lake"
    rel = "pages/api_page_empty.json"
    result = ingest_file(FIXTURES / "api_page_empty.json", rel, SNAPSHOT, lake_dir)
    assert result["records"] == 0 and result["format"] == "openalex_api_page"
    expected_types = {
        "publications": {"record_seq": "INTEGER", "pub_year": "INTEGER", "updated_date": "DATE"},
        "affiliations": {"affiliation_seq": "INTEGER", "country_code": "VARCHAR"},
        "categories": {"is_primary": "BOOLEAN"},
        "merged_ids": {"record_id": "VARCHAR", "merge_into_id": "VARCHAR"},
    }
    for name, types in expected_types.items():
        path = str(layout.part_path(lake_dir, "openalex", SNAPSHOT, name, rel))
        schema = dict(
            duckdb.execute(
                "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))", [path]
            ).fetchall()
        )
        assert {col: schema[col] for col in types} == types, name
        assert duckdb.execute("SELECT count(*) FROM read_parquet(?)", [path]).fetchone()[0] == 0


def test_pretty_printed_api_page(tmp_path: Path) -> None:
    lake_dir = tmp_path / "lake"
    rel = "api_page_pretty.json.gz"
    path = gzip_to(FIXTURES / "api_page_pretty.json", tmp_path / rel)
    assert ingest_file(path, rel, SNAPSHOT, lake_dir)["format"] == "openalex_api_page"
    assert table(lake_dir, "publications", rel, "record_id, doi, updated_date") == [
        ("W400", "10.9/q", date(2025, 1, 2))
    ]
    assert table(lake_dir, "affiliations", rel, "country_code, country_basis") == [("GB", "institution")]


def test_merged_ids_csv(tmp_path: Path) -> None:
    lake_dir = tmp_path / "lake"
    rel = "merged_ids/works/2024-08-01.csv.gz"
    path = gzip_to(FIXTURES / "merged_ids_works.csv", tmp_path / rel)
    result = ingest_file(path, rel, SNAPSHOT, lake_dir)
    assert result["records"] == 2 and result["format"] == "openalex_merged_ids"
    assert table(lake_dir, "merged_ids", rel) == [(SNAPSHOT, "W111", "W222"), (SNAPSHOT, "W333", "W444")]
    for name in ("publications", "affiliations", "categories"):
        assert table(lake_dir, name, rel) == []


def test_snapshot_manifest_is_metadata_with_its_promised_counts(tmp_path: Path) -> None:
    # A real snapshot ships works/manifest beside the parts; the fixture lists 2 parts of 3 + 4 records.
    lake_dir = tmp_path / "lake"
    result = ingest_file(FIXTURES / "snapshot_manifest.json", "works/manifest", "s1", lake_dir)
    assert result == {
        "records": 0,
        "format": "openalex_snapshot_manifest",
        "listed_files": 2,
        "listed_records": 7,
    }
    assert not lake_dir.exists(), "a manifest must not produce lake rows"


def test_other_entities_are_rejected_naming_file_and_record(tmp_path: Path) -> None:
    path = FIXTURES / "authors.jsonl"
    with pytest.raises(
        OpenAlexFormatError, match=r"authors\.jsonl: record 1 has id .*A5000000001.* works only"
    ):
        ingest_file(path, "authors.jsonl", SNAPSHOT, tmp_path)
    assert not any(tmp_path.rglob("*.parquet"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (b"code;name\nAF;Afghanistan\n", "not OpenAlex works JSON"),
        (b'{"meta": {}, "group_by": [{"key": "article", "count": 3}]}', "group_by response"),
        (b'{"meta": {"count": 1}}', "neither an OpenAlex work nor an API page"),
    ],
)
def test_non_works_files_are_rejected(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "landing" / "thing.json"
    path.parent.mkdir()
    path.write_bytes(content)
    with pytest.raises(OpenAlexFormatError, match=message) as caught:
        ingest_file(path, "thing.json", SNAPSHOT, tmp_path / "lake")
    assert str(path) in str(caught.value)


def test_field_of_unexpected_type_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_text(json.dumps({"id": "https://openalex.org/W1", "authorships": "none"}) + "\n")
    with pytest.raises(OpenAlexFormatError, match=r"odd\.jsonl: cannot read it as openalex_jsonl"):
        ingest_file(path, "odd.jsonl", SNAPSHOT, tmp_path / "lake")


def test_ingest_source_publishes_a_snapshot_with_all_formats(settings: Settings) -> None:
    folder = settings.landing_dir / "openalex" / SNAPSHOT
    gzip_to(FIXTURES / "snapshot_part.jsonl", folder / SNAPSHOT_PART)
    gzip_to(FIXTURES / "merged_ids_works.csv", folder / "merged_ids" / "works" / "2024-08-01.csv.gz")
    shutil.copy(FIXTURES / "api_page_pretty.json", folder / "page.json")

    assert ingest.ingest_source(settings, "openalex") == [SNAPSHOT]

    manifest = landing.read_manifest(settings.lake_dir, "openalex", SNAPSHOT)
    assert {f["path"]: (f["format"], f["records"]) for f in manifest["files"]} == {
        SNAPSHOT_PART: ("openalex_jsonl", 4),
        "merged_ids/works/2024-08-01.csv.gz": ("openalex_merged_ids", 2),
        "page.json": ("openalex_api_page", 1),
    }
    snapshot_dir = layout.snapshot_dir(settings.lake_dir, "openalex", SNAPSHOT)
    for name in TABLES:
        assert len(list((snapshot_dir / name).glob("part-*.parquet"))) == 3, name
