"""ingest_file on every real WoS export in ../shared/data/wos (files added later are globbed in too).

Expected values were read off the raw files by hand (zcat | grep / awk), or come from PROVENANCE.md.
"""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dbt_country_codes import dbt_country_codes
from reference.provenance import OLD_US_ADDRESS_PAIRS
from reference.provenance import PROVENANCE_PAIRS as PAIRS
from stiwatch import lake_schema, layout
from stiwatch.config import SEEDS_DIR
from stiwatch.sources.wos import ingest_file
from stiwatch.sources.wos.countries import address_country, default_lookup

SNAPSHOT = "shared"
FORMAT_FOLDERS = {"tab": "wos_tab", "tab_alldb": "wos_tab", "edge_cases": "wos_tab", "tagged": "wos_tagged"}

# file name -> records, from PROVENANCE.md
RECORDS = {
    "scientopy_wos_2026_04_02_1000.txt.gz": 1000,
    "scientopy_wos_2026_04_02_4000.txt.gz": 1000,
    "scientopy_wos_2026_04_02_4071.txt": 71,
    "lamatawk_alldb_130.txt": 130,
    "lamatawk_alldb_217.txt": 217,
    "lamatawk_alldb_283.txt": 283,
    "lamatawk_alldb_390.txt": 390,
    "lamatawk_alldb_68.txt": 68,
    "lamatawk_savedrecs_tab_no_addresses.txt.gz": 1000,
    "wosanalysis_2.txt.gz": 450,
    "wo1dnr5_savedrecs.txt.gz": 500,
    "wo1dnr5_savedrecs-2.txt.gz": 500,
    "xzy_data_3.txt.gz": 500,
    "xzy_data_4.txt.gz": 500,
    "xzy_data_6.txt.gz": 500,
    "xzy_data_7.txt.gz": 500,
    "xzy_data_8.txt.gz": 271,
    "metaknowledge_ManyAuthors.isi.gz": 500,
    "blacksilicon_savedrecs.txt.gz": 500,
}

# file name -> records without C1, counted by hand: tagged `grep -c '^ER'` minus `grep -c '^C1 '`,
# tab `awk` over the C1 column
WITHOUT_ADDRESSES = {
    "scientopy_wos_2026_04_02_1000.txt.gz": 5,
    "scientopy_wos_2026_04_02_4000.txt.gz": 1,
    "scientopy_wos_2026_04_02_4071.txt": 17,
    "lamatawk_alldb_68.txt": 1,
    "lamatawk_savedrecs_tab_no_addresses.txt.gz": 1000,
    "metaknowledge_ManyAuthors.isi.gz": 41,
    "wo1dnr5_savedrecs.txt.gz": 6,
    "wo1dnr5_savedrecs-2.txt.gz": 7,
    "xzy_data_3.txt.gz": 1,
    "xzy_data_4.txt.gz": 1,
    "xzy_data_6.txt.gz": 1,
    "xzy_data_7.txt.gz": 1,
    "xzy_data_8.txt.gz": 2,
}

EU27_AC = {
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
    "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "NO", "CH", "GB",
}  # fmt: skip
# PROVENANCE's rule: Hong Kong/Macau addresses end in "Peoples R China", so HK/MO count as CN there too
REGION_OF = {code: "EU27/AC" for code in EU27_AC} | {"CN": "CN", "HK": "CN", "MO": "CN", "US": "US"}


def _real_files(shared: Path) -> list[Path]:
    files = sorted(p for folder in FORMAT_FOLDERS for p in (shared / "wos" / folder).glob("*") if p.is_file())
    assert files, f"no WoS files under {shared / 'wos'}"
    return files


@pytest.fixture(scope="module")
def ingested(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict]]:
    lake_dir = tmp_path_factory.mktemp("lake")
    results = {p.name: ingest_file(p, p.name, SNAPSHOT, lake_dir) for p in _real_files(shared_data)}
    return lake_dir, results


@pytest.fixture(scope="module")
def coded(ingested, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, int], tuple[str, str]]:
    """(file, UT, affiliation_seq) -> (country_code, country_basis) as dbt decides them from the seeds."""
    lake_dir, results = ingested
    rows = [a for name in sorted(results) for a in _rows(lake_dir, "affiliations", name)]
    codes = dbt_country_codes(rows, tmp_path_factory.mktemp("countries"))
    return {
        (a["source_file"], a["record_id"], a["affiliation_seq"]): code
        for a, code in zip(rows, codes, strict=True)
    }


def _rows(lake_dir: Path, table: str, name: str) -> list[dict]:
    return pq.read_table(layout.part_path(lake_dir, "wos", SNAPSHOT, table, name)).to_pylist()


def _with_codes(affs: list[dict], coded: dict) -> list[dict]:
    """The lake rows with the country_code and country_basis dbt gives them."""
    return [
        a
        | dict(
            zip(
                ("country_code", "country_basis"),
                coded[(a["source_file"], a["record_id"], a["affiliation_seq"])],
                strict=True,
            )
        )
        for a in affs
    ]


def _publication(lake_dir: Path, name: str, ut: str, coded: dict) -> tuple[dict, list[dict]]:
    pub = next(p for p in _rows(lake_dir, "publications", name) if p["record_id"] == ut)
    affs = [a for a in _rows(lake_dir, "affiliations", name) if a["record_id"] == ut]
    return pub, _with_codes(affs, coded)


def test_every_real_file_parses_with_the_provenance_record_count(shared_data: Path, ingested) -> None:
    lake_dir, results = ingested
    for path in _real_files(shared_data):
        result = results[path.name]
        assert result["format"] == FORMAT_FOLDERS[path.parent.name], path.name
        pubs = _rows(lake_dir, "publications", path.name)
        assert len(pubs) == result["records"], path.name
        assert len({p["record_id"] for p in pubs}) == len(pubs), f"{path.name}: duplicate UT within a file"
        if path.name in RECORDS:  # a file added to shared/ later has no published count
            assert result["records"] == RECORDS[path.name], path.name
            assert result["records_without_addresses"] == WITHOUT_ADDRESSES.get(path.name, 0), path.name


def test_every_country_string_of_the_real_files_is_in_the_seed(ingested, coded) -> None:
    lake_dir, results = ingested
    with (SEEDS_DIR / "wos_country_names.csv").open(encoding="utf-8", newline="") as fh:
        unknown_on_purpose = {
            r["wos_country_name"].casefold() for r in csv.DictReader(fh) if r["country_code"] == "UNKNOWN"
        }
    unmapped = {
        (name, a["country_raw"])
        for name in results
        for a in _with_codes(_rows(lake_dir, "affiliations", name), coded)
        if a["country_code"] == "UNKNOWN" and (a["country_raw"] or "").casefold() not in unknown_on_purpose
    }
    assert unmapped == set()


def test_no_addresses_edge_case(ingested) -> None:
    lake_dir, results = ingested
    name = "lamatawk_savedrecs_tab_no_addresses.txt.gz"
    assert (results[name]["records"], results[name]["records_without_addresses"]) == (1000, 1000)
    assert _rows(lake_dir, "affiliations", name) == []
    assert _rows(lake_dir, "categories", name) == []


def test_tab_record_read_by_hand(ingested, coded) -> None:
    lake_dir, _ = ingested
    pub, affs = _publication(lake_dir, "scientopy_wos_2026_04_02_1000.txt.gz", "WOS:001395617300004", coded)
    assert (pub["record_seq"], pub["pub_year"], pub["year_basis"]) == (1, 2025, "PY")
    assert pub["doi"] == "10.1109/jiot.2024.3468428"
    assert pub["title"] == "Accurate Indoor Localization for Bluetooth Low Energy Backscatter"
    assert pub["source_title"] == "IEEE INTERNET OF THINGS JOURNAL"
    assert pub["keywords"].startswith("Backscatter; Location awareness; Symbols;")
    assert [
        (a["n_authors"], a["organisation"], a["sub_units"], a["city"], a["country_code"]) for a in affs
    ] == [
        (5, "Huazhong Univ Sci & Technol", "Sch Elect Informat & Commun", "Wuhan", "CN"),
        (1, "ZTE Corp", "Algorithm Dept", "Shenzhen", "CN"),
    ]
    cats = [
        (c["scheme"], c["category"])
        for c in _rows(lake_dir, "categories", "scientopy_wos_2026_04_02_1000.txt.gz")
        if c["record_id"] == "WOS:001395617300004"
    ]
    assert cats == [
        ("wos_category", "Computer Science, Information Systems"),
        ("wos_category", "Engineering, Electrical & Electronic"),
        ("wos_category", "Telecommunications"),
        ("wos_research_area", "Computer Science"),
        ("wos_research_area", "Engineering"),
        ("wos_research_area", "Telecommunications"),
    ]


def test_all_databases_tab_record_read_by_hand(ingested, coded) -> None:
    lake_dir, _ = ingested
    pub, affs = _publication(lake_dir, "lamatawk_alldb_68.txt", "WOS:001067701100035", coded)
    assert (pub["record_seq"], pub["pub_year"], pub["doi"]) == (2, 2023, "10.1371/journal.pone.0288809")
    assert len(affs) == pub["n_addresses"] == 8
    first = affs[0]
    assert (first["n_authors"], first["organisation"], first["city"]) == (3, "Univ Ft Hare", "Alice")
    assert (first["country_raw"], first["country_code"]) == ("South Africa", "ZA")
    assert (affs[3]["organisation"], affs[3]["country_code"]) == ("Univ Port Harcourt", "NG")


def test_tagged_records_read_by_hand(ingested, coded) -> None:
    lake_dir, results = ingested
    # blacksilicon record 387 has no PY, only "EA MAY 2021"
    pub, affs = _publication(lake_dir, "blacksilicon_savedrecs.txt.gz", "WOS:000649402100001", coded)
    assert (pub["record_seq"], pub["pub_year"], pub["year_basis"]) == (387, 2021, "EA")
    assert pub["doi"] == "10.1002/pssr.202100129"
    assert [(a["n_authors"], a["organisation"], a["city"], a["country_code"]) for a in affs] == [
        (7, "Univ Oxford", "Oxford", "GB"),
        (4, "Univ New South Wales", "NSW", "AU"),
        (2, "Tech Univ Denmark", "Lyngby", "DK"),
        (1, "Trina Solar", "Jiangsu", "CN"),
    ]
    assert results["blacksilicon_savedrecs.txt.gz"]["records_without_year"] == 0
    # wosanalysis record 65: Hong Kong addresses of the new style, and an English one
    pub, affs = _publication(lake_dir, "wosanalysis_2.txt.gz", "WOS:000589418400030", coded)
    assert (pub["record_seq"], pub["pub_year"], pub["doi"]) == (65, 2020, "10.1039/d0ta06281b")
    assert [(a["n_authors"], a["organisation"], a["country_code"], a["country_basis"]) for a in affs] == [
        (5, "Hong Kong Polytech Univ", "HK", "hk_mo_city"),
        (5, "Hong Kong Polytech Univ", "HK", "hk_mo_city"),
        (2, "Univ Oxford", "GB", "address"),
    ]


def test_old_upper_case_records_read_by_hand(ingested, coded) -> None:
    lake_dir, _ = ingested
    name = "metaknowledge_ManyAuthors.isi.gz"
    pub, affs = _publication(lake_dir, name, "WOS:A1973P247700001", coded)
    assert (pub["record_seq"], pub["pub_year"], pub["doi"]) == (61, 1973, "10.2307/2978164")
    assert [
        (a["organisation"], a["city"], a["country_raw"], a["country_code"], a["country_basis"]) for a in affs
    ] == [
        ("UNIV MISSOURI", "COLUMBIA", "MO 65201", "US", "us_state_zip"),
        ("OKLAHOMA STATE UNIV", "STILLWATER", "OK 74074", "US", "us_state_zip"),
    ]
    pub, affs = _publication(lake_dir, name, "WOS:A1995QG22000002", coded)
    assert (pub["record_seq"], pub["pub_year"]) == (64, 1995)
    assert [(a["city"], a["country_raw"], a["country_code"]) for a in affs] == [
        ("MONTREAL", "CANADA", "CA"),
        ("RICHMOND", "VA 23298", "US"),
        ("ST LOUIS", "MO", "US"),
        ("HARTFORD", "CT 06115", "US"),
        ("HAMILTON", "CANADA", "CA"),
        ("KWANGJU", "SOUTH KOREA", "KR"),
        ("WORCESTER", "MA", "US"),
    ]


def test_utf16_copy_of_a_real_tab_file_gives_identical_rows(
    shared_data: Path, ingested, tmp_path: Path
) -> None:
    lake_dir, _ = ingested
    original = shared_data / "wos" / "tab" / "scientopy_wos_2026_04_02_4071.txt"
    copy = tmp_path / original.name
    copy.write_bytes(b"\xff\xfe" + original.read_bytes().decode("utf-8-sig").encode("utf-16-le"))
    result = ingest_file(copy, original.name, SNAPSHOT, tmp_path / "lake")
    assert (result["encoding"], result["records"]) == ("utf-16-le", 71)
    for table in lake_schema.TABLES:
        assert _rows(tmp_path / "lake", table, original.name) == _rows(lake_dir, table, original.name), table


def test_gzip_copy_of_a_real_tagged_file_gives_identical_rows(
    shared_data: Path, ingested, tmp_path: Path
) -> None:
    lake_dir, _ = ingested
    original = shared_data / "wos" / "tagged" / "xzy_data_8.txt.gz"
    plain = tmp_path / "plain.txt"
    plain.write_bytes(gzip.decompress(original.read_bytes()))
    ingest_file(plain, original.name, SNAPSHOT, tmp_path / "lake")
    for table in lake_schema.TABLES:
        assert _rows(tmp_path / "lake", table, original.name) == _rows(lake_dir, table, original.name), table


def _pair_records(
    lake_dir: Path, name: str, coded: dict, *, old_us_rule: bool
) -> dict[tuple[str, str], set[str]]:
    regions: dict[str, set[str]] = {}
    for a in _with_codes(_rows(lake_dir, "affiliations", name), coded):
        if a["country_basis"] == "us_state_zip" and not old_us_rule:
            continue
        region = REGION_OF.get(a["country_code"])
        if region:
            regions.setdefault(a["record_id"], set()).add(region)
    return {
        pair: {rid for rid, found in regions.items() if set(pair) <= found}
        for pair in (("CN", "EU27/AC"), ("CN", "US"), ("EU27/AC", "US"))
    }


def test_pair_counts_match_provenance_where_the_rules_coincide(ingested, coded) -> None:
    lake_dir, results = ingested
    for name in results:
        if name not in PAIRS:
            continue
        # PROVENANCE's rough rule knows only "... USA" as US: leave out our old state+ZIP addresses
        rough = _pair_records(lake_dir, name, coded, old_us_rule=False)
        assert tuple(len(ids) for ids in rough.values()) == PAIRS[name], name


def test_old_us_addresses_add_the_expected_pairs(ingested, coded) -> None:
    lake_dir, _ = ingested
    name = "metaknowledge_ManyAuthors.isi.gz"
    rough = _pair_records(lake_dir, name, coded, old_us_rule=False)
    method = _pair_records(lake_dir, name, coded, old_us_rule=True)
    added = {rid: pair for pair in method for rid in method[pair] - rough[pair]}
    assert added == OLD_US_ADDRESS_PAIRS


def test_resolution_step_codes_every_real_address_as_dbt_does(ingested, coded) -> None:
    # The institution resolution step runs before dbt and joins back on the country code: its Python
    # reading of the seeds must give every address the code dbt gives it.
    lake_dir, results = ingested
    lookup = default_lookup()
    differ = [
        (a["source_file"], a["record_id"], a["affiliation_seq"])
        for name in results
        for a in _rows(lake_dir, "affiliations", name)
        if address_country(a["country_raw"], a["country_form"], a["place_parts"], a["country_code"], lookup)
        != coded[(a["source_file"], a["record_id"], a["affiliation_seq"])][0]
    ]
    assert differ == []
