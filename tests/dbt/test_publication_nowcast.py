"""fct_publication_nowcast over hand-made lake states (doc block publication_nowcast_method).

WoS (every record in scope):
  wos-a  as of 2024-03-01: 2023 1 CN+DE; 2024 2 CN+DE
  wos-c  as of 2025-05-01 (current): 2024 8 CN+DE; 2025 2 CN+DE, 1 CN+US
  -> lag 3 measured: c(3) = 2024 in wos-a / 2024 in wos-c = 2 / 8 = 0.25 (wos-c is 17 months past the
     start of 2024 >= 13: complete); wos-a's 2024 nowcast: 2 / 0.25 = 8 (method states). Lag 5 (wos-c's
     own month) has no earlier state as of May: default c(5) = 0.34.
OpenAlex: one state oa-1 as of 2025-06-01: 2025 1 CN+US -> default c(6) = 0.42.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from lake_fixtures import Address, Record, write_file_parts, write_manifest
from publication_nowcast_reference import publication_nowcast

from stiwatch.config import Settings
from stiwatch.dbt_runner import run_dbt

CN, DE, US = (Address(c, c) for c in ("CN", "DE", "US"))
UPDATED = date(2025, 1, 1)


def write_state(lake: Path, source: str, state: str, as_of: str, records: list[Record]) -> None:
    part = "export.txt" if source == "wos" else "part_000.jsonl"
    write_file_parts(lake, source, state, part, records)
    write_manifest(lake, source, state, as_of, {part: len(records)})


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("pubnowcast")
    settings = Settings(data_dir=root, warehouse_path=root / "warehouse.duckdb")
    lake = settings.lake_dir

    def wos(prefix: str, year: int, n: int, addresses: list[Address]) -> list[Record]:
        return [Record(f"WOS:{prefix}{year}{i}", year, addresses) for i in range(n)]

    write_state(lake, "wos", "wos-a", "2024-03-01", wos("a", 2023, 1, [CN, DE]) + wos("a", 2024, 2, [CN, DE]))
    later = wos("c", 2024, 8, [CN, DE]) + wos("c", 2025, 2, [CN, DE]) + wos("u", 2025, 1, [CN, US])
    write_state(lake, "wos", "wos-c", "2025-05-01", later)
    write_state(lake, "openalex", "oa-1", "2025-06-01", [Record("W1", 2025, [CN, US], UPDATED)])
    run_dbt(settings, "build", "--target-path", str(root / "dbt_target"))
    return settings


def nowcast_rows(settings: Settings) -> dict[tuple, tuple]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        found = con.execute(
            "select snapshot_id, pub_year, measure, series, observed_count, nowcast_count, nowcast_lower, "
            "nowcast_upper, nowcast_method, completion_share, lag_months from fct_publication_nowcast"
        ).fetchall()
    return {row[:4]: row[4:] for row in found}


def test_hand_counted_nowcast(warehouse: Settings) -> None:
    rows = nowcast_rows(warehouse)
    # Only the as-of year of each state, every pair and region of it (dense marts): 3 pairs + 5 regions.
    assert {key[:2] for key in rows} == {("wos-a", 2024), ("wos-c", 2025), ("oa-1", 2025)}
    assert len(rows) == 3 * 8
    observed, nowcast, _, _, method, share, lag = rows[("wos-a", 2024, "copublications", "CN-EU27/AC")]
    assert (observed, method, lag) == (2, "states", 3)
    assert share == pytest.approx(0.25) and nowcast == pytest.approx(8.0)
    observed, nowcast, _, _, method, share, lag = rows[("wos-c", 2025, "copublications", "CN-US")]
    assert (observed, method, lag) == (1, "default_curve", 5)
    assert nowcast == pytest.approx(1 / 0.34)
    observed, nowcast, _, _, method, _, lag = rows[("wos-c", 2025, "publications", "CN")]
    assert (observed, method, lag) == (3, "default_curve", 5)
    assert nowcast == pytest.approx(3 / 0.34)
    observed, nowcast, _, _, method, _, lag = rows[("oa-1", 2025, "publications", "US")]
    assert (observed, method, lag) == (1, "default_curve", 6)
    assert nowcast == pytest.approx(1 / 0.42)
    assert rows[("oa-1", 2025, "copublications", "CN-EU27/AC")][:2] == (0, 0)

    # Bounds: the plain-Python reference of the documented method on the hand-counted counts.
    wos_expected = publication_nowcast(
        {"wos-a": date(2024, 3, 1), "wos-c": date(2025, 5, 1)},
        "wos-c",
        {"wos-a": {2023: 1, 2024: 2}, "wos-c": {2024: 8, 2025: 3}},
        {"wos-a": {(2024, "CN-EU27/AC"): 2}, "wos-c": {(2025, "CN-EU27/AC"): 2, (2025, "CN-US"): 1}},
    )
    for (state, year, pair), want in wos_expected.items():
        got = rows[(state, year, "copublications", pair)]
        assert got[1:4] == pytest.approx(want[:3], rel=1e-9) and got[4] == want[3], (state, pair)


def test_marts_column_types(warehouse: Settings) -> None:
    with duckdb.connect(str(warehouse.warehouse_path), read_only=True) as con:
        types = dict(
            con.execute("select column_name, column_type from (describe fct_publication_nowcast)").fetchall()
        )
    assert types["source"] == types["measure"] == types["nowcast_method"] == "VARCHAR"
    assert types["nowcast_count"] == "DOUBLE" and types["observed_count"] == "BIGINT"
