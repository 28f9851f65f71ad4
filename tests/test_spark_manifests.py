"""The manifest index a Spark build reads: every manifest of the lake, one per line, unchanged."""

from __future__ import annotations

import json

import pytest

from stiwatch.config import Settings
from stiwatch.errors import DataError
from stiwatch.spark_manifests import write_manifest_index


def _manifest(settings: Settings, source: str, snapshot_id: str, text: str) -> None:
    path = settings.lake_dir / source / f"snapshot={snapshot_id}" / "_manifest.json"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")


def test_every_manifest_becomes_one_line_and_an_empty_lake_an_empty_file(settings: Settings) -> None:
    assert write_manifest_index(settings).read_text(encoding="utf-8") == ""
    first = {"source": "wos", "snapshot_id": "a", "files": [{"path": "x.txt", "records": 3}]}
    second = {"source": "ror", "snapshot_id": "b", "note": "Zürich's"}
    _manifest(settings, "wos", "a", json.dumps(first, indent=2))
    _manifest(settings, "ror", "b", json.dumps(second, indent=2))
    lines = write_manifest_index(settings).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [second, first]  # sorted by path: ror/ before wos/


def test_a_damaged_manifest_is_named(settings: Settings) -> None:
    _manifest(settings, "wos", "a", '{"source": "wos",')
    with pytest.raises(DataError, match=r"wos/snapshot=a/_manifest\.json"):
        write_manifest_index(settings)
    assert not settings.spark_manifest_index.exists()  # nothing half-written is left
