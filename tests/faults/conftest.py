"""Helpers of the fault matrix: land tiny deliveries, run the CLI in-process, read the lake's state."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from stiwatch import cli
from stiwatch.config import Settings


def tagged_export(n_records: int, first_ut: int = 1) -> str:
    """A WoS plain-text export of ``n_records`` records (UT WOS:...<first_ut + i>), ending with EF."""
    records = [
        f"PT J\nAU Author, {i}\nTI Title {i}\nPY 2020\n"
        f"C1 [Author, {i}] Univ Oxford, Oxford, England.\nUT WOS:{first_ut + i:015d}\nER\n"
        for i in range(n_records)
    ]
    return "FN Clarivate Analytics Web of Science\nVR 1.0\n" + "\n".join(records) + "\nEF\n"


def land(settings: Settings, source: str, snapshot_id: str, files: dict[str, bytes | str]) -> Path:
    folder = settings.landing_dir / source / snapshot_id
    for rel, content in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
    return folder


def published(settings: Settings, source: str) -> set[str]:
    """Snapshot ids of the source with a manifest (what dbt sees)."""
    root = settings.lake_dir / source
    return {p.parent.name.removeprefix("snapshot=") for p in root.glob("snapshot=*/_manifest.json")}


def garbage(settings: Settings) -> list[Path]:
    """Temporary files left in the lake."""
    return sorted(settings.lake_dir.rglob("*.tmp-*")) if settings.lake_dir.exists() else []


@dataclass
class Run:
    rc: int
    out: str
    err: str


@pytest.fixture
def stiwatch(settings: Settings, capsys: pytest.CaptureFixture[str]) -> Iterator:
    """``stiwatch(*args)`` runs the CLI in-process and returns its exit code and output."""
    saved = dict(os.environ)

    def run(*args: str) -> Run:
        rc = cli.main(list(args))
        captured = capsys.readouterr()
        return Run(rc, captured.out, captured.err)

    yield run
    os.environ.clear()
    os.environ.update(saved)
