"""The watch list end to end on a hand-made lake: indicator list, ROR hierarchy, dbt build, hand counts.

A tiny ROR dump is landed (CAS, one CAS institute naming CAS as its parent, Beihang, HIT), plus an
indicator list in two versions (the older one is not used). WoS organisation strings resolve through the
alias seed, except the CAS institute, which resolves by its ROR name.
    W1 2020  Delft (NL) + Harbin Inst Technol (CN, listed by ROR id)       "face recognition" (surveillance)
    W2 2021  Delft (NL) + Tsinghua (CN, not listed)                       "face recognition" (surveillance)
    W3 2021  DTU (DK) + Tsinghua (CN, not listed)                          no sensitive topic
    W4 2019  Oxford (GB) + Beihang (CN, listed by alias, delisted 2020)    "quantum computing" (quantum)
    W5 2022  Oxford (GB) + Beihang: after the delisting year, not flagged  no sensitive topic
    W6 2021  DTU (DK) + Institute of Automation, CAS (CN)                  no sensitive topic
    W7 2021  DTU (DK) + Chinese Acad Sci (CN, listed by name)              no sensitive topic
The list's NRIET entry resolves to nothing (unresolved, listed). With roll_up_institutions the CAS
institute on W6 counts as CAS: listed, and CAS has two co-publications on the CN side.

A PATSTAT edition (hand-written lake parts), all families in the AI scope (G06N 3/08):
    F1 2020  TUM (DE) + HUAWEI TECHNOLOGIES CO LTD (CN, listed by name)               artificial_intelligence
    F2 2021  TUM (DE) + TSINGHUA UNIVERSITY (CN, not listed)                          artificial_intelligence
    F3 2021  BOSCH (DE) + HUAWEI TECHNOLOGIES CO., LTD. (CN)                     + H01L: semiconductors too
    F4 2021  BOSCH (DE) + HUAWEI TECHNOLOGIES DUESSELDORF GMBH (DE): no CN applicant, not a co-patent
    F5 2022  BOSCH (DE) + HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO LTD (CN, by alias, delisted 2021)
    F6 2021  HUAWEI TECHNOLOGIES CO LTD (CN) as inventor only + BOSCH + TSINGHUA applicants: not listed
    F7 2021  HUAWEI TECHNOLOGIES CO LTD from CN and from DE: intra-group, no European partner
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from lake_fixtures import Address, Category, Record, write_file_parts, write_manifest
from test_marts import run_dbt

from stiwatch import atomic_io, layout
from stiwatch.config import Settings
from stiwatch.indicators.step import prepare_watch_list
from stiwatch.institutions.resolve import resolve_institutions
from stiwatch.sources.patstat.schema import lake_schema

pytestmark = pytest.mark.slow

SNAPSHOT = "2024-01-15_export"
CAS_ROR, INSTITUTE_ROR = "https://ror.org/034t30j35", "https://ror.org/0ia0aut01"
HIT_ROR, BEIHANG_ROR = "https://ror.org/01yqg2h08", "https://ror.org/00wk2mp56"
DELFT, DTU, OXFORD = (
    "Delft University of Technology",
    "Technical University of Denmark",
    "University of Oxford",
)
NEUTRAL = [Category("wos_category", "Mathematics", "Mathematics")]
ORGANISATIONS = {  # record -> (EU organisation, CN organisation), written into the lake part
    "W1": "Delft Univ Technol",
    "W2": "Delft Univ Technol",
    "W3": "Tech Univ Denmark",
    "W4": "Univ Oxford",
    "W5": "Univ Oxford",
    "W6": "Tech Univ Denmark",
    "W7": "Tech Univ Denmark",
}
CN_ORGANISATIONS = {
    "W1": "Harbin Inst Technol",
    "W2": "Tsinghua Univ",
    "W3": "Tsinghua Univ",
    "W4": "Beihang Univ",
    "W5": "Beihang Univ",
    "W6": "Institute of Automation Chinese Academy of Sciences",
    "W7": "Chinese Acad Sci",
}
LIST_CSV = """name,aliases,country,ror_id,category,listed_on,delisted_on,source_url,notes
Harbin Institute of Technology,,CN,01yqg2h08,university,2021-01-01,,https://example.org/list,by ROR id
BUAA,Beihang University,CN,,university,2019,2020-06-30,https://example.org/list,by alias; delisted
Chinese Academy of Sciences,,CN,,academy,2022-01-01,,https://example.org/list,by name
Nanjing Research Institute of Electronics Technology,NRIET,CN,,institute,2019,,,not in the registry
"Huawei Technologies Co., Ltd.",Huawei,CN,,company,2021-01-01,,https://example.org/list,not in ROR: patents
Hikvision,"Hangzhou Hikvision Digital Technology Co., Ltd.",CN,,company,2019,2021-12-31,,delisted
"""
OLD_LIST_CSV = """name,ror_id
Harbin Institute of Technology,01yqg2h08
"""


def _ror_record(ror_id: str, name: str, parent: str | None = None) -> dict:
    return {
        "id": ror_id,
        "status": "active",
        "types": ["education"],
        "names": [{"value": name, "types": ["ror_display", "label"], "lang": "en"}],
        "locations": [
            {"geonames_details": {"country_code": "CN", "country_name": "China", "name": "Beijing"}}
        ],
        "relationships": [{"type": "parent", "id": parent}] if parent else [],
    }


def land_inputs(root: Path) -> None:
    """The ROR dump and two versions of the indicator list, as a user lands them."""
    ror = root / "landing" / "ror" / "2024-10-31_test"
    ror.mkdir(parents=True)
    records = [
        _ror_record(CAS_ROR, "Chinese Academy of Sciences"),
        _ror_record(INSTITUTE_ROR, "Institute of Automation Chinese Academy of Sciences", parent=CAS_ROR),
        _ror_record(HIT_ROR, "Harbin Institute of Technology"),
        _ror_record(BEIHANG_ROR, "Beihang University"),
    ]
    with gzip.open(ror / "records.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(record) + "\n" for record in records)
    lists = root / "landing" / "indicators" / "test_list"
    (lists / "2023-01-01").mkdir(parents=True)
    (lists / "2023-01-01" / "list.csv").write_text(OLD_LIST_CSV, encoding="utf-8")
    (lists / "2024-06-01").mkdir()
    (lists / "2024-06-01" / "list.csv").write_text(LIST_CSV, encoding="utf-8")


def write_lake(lake_dir: Path) -> None:
    cn = Address("Peoples R China", "CN")
    eu = {
        "W1": ("Netherlands", "NL"),
        "W2": ("Netherlands", "NL"),
        "W3": ("Denmark", "DK"),
        "W4": ("England", "GB"),
        "W5": ("England", "GB"),
        "W6": ("Denmark", "DK"),
        "W7": ("Denmark", "DK"),
    }
    years = {"W1": 2020, "W2": 2021, "W3": 2021, "W4": 2019, "W5": 2022, "W6": 2021, "W7": 2021}
    titles = {"W1": "Robust face recognition", "W2": "Face recognition at scale", "W4": "Quantum computing"}
    records = [
        Record(
            record_id,
            years[record_id],
            [Address(*eu[record_id]), cn],
            title=titles.get(record_id, "Graph colouring bounds"),
            keywords=None,
            categories=NEUTRAL,
        )
        for record_id in years
    ]
    write_file_parts(lake_dir, "wos", SNAPSHOT, "export_1.txt", records)
    part = layout.part_path(lake_dir, "wos", SNAPSHOT, "affiliations", "export_1.txt")
    table = pq.read_table(part)
    keys = zip(
        table.column("record_id").to_pylist(), table.column("affiliation_seq").to_pylist(), strict=True
    )
    names = [ORGANISATIONS[record] if seq == 1 else CN_ORGANISATIONS[record] for record, seq in keys]
    index = table.schema.get_field_index("organisation")
    atomic_io.write_parquet_atomic(table.set_column(index, "organisation", [names]), part)
    write_manifest(lake_dir, "wos", SNAPSHOT, "2024-01-15", {"export_1.txt": len(records)})


EDITION = "2024_spring"
TUM, BOSCH = "TECHNISCHE UNIVERSITAET MUENCHEN", "ROBERT BOSCH GMBH"
HUAWEI, TSINGHUA = "HUAWEI TECHNOLOGIES CO LTD", "TSINGHUA UNIVERSITY"
PERSONS = {  # person_id -> (han_name, country)
    1: (TUM, "DE"),
    2: (HUAWEI, "CN"),
    3: (TSINGHUA, "CN"),
    4: (BOSCH, "DE"),
    5: ("HUAWEI TECHNOLOGIES CO., LTD.", "CN"),
    6: ("HUAWEI TECHNOLOGIES DUESSELDORF GMBH", "DE"),
    7: ("HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO LTD", "CN"),
    8: (HUAWEI, "DE"),  # Huawei's European arm under the same harmonised name
}
FAMILIES = {  # family (= application id) -> (year, applicants, inventors, CPC symbols)
    1: (2020, [1, 2], [], ["G06N   3/08"]),
    2: (2021, [1, 3], [], ["G06N   3/08"]),
    3: (2021, [4, 5], [], ["G06N   3/08", "H01L  21/02"]),
    4: (2021, [4, 6], [], ["G06N   3/08"]),
    5: (2022, [4, 7], [], ["G06N   3/08"]),
    6: (2021, [4, 3], [2], ["G06N   3/08"]),
    7: (2021, [2, 8], [], ["G06N   3/08"]),
}


def write_patstat_lake(lake_dir: Path) -> None:
    """One edition, one application per family, written as the ingest writes lake parts."""

    def write(table: str, rows: list[dict]) -> None:
        schema = lake_schema(table)
        full = [{"snapshot_id": EDITION, "source_file": f"{table}.csv", **row} for row in rows]
        path = layout.part_path(lake_dir, "patstat", EDITION, table, f"{table}.csv")
        atomic_io.write_parquet_atomic(pa.Table.from_pylist(full, schema=schema), path)

    applications = [
        {"appln_id": f, "appln_auth": "EP", "appln_kind": "A ", "appln_filing_year": year, "ipr_type": "PI",
         "granted": False, "docdb_family_id": f, "earliest_filing_year": year}
        for f, (year, _, _, _) in FAMILIES.items()
    ]  # fmt: skip
    persons = [
        {"person_id": p, "person_name": name, "person_ctry_code": country, "psn_id": p, "psn_name": name,
         "psn_sector": "COMPANY", "han_id": p, "han_name": name}
        for p, (name, country) in PERSONS.items()
    ]  # fmt: skip
    links = [
        {"person_id": p, "appln_id": f, "applt_seq_nr": seq, "invt_seq_nr": 0}
        for f, (_, applicants, _, _) in FAMILIES.items()
        for seq, p in enumerate(applicants, start=1)
    ] + [
        {"person_id": p, "appln_id": f, "applt_seq_nr": 0, "invt_seq_nr": seq}
        for f, (_, _, inventors, _) in FAMILIES.items()
        for seq, p in enumerate(inventors, start=1)
    ]
    cpc = [
        {"appln_id": f, "cpc_class_symbol": symbol}
        for f, (_, _, _, symbols) in FAMILIES.items()
        for symbol in symbols
    ]
    write("tls201_appln", applications)
    write("tls206_person", persons)
    write("tls207_pers_appln", links)
    write("tls224_appln_cpc", cpc)
    tables = {"tls201_appln": applications, "tls206_person": persons, "tls207_pers_appln": links}
    counts = {f"{table}.csv": len(rows) for table, rows in {**tables, "tls224_appln_cpc": cpc}.items()}
    write_manifest(lake_dir, "patstat", EDITION, "2024-04-01", counts)


WATCH_MARTS = (
    "+fct_watch_list +fct_institution_risk_profile +fct_institution_topic_profile +dim_indicator_entry"
)


def _build(root: Path, roll_up: bool) -> Path:
    land_inputs(root)
    write_lake(root / "lake")
    write_patstat_lake(root / "lake")
    settings = Settings(data_dir=root, warehouse_path=root / "warehouse.duckdb")
    resolve_institutions(settings)
    prepare_watch_list(settings)
    run_dbt(
        root,
        root / "lake",
        "build",
        "--select",
        f"{WATCH_MARTS} +fct_top_institutions +dim_institution int_snapshot_years",
        roll_up_institutions=roll_up,
    )
    return root


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("watch"), roll_up=False)


@pytest.fixture(scope="module")
def rolled_up(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("watch-rolled"), roll_up=True)


def _query(root: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_entries_resolve_by_ror_id_alias_and_name_or_stay_unresolved(warehouse: Path) -> None:
    rows = {
        name: (key, method, version_is_current)
        for name, key, method, version_is_current in _query(
            warehouse,
            "select name, institution_key, resolution_method, is_current_version from dim_indicator_entry "
            "where is_current_version",
        )
    }
    assert rows["Harbin Institute of Technology"] == (HIT_ROR, "ror_id", True)
    assert rows["BUAA"][0] == BEIHANG_ROR and rows["BUAA"][1].startswith("alias:")
    assert rows["Chinese Academy of Sciences"][0] == CAS_ROR and rows["Chinese Academy of Sciences"][
        1
    ].startswith("name:")
    assert rows["Nanjing Research Institute of Electronics Technology"] == (None, "unresolved", True)
    # Both versions are listed; only the newest is current.
    versions = _query(
        warehouse, "select list_version, count(*) from dim_indicator_entry group by 1 order by 1"
    )
    assert versions == [("2023-01-01", 1), ("2024-06-01", 6)]
    flagged = dict(
        _query(warehouse, "select name, flagged_in_sources from dim_indicator_entry where is_current_version")
    )
    # HIT: W1; Beihang: W4 (W5 is after the delisting year); CAS: W7 (W6 is an institute); NRIET: nothing.
    assert flagged == {
        "Harbin Institute of Technology": "wos",
        "BUAA": "wos",
        "Chinese Academy of Sciences": "wos",
        "Nanjing Research Institute of Electronics Technology": None,
        "Huawei Technologies Co., Ltd.": "patstat",  # test_co_patents_with_listed_applicants
        "Hikvision": None,
    }


def test_watch_list_counts_listed_partners_by_topic(warehouse: Path) -> None:
    rows = _query(
        warehouse,
        """select institution_name, listed_institution_key, topic_id, copublications, first_year_shared,
                  last_year_shared, match_methods
           from fct_watch_list where source = 'wos' and period = 'all' order by 1, 2, 3""",
    )
    assert rows == [
        (DELFT, HIT_ROR, "all_topics", 1, 2020, 2020, "ror_id"),
        (DELFT, HIT_ROR, "surveillance", 1, 2020, 2020, "ror_id"),
        (DTU, CAS_ROR, "all_topics", 1, 2021, 2021, rows[2][6]),
        (OXFORD, BEIHANG_ROR, "all_topics", 1, 2019, 2019, rows[3][6]),  # W5 (2022) after delisting
        (OXFORD, BEIHANG_ROR, "quantum", 1, 2019, 2019, rows[4][6]),
    ]
    assert rows[2][6].startswith("name:") and rows[3][6].startswith("alias:")
    # Tsinghua is on no list: W2 (sensitive) and W3 give no watch-list row. Per year: 2020 and 2019 only.
    years = _query(
        warehouse,
        "select distinct period from fct_watch_list where source = 'wos' and period <> 'all' order by 1",
    )
    assert years == [("2019",), ("2020",), ("2021",)]


def test_risk_profile_ranks_european_institutions(warehouse: Path) -> None:
    rows = _query(
        warehouse,
        """select risk_rank, institution_name, copublications_with_cn, listed_copublications,
                  sensitive_copublications, listed_sensitive_copublications, listed_partners, listed_share
           from fct_institution_risk_profile where source = 'wos' and period = 'all' order by risk_rank""",
    )
    # Delft: W1, W2 (both sensitive), W1 listed. Oxford: W4 (listed, quantum), W5 (not listed: delisted).
    # Tie on 1 listed sensitive, 1 listed, 2 co-publications: by name. DTU: W3, W6, W7; listed W7 only.
    assert rows == [
        (1, DELFT, 2, 1, 2, 1, 1, 0.5),
        (2, OXFORD, 2, 1, 1, 1, 1, 0.5),
        (3, DTU, 3, 1, 0, 0, 1, pytest.approx(1 / 3)),
    ]
    topics = _query(
        warehouse,
        """select institution_name, topic_id, topic_copublications, topic_share, listed_topic_copublications
           from fct_institution_topic_profile where source = 'wos' and period = 'all' order by 1, 2""",
    )
    assert topics == [(DELFT, "surveillance", 2, 1.0, 1), (OXFORD, "quantum", 1, 0.5, 1)]


def test_roll_up_counts_the_cas_institute_as_cas(warehouse: Path, rolled_up: Path) -> None:
    cn_side = (
        "select institution_name, copublications from fct_top_institutions where side = 'CN' "
        "and period = 'all' and institution_name like '%Chinese Academy%' order by 1"
    )
    assert _query(warehouse, cn_side) == [
        ("Chinese Academy of Sciences", 1),
        ("Institute of Automation Chinese Academy of Sciences", 1),
    ]
    assert _query(rolled_up, cn_side) == [("Chinese Academy of Sciences", 2)]
    dtu = (
        "select copublications, first_year_shared from fct_watch_list "
        "where source = 'wos' and period = 'all' "
        f"and institution_name = '{DTU}' and topic_id = 'all_topics'"
    )
    assert _query(warehouse, dtu) == [(1, 2021)]
    assert _query(rolled_up, dtu) == [(2, 2021)]  # W6 (the institute) and W7
    levels = _query(rolled_up, "select distinct institution_level from fct_watch_list where source = 'wos'")
    assert levels == [("top_parent",)]
    # The main Chinese partner follows the switch: DTU's is CAS (W6 + W7) once rolled up.
    partner = (
        "select main_partner_name, main_partner_copublications from fct_top_institutions "
        f"where side = 'EU27/AC' and variant = 'all' and period = 'all' and institution_name = '{DTU}'"
    )
    assert _query(rolled_up, partner) == [("Chinese Academy of Sciences", 2)]


def test_co_patents_with_listed_applicants(warehouse: Path) -> None:
    entries = dict(
        _query(warehouse, "select name, entry_id from dim_indicator_entry where is_current_version")
    )
    assert "Huawei Technologies Co., Ltd." in entries
    # The entry resolves to Huawei's ROR record through the alias seed; the partner is that institution.
    huawei, name = "https://ror.org/00cmhce21", "Huawei Technologies (China)"
    rows = _query(
        warehouse,
        """select institution_name, institution_country, listed_institution_key, listed_institution_name,
                  topic_id, copublications, first_year_shared, last_year_shared, match_methods,
                  institution_level
           from fct_watch_list where source = 'patstat' and period = 'all' order by 1, 5""",
    )
    # F1 (TUM) and F3 (Bosch) with Huawei; F5 (Hikvision, 2022) is after its delisting year; F6 has
    # Huawei as inventor only; F4 has no CN applicant; F7's European applicant is Huawei itself.
    assert rows == [
        (BOSCH, "DE", huawei, name, "all_topics", 1, 2021, 2021, "applicant:exact", "applicant"),
        (BOSCH, "DE", huawei, name, "artificial_intelligence", 1, 2021, 2021, "applicant:exact", "applicant"),
        (BOSCH, "DE", huawei, name, "semiconductors", 1, 2021, 2021, "applicant:exact", "applicant"),
        (TUM, "DE", huawei, name, "all_topics", 1, 2020, 2020, "applicant:exact", "applicant"),
        (TUM, "DE", huawei, name, "artificial_intelligence", 1, 2020, 2020, "applicant:exact", "applicant"),
    ]
    snapshot = _query(warehouse, "select distinct snapshot_id from fct_watch_list where source = 'patstat'")
    assert snapshot == [(EDITION,)]
    # Hikvision matched (by alias) but flags nothing: delisted before F5.
    flagged = dict(
        _query(warehouse, "select name, flagged_in_sources from dim_indicator_entry where is_current_version")
    )
    assert flagged["Huawei Technologies Co., Ltd."] == "patstat" and flagged["Hikvision"] is None
    profile = _query(
        warehouse,
        """select risk_rank, institution_name, copublications_with_cn, listed_copublications,
                  sensitive_copublications, listed_sensitive_copublications, listed_partners,
                  top_listed_partners
           from fct_institution_risk_profile where source = 'patstat' and period = 'all'
           order by risk_rank""",
    )
    # Bosch: F3, F5, F6 (F4 is not EU-CN); TUM: F1, F2. Every family is in the AI topic.
    assert profile == [
        (1, BOSCH, 3, 1, 3, 1, 1, f"{name} (1)"),
        (2, TUM, 2, 1, 2, 1, 1, f"{name} (1)"),
    ]


def test_dim_institution_names_the_top_parent_whatever_the_switch(warehouse: Path, rolled_up: Path) -> None:
    sql = (
        "select institution_key, top_parent_key, top_parent_name, top_parent_levels from dim_institution "
        f"where institution_key in ('{INSTITUTE_ROR}', '{CAS_ROR}', '{HIT_ROR}') order by 1"
    )
    expected = [
        (HIT_ROR, HIT_ROR, "Harbin Institute of Technology", 0),  # its own top
        (CAS_ROR, CAS_ROR, "Chinese Academy of Sciences", 0),
        (INSTITUTE_ROR, CAS_ROR, "Chinese Academy of Sciences", 1),  # the CAS institute: one parent link
    ]
    # Every affiliation key stays a row (the institute too) with and without roll-up.
    assert _query(warehouse, sql) == expected
    assert _query(rolled_up, sql) == expected
