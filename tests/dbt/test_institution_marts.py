"""The institution step and marts end to end on a hand-made WoS snapshot: resolve, dbt build, hand counts.

No ROR dump is landed, so the matcher runs on the alias seed alone (dbt/seeds/institution_aliases.csv maps
all five organisations below to ROR ids) plus one string the seed does not know, kept unresolved.
    WOS:001 2020  Chinese Acad Sci (CN); Tech Univ Denmark (DK) at two addresses
    WOS:002 2021  Univ Oxford (GB); Chinese Acad Sci (CN)
    WOS:003 2021  Delft Univ Technol (NL); Tsinghua Univ (CN); Atlantis Inst Adv Study (NL, unknown)
    WOS:004 2021  Delft Univ Technol (NL); a US address: not an EU27/AC-CN co-publication
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from lake_fixtures import Address, Record, write_file_parts, write_manifest
from test_marts import run_dbt

from stiwatch import atomic_io, layout
from stiwatch.config import Settings
from stiwatch.institutions.resolve import matches_path, resolve_institutions

SNAPSHOT = "2024-01-15_export"
ORGANISATIONS = {  # (record, affiliation_seq) -> organisation written into the lake part
    ("WOS:001", 1): "Chinese Acad Sci",
    ("WOS:001", 2): "Tech Univ Denmark",
    ("WOS:001", 3): "Tech Univ Denmark",
    ("WOS:002", 1): "Univ Oxford",
    ("WOS:002", 2): "Chinese Acad Sci",
    ("WOS:003", 1): "Delft Univ Technol",
    ("WOS:003", 2): "Tsinghua Univ",
    ("WOS:003", 3): "Atlantis Inst Adv Study",
    ("WOS:004", 1): "Delft Univ Technol",
    ("WOS:004", 2): "MIT",
}
CAS, DTU, OXFORD = "Chinese Academy of Sciences", "Technical University of Denmark", "University of Oxford"
DELFT, TSINGHUA = "Delft University of Technology", "Tsinghua University"


def _write_lake(lake_dir: Path) -> None:
    cn, dk, gb = Address("Peoples R China", "CN"), Address("Denmark", "DK"), Address("England", "GB")
    nl = Address("Netherlands", "NL")
    records = [
        Record("WOS:001", 2020, [cn, dk, dk]),
        Record("WOS:002", 2021, [gb, cn]),
        Record("WOS:003", 2021, [nl, cn, nl]),
        Record("WOS:004", 2021, [nl, Address("USA", "US")]),
    ]
    write_file_parts(lake_dir, "wos", SNAPSHOT, "export_1.txt", records)
    # The fixture names organisations "Org <seq> of <record>": put the real strings in their place.
    part = layout.part_path(lake_dir, "wos", SNAPSHOT, "affiliations", "export_1.txt")
    table = pq.read_table(part)
    keys = zip(
        table.column("record_id").to_pylist(), table.column("affiliation_seq").to_pylist(), strict=True
    )
    named = table.set_column(
        table.schema.get_field_index("organisation"), "organisation", [[ORGANISATIONS[k] for k in keys]]
    )
    atomic_io.write_parquet_atomic(named, part)
    write_manifest(lake_dir, "wos", SNAPSHOT, "2024-01-15", {"export_1.txt": 4})


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("institutions")
    _write_lake(root / "lake")
    resolve_institutions(Settings(data_dir=root, warehouse_path=root / "warehouse.duckdb"))
    run_dbt(root, root / "lake", "build", "--select", "+dim_institution +fct_top_institutions +fct_uk_share")
    return root


def _query(root: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_resolution_step_maps_each_distinct_string_once(warehouse: Path) -> None:
    matches = pq.read_table(matches_path(warehouse / "lake")).to_pylist()
    by_string = {(m["organisation"], m["country_code"]): m for m in matches}
    assert len(matches) == len(by_string) == 7  # 10 addresses, 7 distinct (organisation, country)
    assert by_string[("Chinese Acad Sci", "CN")]["institution_key"] == "https://ror.org/034t30j35"
    assert by_string[("Chinese Acad Sci", "CN")]["method"] == "alias"
    assert by_string[("Atlantis Inst Adv Study", "NL")]["institution_key"].startswith("unresolved:NL:")
    assert by_string[("Atlantis Inst Adv Study", "NL")]["registry_id"] is None  # no ROR dump landed


def test_top_institutions_all_years(warehouse: Path) -> None:
    rows = _query(
        warehouse,
        """select side, variant, institution_rank, institution_name, copublications, pair_copublications,
                  main_partner_name, main_partner_copublications
           from fct_top_institutions where period = 'all' order by side, variant, institution_rank""",
    )
    # Co-publications: WOS:001, WOS:002, WOS:003 (3). DTU is on WOS:001 twice: counts 1.
    # CN side: CAS on WOS:001 + WOS:002 = 2, partners DTU 1 and Oxford 1 -> tie, by name: Technical ...
    # EU side, all: Atlantis, Delft, DTU, Oxford at 1 each, ranked by name.
    assert rows == [
        ("CN", "all", 1, CAS, 2, 3, DTU, 1),
        ("CN", "all", 2, TSINGHUA, 1, 3, "Atlantis Inst Adv Study", 1),
        ("EU27/AC", "all", 1, "Atlantis Inst Adv Study", 1, 3, TSINGHUA, 1),
        ("EU27/AC", "all", 2, DELFT, 1, 3, TSINGHUA, 1),
        ("EU27/AC", "all", 3, DTU, 1, 3, CAS, 1),
        ("EU27/AC", "all", 4, OXFORD, 1, 3, CAS, 1),
        ("EU27/AC", "excluding_uk", 1, "Atlantis Inst Adv Study", 1, 3, TSINGHUA, 1),
        ("EU27/AC", "excluding_uk", 2, DELFT, 1, 3, TSINGHUA, 1),
        ("EU27/AC", "excluding_uk", 3, DTU, 1, 3, CAS, 1),
    ]


def test_top_institutions_per_year(warehouse: Path) -> None:
    rows = _query(
        warehouse,
        """select period, institution_name, copublications, pair_copublications from fct_top_institutions
           where side = 'CN' order by period, institution_rank""",
    )
    # 2020: WOS:001 only; 2021: WOS:002 (CAS) and WOS:003 (Tsinghua).
    assert rows == [("2020", CAS, 1, 1), ("2021", CAS, 1, 2), ("2021", TSINGHUA, 1, 2),
                    ("all", CAS, 2, 3), ("all", TSINGHUA, 1, 3)]  # fmt: skip


def test_uk_share(warehouse: Path) -> None:
    rows = _query(
        warehouse,
        """select period, eu_cn_copublications, with_uk_copublications, share_with_uk
           from fct_uk_share order by period""",
    )
    # 2020: WOS:001 (DK) 0 of 1; 2021: WOS:002 (GB) of WOS:002, WOS:003 -> 1 of 2; all: 1 of 3.
    assert rows == [("2020", 1, 0, 0.0), ("2021", 2, 1, 0.5), ("all", 3, 1, pytest.approx(1 / 3))]


def test_dim_institution_lists_resolved_and_unresolved(warehouse: Path) -> None:
    rows = dict(
        (name, (resolved, region, n_raw))
        for name, resolved, region, n_raw in _query(
            warehouse, "select institution_name, is_resolved, region, n_raw_strings from dim_institution"
        )
    )
    assert rows[CAS] == (True, "CN", 1)
    assert rows[DTU] == (True, "EU27/AC", 1)
    assert rows["Atlantis Inst Adv Study"] == (False, "EU27/AC", 1)
    assert len(rows) == 7  # MIT included (unresolved, US)
