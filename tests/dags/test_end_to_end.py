"""End to end through Airflow: setup, demo, ``stiwatch refresh``; the marts must agree with the demo
generator's answer key (``_truth.csv.gz``, written from the generator's inputs, not by the pipeline).

The region rules below are restated from docs METHOD (EU27 + NO/CH/GB, CN with HK/MO by default, US)
instead of being read from the dbt seeds, so a wrong seed row would show up here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path

import pytest

from stiwatch.demo import SNAPSHOT_IDS
from stiwatch.demo.truth import read_truth

pytestmark = [pytest.mark.slow, pytest.mark.airflow]

_EU27_AC = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE NO CH GB"
EU27_AC = set(_EU27_AC.split())
REGION = {**dict.fromkeys(EU27_AC, "EU27/AC"), "CN": "CN", "HK": "CN", "MO": "CN", "US": "US"}
SOURCES = ("wos", "openalex")


def _stiwatch(env: dict[str, str], *args: str) -> str:
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "stiwatch"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, (
        f"stiwatch {' '.join(args)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    )
    return proc.stdout


def _expected(landing: Path) -> tuple[Counter, Counter]:
    """(source, year, region) -> publications and (source, year, 'A-B') -> co-publications, from the truth."""
    output, pairs = Counter(), Counter()
    for source in SOURCES:
        for record in read_truth(landing / source / SNAPSHOT_IDS[source]):
            if not record.in_scope:
                continue
            regions = sorted({REGION[c] for c in record.countries if c in REGION})
            for region in regions:
                output[source, record.pub_year, region] += 1
            for a, b in combinations(regions, 2):
                pairs[source, record.pub_year, f"{a}-{b}"] += 1
    return output, pairs


def _marts(warehouse: Path) -> dict[str, list[tuple]]:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            mart: con.execute(f"select * from {mart} order by all").fetchall()
            for mart in ("fct_region_output", "fct_region_pair_output")
        }


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path, str]:
    root = tmp_path_factory.mktemp("e2e")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "STIWATCH_"))}
    env.update({"STIWATCH_DATA_DIR": str(root / "data"), "AIRFLOW_HOME": str(root / "airflow")})
    _stiwatch(env, "setup")
    _stiwatch(env, "demo", "--records", "400", "--seed", "42")
    out = _stiwatch(env, "refresh")
    return env, root / "data", out


def test_refresh_runs_every_dag_and_prints_a_summary(refreshed: tuple[dict[str, str], Path, str]) -> None:
    _, data, out = refreshed
    for dag_id in ("stiwatch_ingest_wos", "stiwatch_ingest_openalex", "stiwatch_transform"):
        assert f"{dag_id}: ok" in out
    assert str(data / "warehouse.duckdb") in out and str(data / "lake") in out
    assert re.search(r"fct_region_pair_output\s+[\d,]+ rows", out)
    # Published for BI and reported: the summary reads the serving release that `current` points at.
    current = (data / "serving" / "current").resolve()
    assert f"serving release: {current}" in out
    assert (current / "serving.duckdb").is_file()
    assert (current / "parquet" / "fct_region_output.parquet").is_file()
    assert (data / "reports" / "figures" / "index.html").is_file()
    assert (data / "reports" / "dbt-docs" / "index.html").is_file()


def test_refresh_shows_the_demo_watch_list(refreshed: tuple[dict[str, str], Path, str]) -> None:
    import duckdb

    _, data, _ = refreshed
    current = (data / "serving" / "current").resolve()
    with duckdb.connect(str(current / "serving.duckdb"), read_only=True) as con:
        entries = con.execute("select count(*) from dim_indicator_entry where is_current_version").fetchone()
        partners = con.execute(
            "select distinct listed_institution_name from fct_watch_list where is_current_snapshot"
        ).fetchall()
    # The seven universities and the three companies of the demo lists (stiwatch.demo.indicators).
    assert entries == (10,)
    # The demo vocabulary holds two of the universities; both sources name them (WoS by alias, OpenAlex by
    # ROR id). The demo PATSTAT edition's Chinese Huawei arm co-files with TUM (alias seed: Huawei's ROR).
    assert sorted(partners) == [
        ("Beihang University",),
        ("Harbin Institute of Technology",),
        ("Huawei Technologies (China)",),
    ]
    page = (data / "reports" / "figures" / "watchlist.html").read_text(encoding="utf-8")
    assert "Harbin Institute of Technology" in page and "These are indicators, not verdicts." in page


def test_marts_agree_with_the_generators_truth(refreshed: tuple[dict[str, str], Path, str]) -> None:
    _, data, _ = refreshed
    import duckdb

    output, pairs = _expected(data / "landing")
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        got_output = {
            (s, y, r): n
            for s, y, r, n in con.execute(
                "select source, pub_year, region, publications from fct_region_output "
                "where is_current_snapshot and region in ('CN', 'EU27/AC', 'US')"
            ).fetchall()
        }
        got_pairs = {
            (s, y, p): n
            for s, y, p, n in con.execute(
                "select source, pub_year, region_pair, copublications from fct_region_pair_output "
                "where is_current_snapshot"
            ).fetchall()
        }
    assert {k: v for k, v in got_output.items() if v} == dict(output)
    assert {k: v for k, v in got_pairs.items() if v} == dict(pairs)
    assert sum(pairs.values()) > 50  # the comparison is not vacuous


def test_second_refresh_skips_ingest_and_keeps_the_marts(refreshed: tuple[dict[str, str], Path, str]) -> None:
    env, data, _ = refreshed
    manifests = {p: p.stat().st_mtime_ns for p in (data / "lake").glob("*/snapshot=*/_manifest.json")}
    before = _marts(data / "warehouse.duckdb")
    out = _stiwatch(env, "refresh")
    assert "stiwatch_transform" not in out  # nothing published, so no transform run
    assert {p: p.stat().st_mtime_ns for p in (data / "lake").glob("*/snapshot=*/_manifest.json")} == manifests
    assert _marts(data / "warehouse.duckdb") == before


def test_refresh_writes_the_quality_report_naming_the_provisional_patent_years(
    refreshed: tuple[dict[str, str], Path, str],
) -> None:
    _, data, _ = refreshed
    quality = data / "reports" / "quality"
    assert (quality / "index.html").is_file(), "Great Expectations Data Docs missing"
    summary = (quality / "summary.html").read_text(encoding="utf-8")
    # The demo edition is 2023_autumn (as of 2023-08-01): METHOD.md's lag makes 2021 and 2022 provisional.
    flagged = re.findall(r"<tr><td>2023_autumn \(newest\)</td><td>(\d{4})</td><td>([a-z ]+)</td>", summary)
    assert [year for year, _ in flagged] == ["2021", "2022"]
    assert all("provisional" in status for _, status in flagged)


def test_an_empty_delivery_is_held_back_then_retracted(refreshed: tuple[dict[str, str], Path, str]) -> None:
    """A WoS export holding only its header line, landed under a newer id (README "When a delivery is
    bad"): the refresh succeeds and publishes, but the previous state keeps serving and the report says
    why; after `stiwatch retract` the next refresh recomputes without it and never ingests it again."""
    import duckdb

    from stiwatch.demo.wos import TAB_FIELDS

    env, data, _ = refreshed
    demo, empty = SNAPSHOT_IDS["wos"], "2025-02-01_header-only"
    folder = data / "landing" / "wos" / empty
    folder.mkdir()
    (folder / "savedrecs.txt").write_text("\t".join(TAB_FIELDS) + "\r\n", encoding="utf-8")

    def served_wos() -> list[tuple]:
        serving = data / "serving" / "current" / "serving.duckdb"
        with duckdb.connect(str(serving), read_only=True) as con:
            return con.execute(
                "select snapshot_id, is_current from dim_snapshot where source = 'wos' order by all"
            ).fetchall()

    out = _stiwatch(env, "refresh")
    assert "stiwatch_transform: ok" in out
    assert f"wos {empty}: held back: it holds no records ({demo} holds " in out
    assert served_wos() == [(demo, True)]  # published, without the held delivery
    summary = (data / "reports" / "quality" / "summary.html").read_text(encoding="utf-8")
    assert "Deliveries held back" in summary and f"{demo} keeps serving" in summary

    out = _stiwatch(env, "retract", "wos", empty, "--why", "header-only export")
    assert f"retracted wos/{empty}" in out
    out = _stiwatch(env, "refresh")
    assert "stiwatch_transform: ok" in out and "held back" not in out
    assert served_wos() == [(demo, True)]
    manifest = data / "lake" / "wos" / f"snapshot={empty}" / "_manifest.json"
    assert json.loads(manifest.read_text(encoding="utf-8"))["retracted"]["why"] == "header-only export"
    assert "stiwatch_transform" not in _stiwatch(env, "refresh")  # the retracted folder is not new again


def test_a_critical_quality_failure_blocks_publishing(refreshed: tuple[dict[str, str], Path, str]) -> None:
    """A bad part file slips into the lake: the refresh fails at quality_check, nothing is published."""
    import pyarrow as pa

    from stiwatch import atomic_io
    from stiwatch.lake_schema import PUBLICATIONS

    env, data, _ = refreshed
    release_before = (data / "serving" / "current").resolve()
    snapshot = data / "lake" / "wos" / f"snapshot={SNAPSHOT_IDS['wos']}"
    row = {name: None for name in PUBLICATIONS.names} | {"snapshot_id": SNAPSHOT_IDS["wos"], "record_seq": 1}
    atomic_io.write_parquet_atomic(
        pa.Table.from_pylist([row], schema=PUBLICATIONS), snapshot / "publications" / "part-planted.parquet"
    )
    os.utime(snapshot / "_manifest.json")  # the lake changed after the release: the transform must run

    proc = subprocess.run(
        [str(Path(sys.executable).parent / "stiwatch"), "refresh"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )

    assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "quality_check" in proc.stderr
    assert (data / "serving" / "current").resolve() == release_before, "a failed check must not publish"
