"""Build the dbt project over hand-made lake snapshots and check the marts against hand counts.

The fixture (see ``build_lake``) holds one WoS snapshot split into two export files that overlap in one UT,
an unpublished WoS part (not in the manifest) and an unpublished WoS snapshot (no manifest), and one
OpenAlex snapshot with a work in two updated_date partitions and a merged-away work. Every expected number
below is counted by hand from those rows; the comments show the arithmetic.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest
from lake_fixtures import Address, Record, write_file_parts, write_manifest, write_merged_ids

from stiwatch.config import DBT_PROJECT_DIR, Settings
from stiwatch.lake_index import freeze_lake_index

WOS_SNAPSHOT = "2024-01-15_export"
OPENALEX_SNAPSHOT = "2024-08-27"


def cn(n: int = 1) -> Address:
    return Address("Peoples R China", "CN", n)


def de(n: int = 1) -> Address:
    return Address("Germany", "DE", n)


def us(n: int = 1) -> Address:
    return Address("USA", "US", n)


def write_wos(lake_dir: Path) -> None:
    # export_1.txt and export_2.txt form the published snapshot; WOS:002 is in both files and counts once,
    # with file 1's year (2020) and addresses (its copy in file 2 says 2021 and Japan: must not count).
    write_file_parts(
        lake_dir,
        "wos",
        WOS_SNAPSHOT,
        "export_1.txt",
        [
            Record("WOS:001", 2020, [cn(2), de(1)]),  # [A; B] CN address + [C] DE address
            Record("WOS:002", 2020, [cn(), de(), us()]),  # trilateral
            Record("WOS:003", 2021, [de(), de()]),  # two DE addresses: once for EU27/AC
            Record("WOS:004", 2022, [Address("Hong Kong", "HK", 1, "hk_mo_city"), us()]),
        ],
    )
    write_file_parts(
        lake_dir,
        "wos",
        WOS_SNAPSHOT,
        "export_2.txt",
        [
            Record("WOS:002", 2021, [Address("Japan", "JP")]),  # duplicate UT: ignored
            Record("WOS:005", 2022, [Address("Greece", "EL"), Address("Atlantis", "UNKNOWN")]),
            Record("WOS:006", 2022, []),  # no C1 address
            Record("WOS:007", 2010, [cn()]),  # before first_year 2011
            Record("WOS:008", 2024, [us()]),  # 2023 has no publication at all
            Record("WOS:010", 2024, [Address(None, "UNKNOWN")]),  # country missing
        ],
    )
    # A part whose landing file is not in the manifest (e.g. left by a re-ingest): must not count.
    write_file_parts(lake_dir, "wos", WOS_SNAPSHOT, "export_3.txt", [Record("WOS:009", 2020, [us()])])
    write_manifest(lake_dir, "wos", WOS_SNAPSHOT, "2024-01-15", {"export_1.txt": 4, "export_2.txt": 6})
    # A snapshot still being ingested (parts, no manifest yet): must not count.
    write_file_parts(lake_dir, "wos", "2024-06-01_partial", "export_1.txt", [Record("WOS:011", 2020, [us()])])


def write_openalex(lake_dir: Path) -> None:
    old, new = "updated_date=2024-01-01/part_000.gz", "updated_date=2024-06-01/part_000.gz"
    jan, jun = date(2024, 1, 1), date(2024, 6, 1)
    write_file_parts(
        lake_dir,
        "openalex",
        OPENALEX_SNAPSHOT,
        old,
        [
            Record("W1", 2021, [cn(), us()], jan),  # older version of W1: ignored
            Record("W2", 2021, [de(), Address("FR", "FR"), cn()], jan),
            Record("W3", 2022, [us()], jan),  # merged into W2: dropped
        ],
    )
    write_file_parts(
        lake_dir,
        "openalex",
        OPENALEX_SNAPSHOT,
        new,
        [
            Record("W1", 2021, [cn(), Address("GB", "GB")], jun),
            Record("W4", 2022, [Address("TW", "TW"), us()], jun),  # Taiwan is not CN
            Record("W5", 2023, [Address("US", "US", 1, "authorship_countries")], jun),
        ],
    )
    write_merged_ids(lake_dir, OPENALEX_SNAPSHOT, "merged_ids/works/2024-05-01.csv.gz", [("W3", "W2")])
    write_manifest(
        lake_dir,
        "openalex",
        OPENALEX_SNAPSHOT,
        "2024-08-27",
        {old: 3, new: 3, "merged_ids/works/2024-05-01.csv.gz": 1},
    )


def run_dbt(tmp_path: Path, lake_dir: Path, *args: str, **dbt_vars: object) -> None:
    """Run the dbt CLI of this venv on the project, with the warehouse and dbt's own files under tmp_path,
    over the lake's manifests frozen as a refresh freezes them (stiwatch.lake_index)."""
    settings = Settings(data_dir=tmp_path, warehouse_path=tmp_path / "warehouse.duckdb")
    assert lake_dir == settings.lake_dir, "the lake of a data root is <data root>/lake"
    freeze_lake_index(settings)
    env = {
        **os.environ,
        "STIWATCH_DATA_DIR": str(tmp_path),
        "STIWATCH_WAREHOUSE": str(tmp_path / "warehouse.duckdb"),
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    }
    command = [
        str(Path(sys.executable).with_name("dbt")),
        *args,
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(tmp_path / "dbt_target"),
        "--log-path",
        str(tmp_path / "dbt_logs"),
        "--vars",
        json.dumps({"lake_dir": str(lake_dir), **dbt_vars}),
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, (
        f"dbt {' '.join(args)} failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
    )


def query(tmp_path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def full_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("both_sources")
    write_wos(root / "lake")
    write_openalex(root / "lake")
    run_dbt(root, root / "lake", "build")
    return root


# Hand counts, first_year 2011, HK counted as CN. Fractional weights per paper (authors at the address /
# authors on the paper): WOS:001 CN 2/3 EU 1/3; WOS:002 CN, EU, US 1/3 each; WOS:003 EU 1; WOS:004 CN 1/2
# (HK) US 1/2; WOS:005 EU 1/2 (EL -> GR) UNKNOWN 1/2; WOS:008 US 1; WOS:010 UNKNOWN 1; W1 (new) CN 1/2
# EU 1/2 (GB); W2 EU 2/3 (DE, FR) CN 1/3; W4 OTHER 1/2 (TW) US 1/2; W5 US 1.
# Not counted: WOS:002's copy in export_2, WOS:006 (no address), WOS:007 (2010), WOS:009 (not in the
# manifest), WOS:011 (snapshot without manifest), W1's older version, W3 (merged).
EXPECTED_REGION_OUTPUT = {
    # (source, year, region): (full count, fractional count)
    ("wos", 2020, "CN"): (2, 2 / 3 + 1 / 3),  # WOS:001, WOS:002
    ("wos", 2020, "EU27/AC"): (2, 1 / 3 + 1 / 3),  # WOS:001, WOS:002
    ("wos", 2020, "US"): (1, 1 / 3),  # WOS:002
    ("wos", 2021, "EU27/AC"): (1, 1.0),  # WOS:003: two DE addresses, counted once
    ("wos", 2022, "CN"): (1, 1 / 2),  # WOS:004 (Hong Kong)
    ("wos", 2022, "US"): (1, 1 / 2),  # WOS:004
    ("wos", 2022, "EU27/AC"): (1, 1 / 2),  # WOS:005 (EL)
    ("wos", 2022, "UNKNOWN"): (1, 1 / 2),  # WOS:005 (Atlantis)
    ("wos", 2024, "US"): (1, 1.0),  # WOS:008
    ("wos", 2024, "UNKNOWN"): (1, 1.0),  # WOS:010
    ("openalex", 2021, "CN"): (2, 1 / 2 + 1 / 3),  # W1, W2
    ("openalex", 2021, "EU27/AC"): (2, 1 / 2 + 2 / 3),  # W1 (GB), W2 (DE + FR)
    ("openalex", 2022, "OTHER"): (1, 1 / 2),  # W4 (TW)
    ("openalex", 2022, "US"): (1, 1 / 2),  # W4
    ("openalex", 2023, "US"): (1, 1.0),  # W5
}
REGIONS = ("CN", "EU27/AC", "OTHER", "UNKNOWN", "US")
YEARS = {"wos": range(2020, 2025), "openalex": range(2021, 2024)}  # dense: WoS 2023 has no publication


def test_region_output_counts_every_region_and_year(full_warehouse: Path) -> None:
    rows = query(
        full_warehouse,
        "select source, pub_year, region, publications, publications_fractional from fct_region_output",
    )
    actual = {(s, y, r): (full, frac) for s, y, r, full, frac in rows}
    expected_keys = {(s, y, r) for s, years in YEARS.items() for y in years for r in REGIONS}
    assert set(actual) == expected_keys
    for key in expected_keys:
        full, frac = EXPECTED_REGION_OUTPUT.get(key, (0, 0.0))
        assert actual[key][0] == full, key
        assert actual[key][1] == pytest.approx(frac), key


def test_region_output_growth_and_cagr(full_warehouse: Path) -> None:
    rows = query(
        full_warehouse,
        """select pub_year, growth_rate, cagr_since_first_year from fct_region_output
           where source = 'wos' and region = 'EU27/AC' order by pub_year""",
    )
    # EU27/AC in WoS: 2020: 2, 2021: 1, 2022: 1, 2023: 0, 2024: 0.
    # growth: 1/2 - 1 = -0.5; 1/1 - 1 = 0; 0/1 - 1 = -1; 2024: NULL (2023 is 0).
    # CAGR from 2020: (1/2)^1 - 1 = -0.5; (1/2)^(1/2) - 1; (0/2)^(1/3) - 1 = -1; (0/2)^(1/4) - 1 = -1.
    expected = [
        (2020, None, None),
        (2021, -0.5, -0.5),
        (2022, 0.0, 0.5**0.5 - 1),
        (2023, -1.0, -1.0),
        (2024, None, -1.0),
    ]
    assert [r[0] for r in rows] == [e[0] for e in expected]
    for (year, growth, cagr), (_, want_growth, want_cagr) in zip(rows, expected, strict=True):
        assert growth == (None if want_growth is None else pytest.approx(want_growth)), year
        assert cagr == (None if want_cagr is None else pytest.approx(want_cagr)), year


def test_region_pair_output_counts_pairs_and_overlap(full_warehouse: Path) -> None:
    rows = query(
        full_warehouse,
        """select source, pub_year, region_pair, copublications, trilateral_copublications,
                  share_of_pair_also_trilateral
           from fct_region_pair_output""",
    )
    actual = {(s, y, p): (n, tri, share) for s, y, p, n, tri, share in rows}
    expected = {
        # WoS 2020: WOS:001 (CN+DE) and WOS:002 (CN+DE+US, trilateral).
        ("wos", 2020, "CN-EU27/AC"): (2, 1, 1 / 2),
        ("wos", 2020, "CN-US"): (1, 1, 1.0),
        ("wos", 2020, "EU27/AC-US"): (1, 1, 1.0),
        ("wos", 2022, "CN-US"): (1, 0, 0.0),  # WOS:004: Hong Kong + US
        ("openalex", 2021, "CN-EU27/AC"): (2, 0, 0.0),  # W1 (CN+GB, not its older CN+US), W2
    }
    pairs = ("CN-EU27/AC", "CN-US", "EU27/AC-US")
    expected_keys = {(s, y, p) for s, years in YEARS.items() for y in years for p in pairs}
    assert set(actual) == expected_keys
    for key in expected_keys:
        n, tri, share = expected.get(key, (0, 0, None))
        assert actual[key][:2] == (n, tri), key
        assert actual[key][2] == (None if share is None else pytest.approx(share)), key


def test_marts_record_snapshot_and_settings(full_warehouse: Path) -> None:
    rows = query(
        full_warehouse,
        """select distinct source, snapshot_id, snapshot_as_of, is_current_snapshot, first_year,
                  cn_includes_hk_mo, scope_version, scope_filter
           from fct_region_pair_output order by source""",
    )
    assert rows == [
        ("openalex", "2024-08-27", date(2024, 8, 27), True, 2011, True, "v1", "per_source"),
        ("wos", "2024-01-15_export", date(2024, 1, 15), True, 2011, True, "v1", "per_source"),
    ]


def test_dim_snapshot_lists_the_published_snapshots_with_their_settings(full_warehouse: Path) -> None:
    rows = query(
        full_warehouse,
        """select source, snapshot_id, snapshot_as_of, is_current, snapshot_records, first_year,
                  cn_includes_hk_mo, scope_version, scope_filter, include_utility_models, patent_scope
           from dim_snapshot order by source""",
    )
    # The manifests written above: WoS 4 + 6 records, OpenAlex 3 + 3 + 1 (merged ids); the snapshots
    # without a manifest are not published. Patent settings do not shape publication snapshots: NULL.
    assert rows == [
        ("openalex", "2024-08-27", date(2024, 8, 27), True, 7, 2011, True, "v1", "per_source", None, None),
        ("wos", "2024-01-15_export", date(2024, 1, 15), True, 10, 2011, True, "v1", "per_source", None, None),
    ]


def test_quality_tables_report_what_cannot_be_placed(full_warehouse: Path) -> None:
    unmapped = query(
        full_warehouse,
        "select source, country_raw, affiliations, records from dq_country_mapping order by country_raw",
    )
    assert unmapped == [("wos", "Atlantis", 1, 1), ("wos", None, 1, 1)]  # WOS:005, WOS:010

    coverage = query(
        full_warehouse,
        """select source, pub_year, publications, publications_without_affiliations,
                  publications_with_unknown_country_only, affiliations, unknown_country_affiliations
           from dq_publication_coverage order by source, pub_year""",
    )
    assert coverage == [
        ("openalex", 2021, 2, 0, 0, 5, 0),  # W1: 2 affiliations, W2: 3
        ("openalex", 2022, 1, 0, 0, 2, 0),  # W4 (W3 merged away)
        ("openalex", 2023, 1, 0, 0, 1, 0),  # W5
        ("wos", 2010, 1, 0, 0, 1, 0),  # WOS:007, before first_year but reported
        ("wos", 2020, 2, 0, 0, 5, 0),  # WOS:001: 2 addresses, WOS:002: 3 (file 1's copy)
        ("wos", 2021, 1, 0, 0, 2, 0),  # WOS:003
        ("wos", 2022, 3, 1, 0, 4, 1),  # WOS:004 (2), WOS:005 (2, Atlantis), WOS:006 (none)
        ("wos", 2024, 2, 0, 1, 2, 1),  # WOS:008, WOS:010 (country missing only)
    ]


def test_builds_with_only_wos_data(tmp_path: Path) -> None:
    write_wos(tmp_path / "lake")  # no openalex folder at all
    run_dbt(tmp_path, tmp_path / "lake", "build", cn_includes_hk_mo=False)
    sources = query(tmp_path, "select distinct source from fct_region_output")
    assert sources == [("wos",)]
    # With Hong Kong outside CN, WOS:004 (Hong Kong + US) is no CN-US co-publication and HK is OTHER.
    rows = query(
        tmp_path,
        """select region, publications from fct_region_output
           where pub_year = 2022 and region in ('CN', 'OTHER') order by region""",
    )
    assert rows == [("CN", 0), ("OTHER", 1)]
    pair = query(
        tmp_path,
        "select copublications from fct_region_pair_output where pub_year = 2022 and region_pair = 'CN-US'",
    )
    assert pair == [(0,)]
