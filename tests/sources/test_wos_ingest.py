"""ingest_file on small hand-written exports: both formats, every packaging, and bad input."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dbt_country_codes import dbt_country_codes
from stiwatch import lake_schema, layout
from stiwatch.config import Settings
from stiwatch.ingest import ingest_source
from stiwatch.landing import read_manifest
from stiwatch.sources.wos import WosFormatError, ingest_file

SNAPSHOT = "2026-01-01_test"

TAB_HEADER = ["PT", "AU", "TI", "SO", "DT", "DE", "ID", "AB", "C1", "PY", "EA", "DI", "WC", "SC", "UT"]
TAB_ROWS = [
    ["J", "Li, X; Doe, J", "A title", "A JOURNAL", "Article", "deep learning; big data", "NEURAL-NETWORKS",
     "An abstract.", "[Li, X] Tsinghua Univ, Dept CS, Beijing 100084, Peoples R China; [Doe, J] MIT, "
     "Cambridge, MA 02139 USA", "2021", "", "10.1000/ABC.1", "Computer Science, Artificial Intelligence; "
     "Telecommunications", "Computer Science; Telecommunications", "WOS:000000000000001"],
    ["J", "Roe, R", "Another", "B JOURNAL", "Article", "", "", "", "", "", "JUN 2022", "", "", "",
     "WOS:000000000000002"],
]  # fmt: skip

TAGGED = """FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Smith, A
   Jones, B
TI A title that was
   wrapped over two lines
SO SOME JOURNAL
DE deep learning; big
   data
C1 [Smith, A] Univ Oxford, Dept Engn Sci, Oxford OX1 3PJ, England.
   [Jones, B; Smith, A] Chinese Univ Hong Kong, Dept CS, Shatin, Hong Kong, Peoples R China.
PY 2019
DI 10.1000/XYZ
WC Computer Science, Artificial Intelligence
SC Computer Science
UT WOS:000000000000010
ER

PT J
AU Nobody, N
TI No year, no address
UT WOS:000000000000011
ER

EF
"""


def _write_tab(
    path: Path, rows: list[list[str]], *, newline: str = "\r\n", trailing_tab: bool = False
) -> Path:
    end = "\t" if trailing_tab else ""
    lines = ["\t".join(TAB_HEADER)] + ["\t".join(r) + end for r in rows]
    path.write_bytes(("\ufeff" + newline.join(lines) + newline).encode("utf-8"))
    return path


def _ingest(path: Path, lake_dir: Path) -> dict:
    return ingest_file(path, path.name, SNAPSHOT, lake_dir)


def _rows(lake_dir: Path, table: str, name: str) -> list[dict]:
    return pq.read_table(layout.part_path(lake_dir, "wos", SNAPSHOT, table, name)).to_pylist()


def test_tab_export_rows(tmp_path: Path) -> None:
    path = _write_tab(tmp_path / "savedrecs.txt", TAB_ROWS, trailing_tab=True)
    result = _ingest(path, tmp_path / "lake")
    assert result == {
        "records": 2, "format": "wos_tab", "encoding": "utf-8-sig", "compression": "none",
        "records_without_addresses": 1, "records_without_year": 0,
    }  # fmt: skip
    pubs = _rows(tmp_path / "lake", "publications", path.name)
    assert [(p["record_seq"], p["record_id"], p["pub_year"], p["year_basis"]) for p in pubs] == [
        (1, "WOS:000000000000001", 2021, "PY"),
        (2, "WOS:000000000000002", 2022, "EA"),
    ]
    first = pubs[0]
    assert first["doi"] == "10.1000/abc.1"
    assert first["keywords"] == "deep learning; big data; NEURAL-NETWORKS"
    assert (first["title"], first["source_title"], first["doc_type"]) == ("A title", "A JOURNAL", "Article")
    assert first["n_addresses"] == 2 and pubs[1]["n_addresses"] == 0
    assert pubs[1]["doi"] is None and pubs[1]["keywords"] is None
    affs = _rows(tmp_path / "lake", "affiliations", path.name)
    assert [(a["affiliation_seq"], a["organisation"], a["city"], a["country_raw"]) for a in affs] == [
        (1, "Tsinghua Univ", "Beijing", "Peoples R China"),
        (2, "MIT", "Cambridge", "USA"),
    ]
    assert [a["country_code"] for a in affs] == [None, None]  # decided in dbt, not at ingest
    assert [code for code, _ in dbt_country_codes(affs, tmp_path / "dbt")] == ["CN", "US"]
    cats = _rows(tmp_path / "lake", "categories", path.name)
    assert [(c["scheme"], c["category"]) for c in cats] == [
        ("wos_category", "Computer Science, Artificial Intelligence"),
        ("wos_category", "Telecommunications"),
        ("wos_research_area", "Computer Science"),
        ("wos_research_area", "Telecommunications"),
    ]


def test_lake_parts_have_the_contract_schemas(tmp_path: Path) -> None:
    path = _write_tab(tmp_path / "savedrecs.txt", TAB_ROWS)
    _ingest(path, tmp_path / "lake")
    for table, schema in lake_schema.TABLES.items():
        part = layout.part_path(tmp_path / "lake", "wos", SNAPSHOT, table, path.name)
        assert pq.read_schema(part).equals(schema), table


def test_tagged_export_rows(tmp_path: Path) -> None:
    path = tmp_path / "export.isi"
    path.write_bytes(gzip.compress(TAGGED.encode("utf-8")))  # gzip without a .gz name: sniffed by content
    result = _ingest(path, tmp_path / "lake")
    assert (result["records"], result["format"], result["compression"]) == (2, "wos_tagged", "gzip")
    assert (result["records_without_addresses"], result["records_without_year"]) == (1, 1)
    pubs = _rows(tmp_path / "lake", "publications", path.name)
    assert pubs[0]["title"] == "A title that was wrapped over two lines"
    assert pubs[0]["keywords"] == "deep learning; big data"
    assert (pubs[1]["record_id"], pubs[1]["pub_year"], pubs[1]["year_basis"]) == (
        "WOS:000000000000011",
        None,
        None,
    )
    affs = _rows(tmp_path / "lake", "affiliations", path.name)
    assert [(a["n_authors"], a["country_raw"], a["country_form"]) for a in affs] == [
        (1, "England", "country"),
        (2, "Peoples R China", "country"),
    ]
    assert affs[1]["place_parts"] == [
        "Chinese Univ Hong Kong",
        "Dept CS",
        "Shatin",
        "Hong Kong",
        "Peoples R China",
    ]
    assert dbt_country_codes(affs, tmp_path / "dbt") == [("GB", "address"), ("HK", "hk_mo_city")]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_reads_like_utf8(tmp_path: Path, codec: str) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text(TAGGED, encoding="utf-8")
    wide = tmp_path / "wide.txt"
    wide.write_bytes("\ufeff".encode(codec) + TAGGED.replace("\n", "\r\n").encode(codec))
    assert _ingest(wide, tmp_path / "lake")["encoding"] == codec
    _ingest(plain, tmp_path / "lake")
    for table in lake_schema.TABLES:
        wide_rows = [r | {"source_file": None} for r in _rows(tmp_path / "lake", table, wide.name)]
        plain_rows = [r | {"source_file": None} for r in _rows(tmp_path / "lake", table, plain.name)]
        assert wide_rows == plain_rows, table


def test_tab_line_with_wrong_field_count_names_file_and_line(tmp_path: Path) -> None:
    rows = [TAB_ROWS[0], TAB_ROWS[1][:-3] + TAB_ROWS[1][-2:]]
    path = _write_tab(tmp_path / "broken.txt", rows)
    with pytest.raises(
        WosFormatError, match=r"broken\.txt: line 3: 14 tab-separated fields but the header has 15"
    ):
        _ingest(path, tmp_path / "lake")


def test_failed_file_publishes_no_part(tmp_path: Path) -> None:
    rows = [TAB_ROWS[0], ["J", "too few"]]
    path = _write_tab(tmp_path / "broken.txt", rows)
    with pytest.raises(WosFormatError):
        _ingest(path, tmp_path / "lake")
    leftovers = [p for p in (tmp_path / "lake").rglob("*") if p.is_file()]
    assert leftovers == []


def test_tagged_record_without_ut_names_file_and_record(tmp_path: Path) -> None:
    path = tmp_path / "no_ut.txt"
    path.write_text(TAGGED.replace("UT WOS:000000000000011\n", ""), encoding="utf-8")
    with pytest.raises(
        WosFormatError, match=r"no_ut\.txt: record 2 \(line 20\) has no UT.*Re-export .* with the UT field"
    ):
        _ingest(path, tmp_path / "lake")


def test_tagged_file_cut_before_er_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    path.write_text(TAGGED.split("PT J\nAU Nobody")[0] + "PT J\nAU Nobody, N\n", encoding="utf-8")
    with pytest.raises(WosFormatError, match=r"cut\.txt: record 2 \(line 20\) has no 'ER' line"):
        _ingest(path, tmp_path / "lake")


@pytest.mark.parametrize(
    "content",
    ["title,author,year\nA,B,2020\n", "", '{"results": []}\n', "PT\tAU\tnot a code\n"],
)
def test_file_that_is_neither_format(tmp_path: Path, content: str) -> None:
    path = tmp_path / "mystery.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(WosFormatError, match=r"mystery\.txt: line 1: neither a WoS tab-delimited export"):
        _ingest(path, tmp_path / "lake")


def test_invalid_utf8_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(TAGGED.replace("Smith, A\n", "Sm\xefth, A\n", 1).encode("latin-1"))
    with pytest.raises(WosFormatError, match=r"latin1\.txt: line \d+: not valid utf-8"):
        _ingest(path, tmp_path / "lake")


def test_snapshot_ingest_writes_the_manifest_fields(settings: Settings) -> None:
    folder = settings.landing_dir / "wos" / "2026-01-01_test"
    (folder / "part2").mkdir(parents=True)
    _write_tab(folder / "savedrecs.txt", TAB_ROWS)
    (folder / "part2" / "export.txt.gz").write_bytes(gzip.compress(TAGGED.encode("utf-8")))
    assert ingest_source(settings, "wos") == ["2026-01-01_test"]
    manifest = read_manifest(settings.lake_dir, "wos", "2026-01-01_test")
    assert [(f["path"], f["records"], f["format"], f["records_without_year"]) for f in manifest["files"]] == [
        ("part2/export.txt.gz", 2, "wos_tagged", 1),
        ("savedrecs.txt", 2, "wos_tab", 0),
    ]
