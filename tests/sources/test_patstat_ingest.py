"""Ingest of delivered PATSTAT table parts: layouts, optional columns, granted formats, errors."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from stiwatch import layout
from stiwatch.sources.patstat import edition_as_of, ingest_file
from stiwatch.sources.patstat.files import PatstatFileError
from stiwatch.sources.patstat.schema import LAKE_COLUMNS, SCHEMA_COLUMNS

EDITION = "2023_autumn"
# A tls201 row with every column of the 2025 Autumn schema, values typed as the schema says.
TLS201_VALUES = {
    "appln_id": "7", "appln_auth": '"EP"', "appln_nr": '"19123456"', "appln_kind": '"A "',
    "appln_filing_date": '"2019-05-02"', "appln_filing_year": "2019", "appln_nr_epodoc": '"EP20190123456"',
    "appln_nr_original": '"19123456.7"', "ipr_type": '"PI"', "receiving_office": '"  "',
    "internat_appln_id": "0", "int_phase": '"N"', "reg_phase": '"Y"', "nat_phase": '"N"',
    "earliest_filing_date": '"2018-11-30"', "earliest_filing_year": "2018", "earliest_filing_id": "6",
    "earliest_publn_date": '"9999-12-31"', "earliest_publn_year": "9999", "earliest_pat_publn_id": "0",
    "granted": '"Y"', "docdb_family_id": "555", "inpadoc_family_id": "556", "docdb_family_size": "3",
    "nb_citing_docdb_fam": "0", "nb_applicants": "2", "nb_inventors": "1",
}  # fmt: skip


def _zip(path: Path, member: str, text: str) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, text.encode("utf-8"))
    return path


def _tls201(values: dict[str, str]) -> str:
    return ",".join(values) + "\r\n" + ",".join(values.values()) + "\r\n"


def _read(lake_dir: Path, table: str, relative: str) -> list[dict]:
    return pq.read_table(layout.part_path(lake_dir, "patstat", EDITION, table, relative)).to_pylist()


def test_every_schema_column_is_accepted(tmp_path: Path) -> None:
    assert list(TLS201_VALUES) == [name for name, _ in SCHEMA_COLUMNS["tls201_appln"]]
    path = _zip(tmp_path / "tls201_part01.zip", "tls201_part01.csv", _tls201(TLS201_VALUES))
    result = ingest_file(path, path.name, EDITION, tmp_path / "lake")
    assert result == {"records": 1, "format": "patstat_csv", "table": "tls201_appln", "columns_missing": []}
    (row,) = _read(tmp_path / "lake", "tls201_appln", path.name)
    assert row["appln_id"] == 7 and row["docdb_family_id"] == 555 and row["granted"] is True
    assert row["appln_kind"] == "A " and row["earliest_filing_year"] == 2018
    assert list(row) == ["snapshot_id", "source_file", *LAKE_COLUMNS["tls201_appln"]]


def test_older_edition_without_optional_columns_and_granted_digits(tmp_path: Path) -> None:
    values = {
        k: v for k, v in TLS201_VALUES.items() if k not in ("earliest_filing_year", "appln_filing_date")
    }
    text = _tls201({**values, "granted": "0"}) + _tls201({**values, "granted": "1"}).split("\r\n", 1)[1]
    path = tmp_path / "tls201_part02.txt"
    path.write_text(text, encoding="utf-8")
    result = ingest_file(path, path.name, EDITION, tmp_path / "lake")
    assert result["columns_missing"] == ["appln_filing_date", "earliest_filing_year"]
    rows = _read(tmp_path / "lake", "tls201_appln", path.name)
    assert [r["granted"] for r in rows] == [False, True]
    assert rows[0]["earliest_filing_year"] is None


def test_blank_country_and_names_with_commas_kept_as_delivered(tmp_path: Path) -> None:
    header = ",".join(name for name, _ in SCHEMA_COLUMNS["tls206_person"] if name != "reg_code")
    row = (
        '1,"SMITH, John","","1 Main St,\nSpringfield","  ","",0,9,"SMITH J",9,"SMITH, JOHN",0,'
        '"INDIVIDUAL",0,"",0'
    )
    path = tmp_path / "tls206_part01.csv.gz"
    path.write_bytes(gzip.compress((header + "\r\n" + row + "\r\n").encode()))
    result = ingest_file(path, path.name, EDITION, tmp_path / "lake")
    assert result["columns_missing"] == ["reg_code"]
    (person,) = _read(tmp_path / "lake", "tls206_person", path.name)
    assert person["person_ctry_code"] == "  " and person["person_name"] == "SMITH, John"
    assert person["han_id"] == 0 and person["reg_code"] is None


def test_missing_required_column_is_an_error(tmp_path: Path) -> None:
    values = {k: v for k, v in TLS201_VALUES.items() if k != "docdb_family_id"}
    path = _zip(tmp_path / "tls201_part01.zip", "tls201_part01.csv", _tls201(values))
    with pytest.raises(PatstatFileError, match=r"tls201_part01.zip: header lacks docdb_family_id"):
        ingest_file(path, path.name, EDITION, tmp_path / "lake")


def test_bad_granted_value_names_the_record(tmp_path: Path) -> None:
    text = _tls201(TLS201_VALUES) + _tls201({**TLS201_VALUES, "granted": '"maybe"'}).split("\r\n", 1)[1]
    path = _zip(tmp_path / "tls201_part01.zip", "tls201_part01.csv", text)
    with pytest.raises(PatstatFileError, match=r"record 2: granted='maybe'"):
        ingest_file(path, path.name, EDITION, tmp_path / "lake")


def test_unused_table_is_skipped_explicitly_and_other_files_fail(tmp_path: Path) -> None:
    unused = _zip(tmp_path / "tls211_part01.zip", "tls211_part01.csv", "pat_publn_id\r\n1\r\n")
    result = ingest_file(unused, unused.name, EDITION, tmp_path / "lake")
    assert result == {"records": 0, "format": "patstat_csv", "table": "tls211", "skipped": "table not used"}
    stray = tmp_path / "readme.pdf"
    stray.write_bytes(b"%PDF")
    with pytest.raises(PatstatFileError, match="not a PATSTAT table file"):
        ingest_file(stray, stray.name, EDITION, tmp_path / "lake")


@pytest.mark.parametrize(
    ("edition_id", "expected"),
    [
        ("2023_autumn", "2023-08-01"),
        ("2024_Spring", "2024-01-01"),
        ("2016b", "2016-08-01"),
        ("2016a", "2016-01-01"),
    ],
)
def test_edition_as_of(edition_id: str, expected: str) -> None:
    assert edition_as_of(edition_id).isoformat() == expected


def test_unparseable_edition_id_says_what_to_do() -> None:
    with pytest.raises(ValueError, match=r"_snapshot\.json"):
        edition_as_of("latest")
