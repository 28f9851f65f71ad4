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
import zipfile
from pathlib import Path

import pytest

from stiwatch.bench.__main__ import main
from stiwatch.bench.report import format_table
from stiwatch.bench.run import _run_stages, run_benchmark
from stiwatch.config import Settings
from stiwatch.publish.layout import current_link

INGEST_STAGES = ["generate", "ingest_wos", "ingest_openalex", "ingest_patstat"]


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


def test_ingest_stages_report_every_landing_file(settings: Settings) -> None:
    result = run_benchmark(settings, records=40, transform=False)

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
    assert list(result["stages"]) == [*INGEST_STAGES, "resolve_institutions", "dbt_build", "publish"]
    assert settings.warehouse_path.is_file()
    dbt = result["stages"]["dbt_build"]["details"]
    assert dbt["nodes_by_type"]["model"] > 0 and dbt["slowest"]  # read from dbt's run_results.json
    assert (settings.data_dir / "bench-dbt-target" / "run_results.json").is_file()  # not dbt/target
    assert current_link(settings).resolve().is_dir()  # publish switched `current` to the new release
