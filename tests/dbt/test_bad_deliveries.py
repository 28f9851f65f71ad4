"""Bad deliveries over a hand-made lake (README "When a delivery is bad"), one case per class, each
asserting what the warehouse serves afterwards and that the next build recovers.

  wos-a     as of 2024-03-01, two export files:
              export_1.txt  records 1-60 WOS:A1..A60 2020 CN+DE; record 61 WOS:DUP 2020 CN+DE
              export_2.txt  1 WOS:DUP 2021 US (same UT, different content: conflicting_duplicate)
                            2 PY 9999, 3 PY 1850, 4 PY 2099 (US; implausible_year: 1900 .. 2024 + 1)
                            5 no UT (US; missing_id)
                            6 WOS:Y2025 2025 US (as-of year + 1: plausible, counted)
            counted: 61 in 2020 (CN, EU27/AC) + 1 in 2025 (US) = 62 records
  wos-b     as of 2024-04-01: an export with only the header line, 0 records (held: no records)
  oa-full   as of 2024-05-01: W1..W60 2021 CN+US in part_000.jsonl; part_001.jsonl repeats W60 with the
            same updated_date and another title (the part_000 copy is quarantined; W60 counts once)
  oa-page   as of 2024-06-01, a new full: W1..W5 2021 CN+US (5 of 60: 92% fewer records, and CN / US
            2021 5 against 60: held); W1 also in QQ, a country code found nowhere else

Build 1 holds wos-b and oa-page back; then wos-b is accepted and the record/region-year thresholds are
raised to 95% (settings), so both become current; then oa-page is retracted and the next build recomputes
without it. No build fails: a quarantined record never stops dbt.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from lake_fixtures import Address, Record, write_file_parts, write_manifest

from stiwatch import build_plan, layout, review
from stiwatch.config import Settings
from stiwatch.dbt_runner import build_warehouse
from stiwatch.quality.delivery_findings import delivery_sections, read_delivery_findings
from warehouse_compare import mart_tables

pytestmark = pytest.mark.slow

CN, DE, US = (Address(c, c) for c in ("CN", "DE", "US"))
APRIL = date(2024, 4, 1)
NO_ID = "WOS:NOID"  # written, then blanked in the Parquet part (the fixture writer needs a string)


def write_wos_a(lake: Path) -> None:
    first = [Record(f"WOS:A{i}", 2020, [CN, DE]) for i in range(1, 61)] + [Record("WOS:DUP", 2020, [CN, DE])]
    write_file_parts(lake, "wos", "wos-a", "export_1.txt", first)
    second = [
        Record("WOS:DUP", 2021, [US]),
        Record("WOS:Y9999", 9999, [US]),
        Record("WOS:Y1850", 1850, [US]),
        Record("WOS:Y2099", 2099, [US]),
        Record(NO_ID, 2020, [US]),
        Record("WOS:Y2025", 2025, [US]),
    ]
    write_file_parts(lake, "wos", "wos-a", "export_2.txt", second)
    for table in ("publications", "affiliations", "categories"):
        path = layout.part_path(lake, "wos", "wos-a", table, "export_2.txt")
        data = pq.read_table(path)
        ids = [None if v == NO_ID else v for v in data.column("record_id").to_pylist()]
        index = data.schema.get_field_index("record_id")
        pq.write_table(data.set_column(index, data.schema.field(index), [ids]), path)
    write_manifest(lake, "wos", "wos-a", "2024-03-01", {"export_1.txt": 61, "export_2.txt": 6})


def write_lake(lake: Path) -> None:
    write_wos_a(lake)
    write_file_parts(lake, "wos", "wos-b", "export.txt", [])
    write_manifest(lake, "wos", "wos-b", "2024-04-01", {"export.txt": 0})
    works = [Record(f"W{i}", 2021, [CN, US], APRIL) for i in range(1, 61)]
    write_file_parts(lake, "openalex", "oa-full", "part_000.jsonl", works)
    write_file_parts(
        lake, "openalex", "oa-full", "part_001.jsonl", [Record("W60", 2021, [CN, US], APRIL, "Other")]
    )
    write_manifest(lake, "openalex", "oa-full", "2024-05-01", {"part_000.jsonl": 60, "part_001.jsonl": 1})
    # W1 of the page also has an address in QQ (a code no other delivery has, nor any seed).
    page = [Record("W1", 2021, [CN, US, Address("QQ", "QQ")], APRIL), *works[1:5]]
    write_file_parts(lake, "openalex", "oa-page", "page.json", page)
    write_manifest(lake, "openalex", "oa-page", "2024-06-01", {"page.json": 5})


def rows(settings: Settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return con.execute(sql).fetchall()


def current_states(settings: Settings) -> list[tuple]:
    return sorted(rows(settings, "select source, snapshot_id from dim_snapshot where is_current"))


def states_in_marts(settings: Settings) -> set[str]:
    """Every state id any published mart holds, the gate's and the quarantine's own reports aside."""
    found: set[str] = set()
    for table in mart_tables(settings.warehouse_path):
        columns = {c for (c,) in rows(settings, f"select column_name from (describe {table})")}
        if "snapshot_id" in columns and table not in ("dq_state_plausibility", "dq_quarantine"):
            found |= {s for (s,) in rows(settings, f"select distinct snapshot_id from {table}")}
    return found


def served_dimensions(settings: Settings) -> tuple[int, int]:
    """(rows of dim_country for QQ, dim_institution's affiliations of openalex:I1)."""
    qq = rows(settings, "select count(*) from dim_country where country_code = 'QQ'")[0][0]
    i1 = rows(settings, "select n_affiliations from dim_institution where institution_key = 'openalex:I1'")
    return qq, i1[0][0]


def gate(settings: Settings) -> dict[str, tuple]:
    return {
        r[0]: r[1:]
        for r in rows(
            settings, "select snapshot_id, is_held, is_accepted, gate_note from dq_state_plausibility"
        )
    }


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("bad_deliveries")
    settings = Settings(data_dir=root, warehouse_path=root / "warehouse.duckdb")
    write_lake(settings.lake_dir)
    build_warehouse(settings)  # raises with dbt's output on any failing model or test
    return settings


def test_records_failing_a_rule_are_quarantined_with_file_and_number(first: Settings) -> None:
    quarantined = rows(
        first,
        "select source, snapshot_id, source_file, record_seq, record_id, pub_year, rule from dq_quarantine",
    )
    assert sorted(quarantined, key=str) == sorted(
        [
            ("openalex", "oa-full", "part_000.jsonl", 60, "W60", 2021, "conflicting_duplicate"),
            ("wos", "wos-a", "export_2.txt", 1, "WOS:DUP", 2021, "conflicting_duplicate"),
            ("wos", "wos-a", "export_2.txt", 2, "WOS:Y9999", 9999, "implausible_year"),
            ("wos", "wos-a", "export_2.txt", 3, "WOS:Y1850", 1850, "implausible_year"),
            ("wos", "wos-a", "export_2.txt", 4, "WOS:Y2099", 2099, "implausible_year"),
            ("wos", "wos-a", "export_2.txt", 5, None, 2020, "missing_id"),
        ],
        key=str,
    )
    detail = rows(first, "select detail from dq_quarantine where record_id = 'WOS:Y2099'")
    assert detail == [("publication year 2099 outside 1900 to 2025 (as-of year + 1)",)]


def test_the_rest_of_the_delivery_counts(first: Settings) -> None:
    counts = rows(
        first,
        """select pub_year, region, publications from fct_region_output
           where snapshot_id = 'wos-a' and publications > 0 order by all""",
    )
    # 60 + WOS:DUP (its file-1 occurrence) in 2020; WOS:Y2025 in 2025; no quarantined record anywhere.
    assert counts == [(2020, "CN", 61), (2020, "EU27/AC", 61), (2025, "US", 1)]
    years = rows(
        first, "select min(pub_year), max(pub_year) from fct_region_output where snapshot_id = 'wos-a'"
    )
    assert years == [(2020, 2025)]  # PY 9999 would have stretched the spine (and failed its dbt test)
    works = rows(
        first, "select publications from fct_region_output where snapshot_id = 'oa-full' and region = 'CN'"
    )
    assert works == [(60,)]  # W60 once


def test_an_empty_and_a_small_delivery_are_held_back(first: Settings) -> None:
    assert current_states(first) == [("openalex", "oa-full"), ("wos", "wos-a")]
    assert not states_in_marts(first) & {"wos-b", "oa-page"}
    verdicts = gate(first)
    assert verdicts["wos-a"][:2] == (False, False) and verdicts["oa-full"][:2] == (False, False)
    held, accepted, note = verdicts["wos-b"]
    assert held and not accepted
    assert note.startswith("held back: it holds no records (wos-a holds 62). Not current and not published: ")
    assert "wos-a keeps serving" in note and "stiwatch accept wos wos-b" in note
    held, _, note = verdicts["oa-page"]
    assert held
    assert "5 records against 60 in oa-full (92% fewer, more than 20% allowed)" in note
    assert "CN 2021: 5 publications against 60 in oa-full (92% fewer, more than 50% allowed)" in note
    # Nor do the served dimensions show it: no QQ, and openalex:I1 (first affiliation of every OpenAlex
    # work) has the 60 affiliations of oa-full, not the 5 more of oa-page.
    assert served_dimensions(first) == (0, 60)


def test_the_quality_report_says_so_with_the_numbers(first: Settings) -> None:
    page = "\n".join(delivery_sections(read_delivery_findings(first.warehouse_path)))
    assert "Deliveries held back" in page and "it holds no records (wos-a holds 62)" in page
    assert "6 record(s) fail a record-level rule" in page
    assert "<td>wos</td><td>wos-a</td><td>implausible_year</td><td>3</td>" in page


@pytest.fixture(scope="module")
def accepted(first: Settings) -> Settings:
    review.accept(first.lake_dir, "wos", "wos-b", by="tester")
    settings = replace(first, gate_max_record_drop=0.95, gate_max_region_year_drop=0.95)
    build_warehouse(settings)
    return settings


def test_accept_and_thresholds_let_a_real_drop_through(accepted: Settings) -> None:
    assert current_states(accepted) == [("openalex", "oa-page"), ("wos", "wos-b")]
    # wos-b has no records: no current WoS figures (what the person approved); wos-a is an older state.
    assert rows(
        accepted, "select count(*) from fct_region_output where source = 'wos' and is_current_snapshot"
    ) == [(0,)]
    held, is_accepted, note = gate(accepted)["wos-b"]
    assert (
        not held
        and is_accepted
        and note.startswith("accepted by tester: it holds no records (wos-a holds 62)")
    )
    assert gate(accepted)["oa-page"] == (False, False, "plausible")  # 92% < 95%
    assert served_dimensions(accepted) == (1, 65)  # oa-page is served now: QQ, and 60 + 5
    assert rows(accepted, "select gate_max_record_drop from dq_state_plausibility limit 1") == [(0.95,)]


def test_retract_recomputes_without_the_snapshot(accepted: Settings) -> None:
    review.retract(
        accepted.lake_dir, "openalex", "oa-page", "a single API page landed as a full", by="tester"
    )
    assert build_plan.plan_build(accepted).full_refresh  # a delivery left the lake view
    build_warehouse(accepted)
    assert current_states(accepted) == [("openalex", "oa-full"), ("wos", "wos-b")]
    assert "oa-page" not in states_in_marts(accepted) and "oa-page" not in gate(accepted)
    assert rows(accepted, "select count(*) from dq_quarantine where snapshot_id = 'oa-page'") == [(0,)]
    assert served_dimensions(accepted) == (0, 60)
    # Kept on disk, marked retracted.
    snapshot_dir = layout.snapshot_dir(accepted.lake_dir, "openalex", "oa-page")
    assert (snapshot_dir / "publications").is_dir()
    assert "a single API page landed as a full" in (snapshot_dir / "_manifest.json").read_text(
        encoding="utf-8"
    )
