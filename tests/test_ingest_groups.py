"""Work items that fit any snapshot: files grouped by size, never split, never mixing snapshots; a
snapshot of 3,000 small files expands to a bounded number of tasks and ingests completely."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from stiwatch import ingest, landing, progress
from stiwatch.config import Settings
from stiwatch.orchestration import tasks

SNAPSHOT = "2026-02-01_many"
N_FILES = 3000


def _wos_file(path: Path, first_ut: int, records: int) -> None:
    body = "".join(
        f"PT J\nAU Smith, A\nTI Title {ut}\nPY 2019\nUT WOS:{ut:015d}\nER\n\n"
        for ut in range(first_ut, first_ut + records)
    )
    path.write_text(f"FN Clarivate Analytics Web of Science\nVR 1.0\n{body}EF\n", encoding="utf-8")


def _many_small_files(landing_dir: Path) -> int:
    """3,000 tagged WoS exports; every third holds two records. Returns the record count (4,000)."""
    folder = landing_dir / "wos" / SNAPSHOT
    folder.mkdir(parents=True)
    ut = 1
    for i in range(N_FILES):
        records = 2 if i % 3 == 0 else 1
        _wos_file(folder / f"savedrecs_{i:04d}.txt", ut, records)
        ut += records
    return ut - 1


def test_three_thousand_small_files_make_a_bounded_number_of_tasks_and_ingest_completely(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected_records = _many_small_files(settings.landing_dir)
    assert expected_records == N_FILES + N_FILES // 3
    folder = settings.landing_dir / "wos" / SNAPSHOT
    sizes = {p.name: p.stat().st_size for p in folder.iterdir()}
    total = sum(sizes.values())
    task_bytes = total // 8 + 1  # the snapshot is about 8 tasks' worth
    monkeypatch.setenv("STIWATCH_INGEST_TASK_BYTES", str(task_bytes))

    groups = tasks.plan_groups("wos")  # what the DAG's plan task maps over

    assert 8 <= len(groups) <= 2 * 8 + 1
    assert [p for g in groups for p in g["paths"]] == sorted(sizes)  # every file once, in order
    for group in groups:
        assert group["snapshot_id"] == SNAPSHOT and group["source"] == "wos"
        assert group["bytes"] == sum(sizes[p] for p in group["paths"]) <= task_bytes

    results = [tasks.ingest_group(group) for group in groups]  # the mapped tasks
    tasks.finalize_snapshot("wos", SNAPSHOT, results)

    manifest = landing.read_manifest(settings.lake_dir, "wos", SNAPSHOT)
    assert {f["path"] for f in manifest["files"]} == set(sizes)
    assert {f["path"]: f["bytes"] for f in manifest["files"]} == sizes
    assert manifest["records"] == expected_records
    assert ingest.plan(settings, "wos") == []


def _items(snapshot_id: str, sizes: list[int]) -> list[dict]:
    return [{"snapshot_id": snapshot_id, "path": f"part_{i:04d}.gz", "bytes": b} for i, b in enumerate(sizes)]


def test_a_full_openalex_snapshot_expands_to_a_few_hundred_tasks() -> None:
    gb = 1_000_000_000
    parts = _items("s", [400 * gb // 1500] * 1500)  # ~1,500 part files, 400 GB
    runs = ingest._split(parts, task_bytes=2 * gb, parallelism=2)
    assert 200 <= len(runs) <= 400
    assert all(sum(f["bytes"] for f in run) <= 2 * gb for run in runs)
    assert [f for run in runs for f in run] == parts


def test_a_file_bigger_than_a_task_goes_alone_and_small_snapshots_still_spread() -> None:
    runs = ingest._split(_items("s", [10, 500, 10, 10]), task_bytes=100, parallelism=1)
    assert [[f["bytes"] for f in run] for run in runs] == [[10], [500], [10, 10]]
    # Tiny files far below task_bytes: still one run per worker slot, not a single task.
    assert len(ingest._split(_items("s", [1] * 3000), task_bytes=10**9, parallelism=4)) == 4


def test_a_group_never_spans_snapshots(settings: Settings) -> None:
    for snapshot_id in ("2026-01-01_a", "2026-01-02_b"):
        (settings.landing_dir / "wos" / snapshot_id).mkdir(parents=True)
        for i in range(3):
            _wos_file(settings.landing_dir / "wos" / snapshot_id / f"f{i}.txt", 1 + i, 1)
    groups = ingest.plan_groups(settings, "wos")
    by_snapshot: dict[str, list[str]] = {}
    for group in groups:
        by_snapshot.setdefault(group["snapshot_id"], []).extend(group["paths"])
    assert by_snapshot == {
        "2026-01-01_a": ["f0.txt", "f1.txt", "f2.txt"],
        "2026-01-02_b": ["f0.txt", "f1.txt", "f2.txt"],
    }
    assert len(groups) == 4  # parallelism 2 per snapshot


def test_ingest_logs_files_records_rate_and_time_left(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    folder = settings.landing_dir / "wos" / "2026-01-01_a"
    folder.mkdir(parents=True)
    for i in range(4):
        _wos_file(folder / f"f{i}.txt", 10 * i + 1, i + 1)  # 1 + 2 + 3 + 4 records
    monkeypatch.setattr(progress, "LOG_EVERY_SECONDS", 0.0)
    caplog.set_level(logging.INFO, logger="stiwatch.progress")

    assert ingest.ingest_source(settings, "wos") == ["2026-01-01_a"]

    lines = [r.getMessage() for r in caplog.records if r.name == "stiwatch.progress"]
    assert len(lines) == 5  # one per file, then the last word
    assert lines[0].startswith("ingest wos: 1/4 files, 1 records, ") and "left" in lines[0]
    assert lines[-1].startswith("ingest wos: 4/4 files, 10 records, ") and "records/s" in lines[-1]
    assert lines[-1].endswith("about 0s left")
