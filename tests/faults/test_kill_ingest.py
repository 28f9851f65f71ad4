"""``kill -9`` of ``stiwatch ingest`` at random points (a few seeds): nothing half-written is published,
the next run removes the killed run's temporary files and ingests exactly what an uninterrupted run does.

The delivery is the real WoS exports of ../shared/data/wos/tagged (symlinked into the landing zone from
an allowed root, never copied into the project); the expected record count is read with a plain count of
``ER`` lines, not by the pipeline.
"""

from __future__ import annotations

import gzip
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stiwatch import landing

from .conftest import garbage, published

SNAPSHOT = "2026-01-01_real"


def _er_count(path: Path) -> int:
    with gzip.open(path, "rt", encoding="utf-8-sig") as text:
        return sum(1 for line in text if line.rstrip("\r\n") == "ER")


@pytest.mark.slow
@pytest.mark.shared
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_killed_ingest_leaves_no_garbage_and_the_next_run_recovers(
    settings, shared_data: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    exports = sorted((shared_data / "wos" / "tagged").glob("*.gz"))
    folder = settings.landing_dir / "wos" / SNAPSHOT
    folder.mkdir(parents=True)
    for export in exports:
        (folder / export.name).symlink_to(export)
    monkeypatch.setenv("STIWATCH_ALLOWED_LINK_ROOTS", str(shared_data))
    env = {**os.environ, "STIWATCH_DATA_DIR": str(settings.data_dir)}
    cmd = [str(Path(sys.executable).with_name("stiwatch")), "ingest", "wos"]

    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # A random point: from start-up to well into the parsing of the ten files.
    time.sleep(random.Random(seed).uniform(1.0, 6.0))
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    manifest = landing.read_manifest(settings.lake_dir, "wos", SNAPSHOT)
    killed_before_the_end = manifest is None
    if killed_before_the_end:
        assert published(settings, "wos") == set()  # no manifest: dbt sees nothing of the snapshot

    rerun = subprocess.run(
        cmd + (["--force"] if not killed_before_the_end else []), env=env, capture_output=True, text=True
    )
    assert rerun.returncode == 0, rerun.stderr
    assert garbage(settings) == []
    manifest = landing.read_manifest(settings.lake_dir, "wos", SNAPSHOT)
    assert manifest is not None
    assert manifest["records"] == sum(_er_count(e) for e in exports)
    parts = sorted(
        p.name for p in (settings.lake_dir / "wos" / f"snapshot={SNAPSHOT}" / "publications").iterdir()
    )
    assert len(parts) == len(exports)  # one part per file, no extra or half-written one
