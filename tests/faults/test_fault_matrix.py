"""The fault matrix of issue 14 on the ingest side: one test per kind of bad delivery or fault.

Each test lands a tiny delivery, runs ``stiwatch ingest`` in-process and asserts the message (names the
file and what to do, no traceback, no file content), the exit code, the lake (what was published, no
temporary files left) and that serving was not touched; then repairs the delivery and checks that a
clean run recovers. Record counts are hand-counted from the fixtures written here.
"""

from __future__ import annotations

import errno
import gzip
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from stiwatch import atomic_io, landing
from stiwatch.config import Settings

from .conftest import garbage, land, published, tagged_export

SECRET = "root:$6$s3cr3tHash:19000:0:99999:7:::"


def _records(settings: Settings, source: str, snapshot_id: str) -> int:
    manifest = landing.read_manifest(settings.lake_dir, source, snapshot_id)
    assert manifest is not None
    return int(manifest["records"])


def _clean_failure(run, settings: Settings, *needles: str) -> None:
    """A failed ingest: exit 1, the message on stderr without a traceback, no temp files, no serving."""
    assert run.rc == 1, run.out + run.err
    assert run.err.startswith("stiwatch ingest: ")
    assert "Traceback" not in run.err
    for needle in needles:
        assert needle in run.err, run.err
    assert garbage(settings) == []
    assert not (settings.data_dir / "serving").exists()


def test_a_tagged_export_cut_after_a_record_is_refused(settings: Settings, stiwatch) -> None:
    full = tagged_export(3)
    cut = full[: full.index("ER\n", full.index("ER\n") + 1) + 3]  # ends right after record 2's ER
    folder = land(settings, "wos", "2025-01-01_a", {"savedrecs.txt": cut})
    run = stiwatch("ingest", "wos")
    _clean_failure(run, settings, "savedrecs.txt", "truncated after record 2")
    assert published(settings, "wos") == set()

    (folder / "savedrecs.txt").write_text(full, encoding="utf-8")  # the whole file, copied again
    assert stiwatch("ingest", "wos").rc == 0
    assert _records(settings, "wos", "2025-01-01_a") == 3


def test_a_damaged_er_line_is_refused_not_merged(settings: Settings, stiwatch) -> None:
    full = tagged_export(3)
    damaged = full.replace("ER\n", "XR\n", 1)  # records 1 and 2 would read as one
    folder = land(settings, "wos", "2025-01-01_a", {"savedrecs.txt": damaged})
    run = stiwatch("ingest", "wos")
    _clean_failure(run, settings, "savedrecs.txt", "appears twice in record 1", "'ER' line is missing")
    (folder / "savedrecs.txt").write_text(full, encoding="utf-8")
    assert stiwatch("ingest", "wos").rc == 0
    assert _records(settings, "wos", "2025-01-01_a") == 3


@pytest.mark.parametrize(
    ("encoded", "expected"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "utf-8-sig"),
        (lambda t: t.encode("utf-16-le"), "utf-16-le"),  # no BOM
        (lambda t: t.encode("utf-16-be"), "utf-16-be"),  # no BOM
        (lambda t: b"\xff\xfe" + t.encode("utf-16-le"), "utf-16-le"),
        (lambda t: b"\xfe\xff" + t.encode("utf-16-be"), "utf-16-be"),
        (lambda t: b"\xff\xfe" + ("\ufeff" + t).encode("utf-16-le"), "utf-16-le"),  # BOM written twice
    ],
    ids=["utf8", "utf8-bom", "utf16le", "utf16be", "utf16le-bom", "utf16be-bom", "utf16-double-bom"],
)
def test_encodings_are_detected_from_the_bytes(settings: Settings, stiwatch, encoded, expected: str) -> None:
    land(settings, "wos", "2025-01-01_a", {"savedrecs.txt": encoded(tagged_export(2))})
    run = stiwatch("ingest", "wos")
    assert run.rc == 0, run.err
    manifest = landing.read_manifest(settings.lake_dir, "wos", "2025-01-01_a")
    assert manifest["records"] == 2
    assert manifest["files"][0]["encoding"] == expected


def test_a_file_that_is_no_export_is_refused_without_quoting_it(settings: Settings, stiwatch) -> None:
    folder = land(settings, "wos", "2025-01-01_a", {"shadow": SECRET + "\n"})
    run = stiwatch("ingest", "wos")
    _clean_failure(run, settings, "shadow", "content is not shown")
    assert "s3cr3t" not in run.err and "root:" not in run.err
    (folder / "shadow").unlink()
    (folder / "savedrecs.txt").write_text(tagged_export(1), encoding="utf-8")
    assert stiwatch("ingest", "wos").rc == 0


def test_symlinks_are_followed_only_within_the_data_root(
    settings: Settings, stiwatch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "shadow").write_text(SECRET + "\n", encoding="utf-8")
    folder = land(settings, "wos", "2025-01-01_a", {"a.txt": tagged_export(2)})
    (folder / "shadow").symlink_to(outside / "shadow")
    run = stiwatch("ingest", "wos")
    _clean_failure(run, settings, f"{folder / 'shadow'}: symbolic link to {outside / 'shadow'}", "outside")
    assert "s3cr3t" not in run.err
    assert published(settings, "wos") == set()

    # A linked folder inside the data root is read like a folder of the snapshot (it was skipped before).
    (folder / "shadow").unlink()
    shared = settings.data_dir / "shared_exports"
    shared.mkdir()
    (shared / "b.txt").write_text(tagged_export(3, first_ut=100), encoding="utf-8")
    (folder / "more").symlink_to(shared, target_is_directory=True)
    assert stiwatch("ingest", "wos").rc == 0
    manifest = landing.read_manifest(settings.lake_dir, "wos", "2025-01-01_a")
    assert [f["path"] for f in manifest["files"]] == ["a.txt", "more/b.txt"]
    assert manifest["records"] == 5

    # Another root only when the setting allows it.
    (outside / "c.txt").write_text(tagged_export(1, first_ut=200), encoding="utf-8")
    linked = land(settings, "wos", "2025-02-01_b", {})
    linked.mkdir(parents=True, exist_ok=True)
    (linked / "c.txt").symlink_to(outside / "c.txt")
    assert stiwatch("ingest", "wos").rc == 1
    monkeypatch.setenv("STIWATCH_ALLOWED_LINK_ROOTS", str(outside))
    assert stiwatch("ingest", "wos").rc == 0
    assert _records(settings, "wos", "2025-02-01_b") == 1


def test_one_bad_snapshot_and_a_badly_named_folder_do_not_block_the_others(
    settings: Settings, stiwatch
) -> None:
    land(settings, "wos", "2025-01-01_good", {"a.txt": tagged_export(2)})
    bad = land(settings, "wos", "2025-02-01_bad", {"a.txt": tagged_export(1), "b.txt": "PT J\nUT WOS:1\n"})
    misnamed = land(settings, "wos", "2025 03 01 bad name", {"a.txt": tagged_export(1)})
    run = stiwatch("ingest", "wos")
    _clean_failure(run, settings, "2 wos snapshot(s) not ingested (published: 2025-01-01_good)")
    assert "b.txt" in run.err and "no 'ER' line" in run.err
    assert "2025 03 01 bad name" in run.err and "rename it" in run.err
    assert published(settings, "wos") == {"2025-01-01_good"}
    assert _records(settings, "wos", "2025-01-01_good") == 2

    (bad / "b.txt").write_text(tagged_export(1, first_ut=50), encoding="utf-8")
    misnamed.rename(misnamed.with_name("2025-03-01_renamed"))
    assert stiwatch("ingest", "wos").rc == 0
    assert published(settings, "wos") == {"2025-01-01_good", "2025-02-01_bad", "2025-03-01_renamed"}
    assert _records(settings, "wos", "2025-02-01_bad") == 2


def test_the_same_delivery_under_two_ids_is_reported(settings: Settings, stiwatch) -> None:
    export = tagged_export(2)
    land(settings, "wos", "2025-01-01_a", {"savedrecs.txt": export})
    assert stiwatch("ingest", "wos").rc == 0
    land(settings, "wos", "2025-02-01_again", {"renamed.txt": export})
    run = stiwatch("ingest", "wos")
    assert run.rc == 0
    assert (
        "2025-02-01_again holds the same files (same sha256) as the ingested snapshot 2025-01-01_a" in run.err
    )
    assert (
        landing.read_manifest(settings.lake_dir, "wos", "2025-02-01_again")["identical_to"] == "2025-01-01_a"
    )
    assert landing.read_manifest(settings.lake_dir, "wos", "2025-01-01_a")["identical_to"] is None


def test_a_changed_snapshot_json_is_refused_like_a_changed_file(settings: Settings, stiwatch) -> None:
    folder = land(
        settings,
        "wos",
        "2025-01-01_a",
        {"a.txt": tagged_export(2), "_snapshot.json": '{"as_of": "2025-01-01"}'},
    )
    assert stiwatch("ingest", "wos").rc == 0
    (folder / "_snapshot.json").write_text('{"as_of": "2025-01-15"}', encoding="utf-8")
    run = stiwatch("ingest", "wos")
    _clean_failure(run, settings, "_snapshot.json: content changed since snapshot wos/2025-01-01_a")
    assert landing.read_manifest(settings.lake_dir, "wos", "2025-01-01_a")["as_of"] == "2025-01-01"
    assert stiwatch("ingest", "wos", "--force").rc == 0  # the change was a correction
    assert landing.read_manifest(settings.lake_dir, "wos", "2025-01-01_a")["as_of"] == "2025-01-15"


def test_a_killed_ingests_temporary_files_are_removed_next_run(settings: Settings, stiwatch) -> None:
    land(settings, "wos", "2025-01-01_a", {"a.txt": tagged_export(2)})
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(dead.stdout)  # a pid that has exited
    parts = settings.lake_dir / "wos" / "snapshot=2025-01-01_a" / "publications"
    parts.mkdir(parents=True)
    orphan = parts / f".part-a.parquet.tmp-{dead_pid}-{'0' * 32}"
    orphan.write_bytes(b"half a parquet file")
    live = parts / f".part-b.parquet.tmp-{os.getpid()}-{'1' * 32}"  # a running writer's: left alone
    live.write_bytes(b"being written")
    assert stiwatch("ingest", "wos").rc == 0
    assert not orphan.exists() and live.exists()
    live.unlink()
    assert garbage(settings) == []


def _zip_bytes(member: str, text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, text)
    return buffer.getvalue()


def _tls201_csv(rows: int) -> str:
    header = "appln_id,appln_auth,appln_kind,appln_filing_year,ipr_type,granted,docdb_family_id"
    body = "".join(f'{i},"EP","A ",2019,"PI","Y",{1000 + i}\r\n' for i in range(1, rows + 1))
    return header + "\r\n" + body


def _flip(data: bytes, at: int) -> bytes:
    damaged = bytearray(data)
    damaged[at] ^= 0xFF
    return bytes(damaged)


@pytest.mark.parametrize(
    ("name", "damage", "says"),
    [
        ("tls201_part01.zip", lambda d: _flip(d, len(d) // 3), "damaged or incomplete"),
        ("tls201_part01.zip", lambda d: d[: len(d) // 2], "BadZipFile"),
        ("tls201_part01.csv.gz", lambda d: d[: len(d) // 2], "EOFError"),
    ],
    ids=["zip-crc", "zip-cut-in-half", "gz-truncated"],
)
def test_damaged_archives_are_named_not_tracebacks(
    settings: Settings, stiwatch, name: str, damage, says: str
) -> None:
    csv_text = _tls201_csv(2000)
    good = (
        _zip_bytes("tls201_part01.csv", csv_text)
        if name.endswith(".zip")
        else gzip.compress(csv_text.encode())
    )
    folder = land(settings, "patstat", "2023_autumn", {name: damage(good)})
    run = stiwatch("ingest", "patstat")
    _clean_failure(run, settings, f"{folder / name}: the archive is damaged or incomplete", says, "download")
    assert published(settings, "patstat") == set()
    (folder / name).write_bytes(good)
    assert stiwatch("ingest", "patstat").rc == 0
    assert _records(settings, "patstat", "2023_autumn") == 2000


def test_openalex_read_errors_name_the_right_line_and_no_duckdb_hints(
    settings: Settings, stiwatch, shared_data: Path
) -> None:
    real = (
        shared_data / "openalex" / "jsonl" / "openalexpro_jsonl_chunk_2_results_page_1.jsonl"
    ).read_bytes()
    lines = real.split(b"\n")
    damaged = b"\n".join([lines[0], lines[1], b'{"id": "https://openalex.org/W1", broken', *lines[3:]])
    cut = land(settings, "openalex", "2025-01-01_a", {"part_000.gz": gzip.compress(real)[:-4000]})
    broken = land(settings, "openalex", "2025-02-01_b", {"part_000.jsonl": damaged})
    run = stiwatch("ingest", "openalex")
    _clean_failure(
        run, settings, "part_000.gz: the gzip stream ends early", "part_000.jsonl: line 3 is not valid JSON"
    )
    assert "WORK_TYPE" not in run.err and "auto-detecting" not in run.err and "line 4" not in run.err
    (cut / "part_000.gz").write_bytes(gzip.compress(real))
    (broken / "part_000.jsonl").write_bytes(real)
    assert stiwatch("ingest", "openalex").rc == 0
    assert _records(settings, "openalex", "2025-01-01_a") == real.count(b"\n")


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.ENOSPC, "the disk is full"), (errno.EROFS, "the file system is read-only")],
    ids=["disk-full", "read-only"],
)
def test_disk_full_and_read_only_are_said_in_words(
    settings: Settings, stiwatch, monkeypatch: pytest.MonkeyPatch, code: int, words: str
) -> None:
    """The fault is injected where the kernel would raise it: moving a finished part into place."""
    land(settings, "wos", "2025-01-01_a", {"a.txt": tagged_export(2)})
    real_replace = os.replace

    def refuse(src: str, dst: str) -> None:
        raise OSError(code, os.strerror(code), str(dst))

    monkeypatch.setattr(atomic_io.os, "replace", refuse)
    run = stiwatch("ingest", "wos")
    _clean_failure(run, settings, words, "a.txt", "re-run")
    assert published(settings, "wos") == set()
    monkeypatch.setattr(atomic_io.os, "replace", real_replace)
    assert stiwatch("ingest", "wos").rc == 0
    assert _records(settings, "wos", "2025-01-01_a") == 2
