"""Smoke runs of the benchmark harness (``make bench``) at a tiny size, so it cannot rot.

Timings are never asserted. What is asserted is the structure of the result and the counts it reports,
checked against the landing files themselves: records from the raw lines (zcat-style), content bytes
from decompressing the files here with gzip/zipfile, the file list from the landing folders.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import psutil
import pytest

from stiwatch.bench.__main__ import main
from stiwatch.bench.report import format_table
from stiwatch.bench.rss import PeakRss, tree_rss
from stiwatch.bench.run import _run_stages, run_benchmark, summarize
from stiwatch.config import Settings
from stiwatch.demo import SNAPSHOT_IDS
from stiwatch.publish.layout import current_link

INGEST_STAGES = ["generate", "ingest_wos", "ingest_openalex", "ingest_patstat", "openalex_bare_query"]
TRANSFORM_STAGES = [
    "resolve_institutions",
    "dbt_build",
    "publish",
    "airflow_setup",
    "refresh_nothing_new",
    "ingest_openalex_delta",
    "dbt_build_after_delta",
]
_MB = 1_000_000


def _content(path: Path) -> bytes:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        return gzip.decompress(raw)
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return b"".join(archive.read(name) for name in archive.namelist())
    return raw


def _raw_records(source: str, path: Path) -> int:
    """Records of one landing file counted from its text, independently of the parsers."""
    text = _content(path).decode("utf-8-sig")
    if source == "wos":
        if text.startswith("FN "):
            return sum(1 for line in text.splitlines() if line.startswith("UT "))
        return len([row for row in text.splitlines()[1:] if row.strip()])
    if source == "patstat":
        return len(list(csv.reader(io.StringIO(text)))) - 1
    if path.parent.name == "works" and path.name == "manifest":  # snapshot metadata, no works
        return 0
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) - 1 if path.name.endswith(".csv.gz") else len(lines)  # merged ids: minus header


def _landing_files(snapshot: Path) -> list[str]:
    return sorted(
        p.relative_to(snapshot).as_posix()
        for p in snapshot.rglob("*")
        if p.is_file() and not any(part.startswith(("_", ".")) for part in p.relative_to(snapshot).parts)
    )


def _pairs_per_year_from_text(snapshot: Path) -> tuple[int, int]:
    """(works, country pairs) over the works parts, from json.loads of each line: per work the distinct
    non-null institution country codes, n of them making n*(n-1)/2 pairs."""
    works = pairs = 0
    for part in sorted(snapshot.glob("works/updated_date=*/part_*")):
        for line in gzip.decompress(part.read_bytes()).decode("utf-8").splitlines():
            work = json.loads(line)
            codes = {
                i["country_code"]
                for a in work["authorships"]
                for i in a["institutions"]
                if i["country_code"] is not None
            }
            works += 1
            pairs += len(codes) * (len(codes) - 1) // 2
    return works, pairs


@pytest.mark.parametrize("workers", [1, 2])
def test_ingest_stages_report_every_landing_file(settings: Settings, workers: int) -> None:
    result = run_benchmark(settings, records=40, transform=False, workers=workers)

    assert result["failed"] is False
    assert list(result["stages"]) == INGEST_STAGES
    assert all(
        set(outcome) >= {"seconds"} and "error" not in outcome for outcome in result["stages"].values()
    )
    for source in ("wos", "openalex", "patstat"):
        [snapshot] = (settings.landing_dir / source).iterdir()
        details = result["stages"][f"ingest_{source}"]["details"]
        assert [f["path"] for f in details["files"]] == _landing_files(snapshot)
        for file in details["files"]:
            path = snapshot / file["path"]
            assert file["records"] == _raw_records(source, path), file["path"]
            assert file["content_bytes"] == len(_content(path)), file["path"]
            assert file["file_bytes"] == path.stat().st_size
            assert file["seconds"] > 0 and file["records_per_s"] >= 0 and file["content_mb_per_s"] >= 0
        assert details["total"]["records"] == sum(f["records"] for f in details["files"]) > 0
        # finalize ran: the snapshot is published in the lake
        assert (settings.lake_dir / source / f"snapshot={snapshot.name}" / "_manifest.json").is_file()
    bare = result["stages"]["openalex_bare_query"]["details"]
    works, pairs = _pairs_per_year_from_text(settings.landing_dir / "openalex" / SNAPSHOT_IDS["openalex"])
    assert (bare["works"], bare["country_pairs"]) == (works, pairs) and pairs > 0
    assert all(outcome["peak_rss_bytes"] > 0 for outcome in result["stages"].values())
    assert result["summary"]["openalex_ingest_over_bare_query"] == round(
        result["stages"]["ingest_openalex"]["details"]["total"]["seconds"] / bare["query_seconds"], 3
    )
    # the delta waits outside the landing zone: the first ingest must not see it
    delta = Path(result["stages"]["generate"]["details"]["delta"]["path"])
    assert delta.is_dir() and settings.landing_dir not in delta.parents
    table = format_table(result)
    assert all(stage in table for stage in INGEST_STAGES)


def test_a_failed_stage_is_recorded_and_later_stages_are_skipped() -> None:
    calls = []

    def broken() -> None:
        raise RuntimeError("dbt build failed (exit 1)")

    outcomes = _run_stages({"first": lambda: calls.append("first"), "second": broken, "third": calls.clear})

    assert calls == ["first"]  # `third` (which would clear the list) never ran
    assert "error" not in outcomes["first"]
    assert "dbt build failed (exit 1)" in outcomes["second"]["error"]
    assert outcomes["third"] == {"skipped": "stage second failed"}


_ALLOCATE_AND_WAIT = """
import sys, time
block = bytearray(int(sys.argv[1]))  # zero-filled: every page is written, so it is resident
print("ready", flush=True)
time.sleep(float(sys.argv[2]))
"""


def test_peak_rss_counts_a_child_process() -> None:
    """A child holding 300 MB shows in the peak of the parent's tree, and is gone from it once it exits."""
    before = tree_rss(psutil.Process())
    with PeakRss(interval_s=0.05) as peak:
        child = subprocess.Popen(
            [sys.executable, "-c", _ALLOCATE_AND_WAIT, str(300 * _MB), "1.0"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        child.wait()
    assert peak.bytes - before >= 300 * _MB
    assert tree_rss(psutil.Process()) - before < 300 * _MB


def test_summary_ratios_are_the_stage_seconds_divided() -> None:
    stages = {
        "ingest_openalex": {
            "seconds": 15.0,  # with counting the decompressed bytes first: not ingest work
            "peak_rss_bytes": 2 * _MB,
            "details": {"total": {"seconds": 13.0}},
        },
        "openalex_bare_query": {
            "seconds": 11.0,
            "peak_rss_bytes": 1 * _MB,
            "details": {"query_seconds": 10.0},
        },
        "dbt_build": {"seconds": 100.0, "peak_rss_bytes": 5 * _MB},
        "refresh_nothing_new": {"seconds": 12.5, "peak_rss_bytes": 3 * _MB},
        "dbt_build_after_delta": {"seconds": 20.0, "peak_rss_bytes": 4 * _MB},
    }
    assert summarize(stages) == {
        "openalex_ingest_over_bare_query": 1.3,  # 13 / 10: the query's own seconds, not its stage's 11
        "delta_dbt_build_share_of_first": 0.2,
        "refresh_nothing_new_seconds": 12.5,
        "peak_rss_bytes_max": 5 * _MB,
    }
    failed = {**stages, "dbt_build_after_delta": {"seconds": 3.0, "error": "boom", "peak_rss_bytes": 0}}
    assert summarize(failed)["delta_dbt_build_share_of_first"] is None
    assert summarize({})["openalex_ingest_over_bare_query"] is None


def test_cli_writes_the_result_and_leaves_the_user_data_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    user_data = tmp_path / "data"
    monkeypatch.setenv("STIWATCH_DATA_DIR", str(user_data))
    monkeypatch.delenv("STIWATCH_WAREHOUSE", raising=False)

    assert main(["--records", "20", "--no-transform"]) == 0

    [report] = (user_data / "reports" / "bench").glob("*.json")
    result = json.loads(report.read_text(encoding="utf-8"))
    assert sorted(result["stages"]) == sorted(INGEST_STAGES) and result["records"] == 20  # JSON keys sorted
    assert not Path(result["data_dir"]).exists()  # the temporary data root was removed
    assert sorted(p.name for p in user_data.iterdir()) == ["reports"]  # nothing landed or ingested here
    assert str(report) in capsys.readouterr().out


@pytest.mark.slow
def test_transform_stages_build_and_publish(settings: Settings) -> None:
    result = run_benchmark(settings, records=20)

    assert result["failed"] is False, {k: v.get("error") for k, v in result["stages"].items()}
    assert list(result["stages"]) == [*INGEST_STAGES, *TRANSFORM_STAGES]
    assert settings.warehouse_path.is_file()
    dbt = result["stages"]["dbt_build"]["details"]
    assert dbt["nodes_by_type"]["model"] > 0 and dbt["slowest"]  # read from dbt's run_results.json
    assert (settings.data_dir / "bench-dbt-target" / "run_results.json").is_file()  # not dbt/target
    assert current_link(settings).resolve().is_dir()  # publish switched `current` to the new release
    # nothing new: Airflow ran every ingest DAG and skipped the transform
    assert sorted(result["stages"]["refresh_nothing_new"]["details"]["dag_runs"]) == [
        "stiwatch_ingest_openalex",
        "stiwatch_ingest_patstat",
        "stiwatch_ingest_wos",
    ]
    delta = result["stages"]["ingest_openalex_delta"]["details"]
    delta_dir = settings.landing_dir / "openalex" / "2025-02-05_demo_delta"
    assert [f["path"] for f in delta["files"]] == _landing_files(delta_dir)
    assert (settings.lake_dir / "openalex" / "snapshot=2025-02-05_demo_delta" / "_manifest.json").is_file()
    assert result["summary"]["delta_dbt_build_share_of_first"] > 0
