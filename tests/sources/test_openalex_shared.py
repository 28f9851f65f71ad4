"""The OpenAlex ingest over the real works files in ../shared/data/openalex.

Files are discovered by glob (held-back files of the same kinds are covered too). Expected values come from
PROVENANCE.md, from a plain-Python reference below (json module, METHOD.md country rule) or were read off
the raw files by hand with jq/zcat (noted at each test); none is copied from the ingest's output.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import duckdb
import pytest

from stiwatch import layout
from stiwatch.sources.openalex import OpenAlexFormatError, ingest_file

pytestmark = pytest.mark.shared

WORK_FOLDERS = ("jsonl", "api_pages", "list_2022_schema")
SNAPSHOT = "shared"
# METHOD.md regions, written out independently of the dbt seeds.
EU27_AC = {
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
    "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "NO", "CH", "GB",
}  # fmt: skip
CN = {"CN", "HK", "MO"}
PROVENANCE_ROW = re.compile(r"\| `data/openalex/((?:" + "|".join(WORK_FOLDERS) + r")/[^`]+)` \|")


# --- independent reference ------------------------------------------------------------------------


def reference_works(path: Path) -> list[dict]:
    """The works of a file, read with the json module (array, API page or JSON lines)."""
    opener = gzip.open if path.read_bytes()[:2] == b"\x1f\x8b" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        text = fh.read()
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return document if isinstance(document, list) else document["results"]


def reference_countries(work: dict) -> set[str]:
    """METHOD.md: institutions' country_code; an authorship without institutions uses its countries."""
    found = set()
    for authorship in work.get("authorships") or []:
        institutions = authorship.get("institutions") or []
        if institutions:
            found |= {(inst.get("country_code") or "").upper() for inst in institutions}
        else:
            found |= {c.upper() for c in authorship.get("countries") or []}
    return found


def reference_pairs(path: Path) -> tuple[int, int, int]:
    by_work: dict[str, set[str]] = {}
    for work in reference_works(path):
        by_work.setdefault(work["id"], set()).update(reference_countries(work))
    cn_eu = sum(1 for c in by_work.values() if c & CN and c & EU27_AC)
    cn_us = sum(1 for c in by_work.values() if c & CN and "US" in c)
    eu_us = sum(1 for c in by_work.values() if c & EU27_AC and "US" in c)
    return cn_eu, cn_us, eu_us


def provenance(shared: Path) -> dict[str, tuple[int, int, int, int]]:
    """records, CN+EU, CN+US, EU+US per OpenAlex works file listed in PROVENANCE.md."""
    rows = {}
    for line in (shared / "PROVENANCE.md").read_text(encoding="utf-8").splitlines():
        match = PROVENANCE_ROW.match(line)
        if match:
            cells = [c.strip() for c in line.strip("|").split("|")]
            rows[match.group(1)] = (int(cells[6]), int(cells[8]), int(cells[9]), int(cells[10]))
    return rows


# --- the lake built once for the module -----------------------------------------------------------


@pytest.fixture(scope="module")
def openalex_dir(shared_data: Path) -> Path:
    return shared_data / "openalex"


@pytest.fixture(scope="module")
def work_files(openalex_dir: Path) -> dict[str, Path]:
    files = {
        p.relative_to(openalex_dir).as_posix(): p
        for folder in WORK_FOLDERS
        for p in sorted((openalex_dir / folder).glob("*"))
        if p.is_file()
    }
    assert files, f"no works files under {openalex_dir}"
    return files


@pytest.fixture(scope="module")
def ingested(work_files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    lake_dir = tmp_path_factory.mktemp("lake")
    results = {rel: ingest_file(path, rel, SNAPSHOT, lake_dir) for rel, path in work_files.items()}
    return lake_dir, results


def part(lake_dir: Path, table: str, rel: str) -> str:
    return str(layout.part_path(lake_dir, "openalex", SNAPSHOT, table, rel))


def rows(lake_dir: Path, table: str, rel: str, where: str = "TRUE", order: str = "ALL") -> list[tuple]:
    sql = f"SELECT * EXCLUDE (snapshot_id, source_file) FROM read_parquet(?) WHERE {where} ORDER BY {order}"
    return duckdb.execute(sql, [part(lake_dir, table, rel)]).fetchall()


# --- counts ---------------------------------------------------------------------------------------


def test_every_provenance_works_file_is_found(shared_data: Path, work_files: dict[str, Path]) -> None:
    assert set(provenance(shared_data)) <= set(work_files)


def test_record_counts_match_provenance_and_reference(shared_data: Path, ingested, work_files) -> None:
    lake_dir, results = ingested
    listed = provenance(shared_data)
    for rel, path in work_files.items():
        expected = len(reference_works(path))
        assert results[rel]["records"] == expected, rel
        if rel in listed:
            assert expected == listed[rel][0], rel
        n_rows = duckdb.execute("SELECT count(*) FROM read_parquet(?)", [part(lake_dir, "publications", rel)])
        assert n_rows.fetchone()[0] == expected, rel


def test_provenance_counts_as_listed(shared_data: Path) -> None:
    # Guards the table parser above (an empty parse would make the other checks vacuous).
    assert sorted(r[0] for r in provenance(shared_data).values()) == [25, 50, 50, 50, 50, 50, 50, 410]


def test_formats_are_sniffed_from_content(ingested) -> None:
    _, results = ingested
    for rel, result in results.items():
        folder = rel.split("/")[0]
        expected = {"jsonl": "openalex_jsonl", "api_pages": "openalex_api_page"}.get(folder, "openalex_list")
        assert result["format"] == expected, rel


def test_copublication_counts_match_reference(shared_data: Path, ingested, work_files) -> None:
    lake_dir, _ = ingested
    listed = provenance(shared_data)
    sql = """
        WITH work AS (
            SELECT record_id,
                   bool_or(country_code IN ('CN', 'HK', 'MO')) AS cn,
                   bool_or(country_code IN (SELECT unnest(?::VARCHAR[]))) AS eu,
                   bool_or(country_code = 'US') AS us
            FROM read_parquet(?) GROUP BY record_id
        )
        SELECT count(*) FILTER (cn AND eu), count(*) FILTER (cn AND us), count(*) FILTER (eu AND us)
        FROM work
    """
    for rel, path in work_files.items():
        from_lake = duckdb.execute(sql, [sorted(EU27_AC), part(lake_dir, "affiliations", rel)]).fetchone()
        assert from_lake == reference_pairs(path), rel
        if rel in listed:
            assert from_lake == listed[rel][1:], rel


def test_works_without_country_and_year_match_reference(ingested, work_files) -> None:
    _, results = ingested
    for rel, path in work_files.items():
        works = reference_works(path)
        assert results[rel]["works_without_country"] == sum(not reference_countries(w) for w in works), rel
        assert results[rel]["records_without_year"] == sum(w.get("publication_year") is None for w in works)


def test_same_chunk_as_jsonl_and_api_page_gives_identical_rows(ingested) -> None:
    lake_dir, results = ingested
    pairs = [
        (
            rel,
            rel.replace("jsonl/openalexpro_jsonl_", "api_pages/openalexpro_json_").replace(".jsonl", ".json"),
        )
        for rel in results
        if rel.startswith("jsonl/openalexpro_jsonl_chunk_")
    ]
    assert pairs
    for jsonl_rel, page_rel in pairs:
        assert page_rel in results
        for table in ("publications", "affiliations", "categories"):
            assert rows(lake_dir, table, jsonl_rel) == rows(lake_dir, table, page_rel), (table, jsonl_rel)
            assert rows(lake_dir, table, jsonl_rel), (table, jsonl_rel)


# --- exact values read off the raw files by hand (jq) ---------------------------------------------

JSONL2 = "jsonl/openalexpro_jsonl_chunk_2_results_page_1.jsonl"
PAGE_Q2 = "api_pages/mearman_works_q2.json.gz"
LIST_2022 = "list_2022_schema/herreio_tu9_books_2017_2022.json.gz"


def publication(lake_dir: Path, rel: str, record_id: str) -> dict:
    rel_part = part(lake_dir, "publications", rel)
    cursor = duckdb.execute("SELECT * FROM read_parquet(?) WHERE record_id = ?", [rel_part, record_id])
    names = [d[0] for d in cursor.description]
    found = cursor.fetchall()
    assert len(found) == 1, (rel, record_id)
    return dict(zip(names, found[0], strict=True))


def affiliation_rows(lake_dir: Path, rel: str, record_id: str) -> list[tuple]:
    return duckdb.execute(
        "SELECT affiliation_seq, institution_id, organisation, country_raw, country_code, country_basis "
        "FROM read_parquet(?) WHERE record_id = ? ORDER BY affiliation_seq",
        [part(lake_dir, "affiliations", rel), record_id],
    ).fetchall()


def categories(lake_dir: Path, rel: str, record_id: str) -> set[tuple]:
    return set(
        duckdb.execute(
            "SELECT scheme, category_id, is_primary FROM read_parquet(?) WHERE record_id = ?",
            [part(lake_dir, "categories", rel), record_id],
        ).fetchall()
    )


def test_jsonl_work_with_authorship_country_fallback(ingested) -> None:
    # Line 6 of the file: 6 authorships; the 3rd has no institution and countries ["MX"].
    lake_dir, _ = ingested
    pub = publication(lake_dir, JSONL2, "W2004242077")
    assert pub["record_seq"] == 6
    assert pub["pub_year"] == 2005 and pub["year_basis"] == "publication_year"
    assert pub["doi"] == "10.1111/j.1523-1739.2005.s01_1.x"
    assert pub["source_title"] == "Conservation Biology"
    assert pub["doc_type"] == "article"
    assert pub["keywords"] == "Tropical forest"
    assert str(pub["updated_date"]) == "2025-09-17"
    assert pub["abstract"] is None
    assert pub["n_addresses"] == 6
    alberta = ("I154425047", "University of Alberta", "CA", "CA", "institution")
    venezuela = (
        "I191242182",
        "Instituto Venezolano de Investigaciones Científicas",
        "VE",
        "VE",
        "institution",
    )
    assert affiliation_rows(lake_dir, JSONL2, "W2004242077") == [
        (1, *alberta),
        (2, *alberta),
        (3, None, None, "MX", "MX", "authorship_countries"),
        (4, "I145372079", "Instituto Tecnológico de Costa Rica", "CR", "CR", "institution"),
        (5, *venezuela),
        (6, *venezuela),
    ]
    assert categories(lake_dir, JSONL2, "W2004242077") == {
        ("openalex_topic", "14310", True),
        ("openalex_subfield", "1105", True),
    }


def test_api_page_works(ingested) -> None:
    lake_dir, _ = ingested
    # Result 6: authorships US | CA, CN | none with countries [] -> 3 rows; no keywords, no source.
    pub = publication(lake_dir, PAGE_Q2, "W2902225836")
    assert (pub["record_seq"], pub["pub_year"], pub["doi"]) == (6, 2025, "10.53555/acr.v2i2")
    assert pub["keywords"] is None and pub["source_title"] is None
    assert [r[4] for r in affiliation_rows(lake_dir, PAGE_Q2, "W2902225836")] == ["US", "CA", "CN"]
    # Result 8 (CVPR): TW, TW; topics T10036 (primary, 1707), T10627 (1707), T10191 (2202).
    pub = publication(lake_dir, PAGE_Q2, "W4386076325")
    assert pub["n_addresses"] == 2
    assert categories(lake_dir, PAGE_Q2, "W4386076325") == {
        ("openalex_topic", "10036", True),
        ("openalex_topic", "10627", False),
        ("openalex_topic", "10191", False),
        ("openalex_subfield", "1707", True),
        ("openalex_subfield", "2202", False),
    }
    # Result 2: one authorship, no institution, countries ["DE"].
    assert affiliation_rows(lake_dir, PAGE_Q2, "W4320013936") == [
        (1, None, None, "DE", "DE", "authorship_countries")
    ]
    # Result 1: no authorships and no primary topic.
    pub = publication(lake_dir, PAGE_Q2, "W4321794881")
    assert pub["n_addresses"] == 0
    assert categories(lake_dir, PAGE_Q2, "W4321794881") == set()


def test_2022_schema_list_works(ingested) -> None:
    lake_dir, _ = ingested
    pub = publication(lake_dir, LIST_2022, "W4200035428")
    assert pub["record_seq"] == 1
    assert (pub["pub_year"], pub["doi"], pub["doc_type"]) == (2023, "10.1142/10552", "monograph")
    assert pub["title"] == "Handbook of Random Forests"
    assert pub["source_title"] == "Series in computer vision"  # host_venue.display_name
    assert pub["keywords"] is None
    assert str(pub["updated_date"]) == "2022-08-17"
    assert affiliation_rows(lake_dir, LIST_2022, "W4200035428") == [
        (1, "I4577782", "Technical University of Berlin", "DE", "DE", "institution")
    ]
    assert categories(lake_dir, LIST_2022, "W4200035428") == set()  # no topics in the 2022 schema
    # Record 9: two institutions without id or country ("University of MunichGermany") stay, as UNKNOWN.
    assert affiliation_rows(lake_dir, LIST_2022, "W4286945572") == [
        (1, None, "University of MunichGermany", None, "UNKNOWN", "institution"),
        (2, None, "University of MunichGermany", None, "UNKNOWN", "institution"),
        (3, "I100066346", "University of Stuttgart", "DE", "DE", "institution"),
        (4, "I62916508", "Technical University of Munich", "DE", "DE", "institution"),
    ]


def test_record_seq_follows_the_file_order(ingested, work_files) -> None:
    lake_dir, _ = ingested
    for rel, path in work_files.items():
        expected = [w["id"].rsplit("/", 1)[-1] for w in reference_works(path)]
        got = duckdb.execute(
            "SELECT record_id FROM read_parquet(?) ORDER BY record_seq", [part(lake_dir, "publications", rel)]
        ).fetchall()
        assert [r[0] for r in got] == expected, rel


# --- rejection ------------------------------------------------------------------------------------


def test_group_by_response_is_rejected(openalex_dir: Path, tmp_path: Path) -> None:
    for path in sorted((openalex_dir / "group_by").glob("*")):
        with pytest.raises(OpenAlexFormatError, match=r"group_by response .*Remove it") as caught:
            ingest_file(path, f"group_by/{path.name}", SNAPSHOT, tmp_path)
        assert path.name in str(caught.value)
        assert not any(tmp_path.rglob("*.parquet"))
