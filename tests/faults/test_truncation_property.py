"""Property: a real WoS export or OpenAlex JSON-lines file, cut or corrupted at any byte, never ingests to
fewer records without an error.

The expected count comes from the intact file, counted plainly (``ER`` lines; non-blank JSON lines). One
case is excluded on purpose, and said here: a JSON-lines file cut exactly at the end of a line is a valid,
shorter file (the format has no end marker, unlike a tagged export's ``EF``), so no reader can tell.
"""

from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from stiwatch.errors import DataError
from stiwatch.sources.openalex import ingest_file as ingest_openalex
from stiwatch.sources.wos import ingest_file as ingest_wos

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
WOS_FILE = SHARED / "wos" / "tagged" / "xzy_data_8.txt.gz"
OPENALEX_FILE = SHARED / "openalex" / "jsonl" / "openalexpro_jsonl_chunk_3_results_page_1.jsonl"
PROPERTY = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])

pytestmark = [
    pytest.mark.shared,
    pytest.mark.skipif(not SHARED.is_dir(), reason=f"real test files not found at {SHARED}"),
]


def _wos_bytes() -> bytes:
    return gzip.decompress(WOS_FILE.read_bytes())


def _wos_records(data: bytes) -> int:
    return sum(1 for line in data.decode("utf-8-sig").splitlines() if line.rstrip("\r") == "ER")


def _ingested(ingest, data: bytes, name: str) -> int | None:
    """Records the ingest read from ``data``, or None when it raised a ``DataError`` (an error reported)."""
    with tempfile.TemporaryDirectory(prefix="faults-property-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            return int(ingest(path, name, "2026-01-01_p", Path(tmp) / "lake")["records"])
        except DataError:
            return None


def _apply(data: bytes, kind: str, where: float, value: int) -> bytes:
    at = int(where * len(data))
    if kind == "cut":
        return data[:at]
    return data[:at] + bytes([value]) + data[at + 1 :]


WOS = _wos_bytes() if WOS_FILE.is_file() else b""
OPENALEX = OPENALEX_FILE.read_bytes() if OPENALEX_FILE.is_file() else b""


def test_the_intact_files_ingest_completely() -> None:
    """The baseline the properties compare with: the intact files read every record."""
    assert _ingested(ingest_wos, WOS, "export.txt") == _wos_records(WOS) == 271
    expected = sum(1 for line in OPENALEX.splitlines() if line.strip())
    assert _ingested(ingest_openalex, OPENALEX, "part.jsonl") == expected


@PROPERTY
@given(st.sampled_from(["cut", "flip"]), st.floats(0, 1, exclude_max=True), st.integers(0, 255))
def test_a_damaged_wos_export_never_loses_records_silently(kind: str, where: float, value: int) -> None:
    damaged = _apply(WOS, kind, where, value)
    assume(damaged != WOS)
    records = _ingested(ingest_wos, damaged, "export.txt")
    assert records is None or records >= _wos_records(WOS), (kind, int(where * len(WOS)), value, records)


@PROPERTY
@given(st.sampled_from(["cut", "flip"]), st.floats(0, 1, exclude_max=True), st.integers(0, 255))
def test_a_damaged_openalex_file_never_loses_records_silently(kind: str, where: float, value: int) -> None:
    damaged = _apply(OPENALEX, kind, where, value)
    assume(damaged != OPENALEX)
    if kind == "cut":  # the excluded case: a cut at a line end leaves a valid, shorter file
        assume(not damaged.endswith(b"\n") and OPENALEX[len(damaged) : len(damaged) + 1] != b"\n")
    expected = sum(1 for line in OPENALEX.splitlines() if line.strip())
    records = _ingested(ingest_openalex, damaged, "part.jsonl")
    assert records is None or records >= expected, (kind, int(where * len(OPENALEX)), value, records)
