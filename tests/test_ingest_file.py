"""Each landed file is hashed in the same pass as it is parsed: one sha256 per file, beside the parser,
and the manifest entry holds its size, mtime and hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from stiwatch import ingest, landing
from stiwatch.config import Settings

TAGGED = (
    "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Smith, A\nTI T\nPY 2019\nUT WOS:{ut}\nER\n\nEF\n"
)


def _snapshot(settings: Settings) -> Path:
    folder = settings.landing_dir / "wos" / "2026-03-01_x"
    folder.mkdir(parents=True)
    for i in range(3):
        (folder / f"f{i}.txt").write_text(TAGGED.format(ut=f"{i:015d}"), encoding="utf-8")
    return folder


def test_one_hash_per_file_and_the_entry_records_size_mtime_and_sha256(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _snapshot(settings)
    hashed: list[str] = []
    real = landing.sha256_of

    def counting(path: Path, *args, **kwargs) -> str:
        hashed.append(path.name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(landing, "sha256_of", counting)
    assert ingest.ingest_source(settings, "wos") == ["2026-03-01_x"]
    assert sorted(hashed) == ["f0.txt", "f1.txt", "f2.txt"]  # once each: no second hashing pass

    manifest = landing.read_manifest(settings.lake_dir, "wos", "2026-03-01_x")
    for entry in manifest["files"]:
        path = folder / entry["path"]
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert (entry["bytes"], entry["mtime_ns"]) == (path.stat().st_size, path.stat().st_mtime_ns)
        assert entry["records"] == 1


def test_a_file_rewritten_while_it_is_ingested_is_refused(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _snapshot(settings)
    parser = ingest.parser_for("wos")

    def parse_then_grow(path: Path, *args):
        result = parser.ingest_file(path, *args)
        with path.open("a", encoding="utf-8") as fh:  # the delivery is still being copied in
            fh.write("\n")
        return result

    monkeypatch.setattr(
        ingest, "parser_for", lambda source: type("P", (), {"ingest_file": staticmethod(parse_then_grow)})
    )
    with pytest.raises(landing.LandingError, match=rf"{folder / 'f0.txt'}: the file changed while"):
        ingest.ingest_file(settings, "wos", "2026-03-01_x", "f0.txt")
