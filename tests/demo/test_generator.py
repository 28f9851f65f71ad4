"""The demo generator: deterministic, in the real formats, scaled by ``records``, readable by the parsers.

Expectations are computed here from the raw files with plain string handling (not with the generator's
helpers), so a generator bug shows up as a mismatch.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import pytest

from stiwatch.demo import SNAPSHOT_IDS, generate
from stiwatch.demo.truth import read_truth


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return raw.decode("utf-8")


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _wos_uts(snapshot: Path) -> dict[str, list[str]]:
    """UTs per file, read from the raw text (tagged 'UT ' lines, or the last tab column)."""
    out = {}
    for path in sorted(p for p in snapshot.iterdir() if p.name.startswith("savedrecs")):
        text = _read_text(path).lstrip("\ufeff")
        if text.startswith("FN "):
            out[path.name] = [line[3:] for line in text.split("\n") if line.startswith("UT ")]
        else:
            out[path.name] = [row.split("\t")[-1] for row in text.split("\r\n")[1:] if row]
    return out


@pytest.fixture(scope="module")
def demo_small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    landing = tmp_path_factory.mktemp("demo") / "landing"
    generate(landing, records=200, seed=7)
    return landing


def test_same_seed_gives_identical_bytes(demo_small: Path, tmp_path: Path) -> None:
    generate(tmp_path / "landing", records=200, seed=7)
    assert _files(tmp_path / "landing") == _files(demo_small)


def test_different_seed_gives_different_data(demo_small: Path, tmp_path: Path) -> None:
    generate(tmp_path / "landing", records=200, seed=8)
    other, base = _files(tmp_path / "landing"), _files(demo_small)
    assert other.keys() == base.keys()
    data_files = [k for k in base if "savedrecs" in k or "part_" in k]
    assert all(other[k] != base[k] for k in data_files)


def test_existing_snapshots_are_left_alone(demo_small: Path) -> None:
    before = _files(demo_small)
    assert [s.created for s in generate(demo_small, records=999, seed=1)] == [False, False, False]
    assert _files(demo_small) == before


def test_wos_files_have_the_real_shapes(demo_small: Path) -> None:
    snapshot = demo_small / "wos" / SNAPSHOT_IDS["wos"]
    tagged = _read_text(snapshot / "savedrecs_01.txt")
    assert tagged.startswith("\ufeffFN Clarivate Analytics Web of Science\nVR 1.0\nPT J\n")
    assert tagged.endswith("ER\n\nEF")
    raw_tab = gzip.decompress((snapshot / "savedrecs_03.txt.gz").read_bytes())
    assert raw_tab.startswith(b"\xef\xbb\xbfPT\tAU\tBA\t")
    header, *rows = raw_tab.decode("utf-8").lstrip("\ufeff").split("\r\n")
    assert len(header.split("\t")) == 71 and header.endswith("\tDA\tUT")
    assert all(len(r.split("\t")) == 71 for r in rows if r)
    assert "Peoples R China" in tagged and " USA.\n" in tagged and "England" in tagged


def test_wos_exports_overlap_and_cover_every_record_once(demo_small: Path) -> None:
    uts = _wos_uts(demo_small / "wos" / SNAPSHOT_IDS["wos"])
    files = list(uts.values())
    assert len(files) == 3
    assert set(files[0]) & set(files[1]) and set(files[1]) & set(files[2])
    union = set().union(*files)
    assert len(union) == 200
    truth = list(read_truth(demo_small / "wos" / SNAPSHOT_IDS["wos"]))
    assert {t.record_id for t in truth} == union


def test_truth_matches_the_c1_addresses(demo_small: Path) -> None:
    """Each tagged record's C1 lines, read raw, agree with the truth's affiliation count and countries."""
    snapshot = demo_small / "wos" / SNAPSHOT_IDS["wos"]
    truth = {t.record_id: t for t in read_truth(snapshot)}
    last_part_to_iso = {"Peoples R China": "CN", "USA": "US", "England": "GB", "Netherlands": "NL"}
    checked = 0
    for record in _read_text(snapshot / "savedrecs_01.txt").split("\nER\n")[:-1]:
        lines = record.split("\n")
        ut = next(line[3:] for line in lines if line.startswith("UT "))
        c1, in_c1 = [], False
        for line in lines:
            in_c1 = line.startswith("C1 ") or (in_c1 and line.startswith("   "))
            if in_c1:
                c1.append(line[3:].rstrip("."))
        assert len(c1) == len(truth[ut].affiliations), ut
        for address, (iso, _) in zip(c1, truth[ut].affiliations, strict=True):
            last = address.rsplit(", ", 1)[-1]
            last = "USA" if last.endswith(" USA") else last
            city = address.rsplit(", ", 2)[-2]
            if last in last_part_to_iso and city not in ("Hong Kong", "Macau"):
                assert iso == last_part_to_iso[last], (ut, address)
                checked += 1
    assert checked > 50


def test_openalex_snapshot_layout(demo_small: Path) -> None:
    snapshot = demo_small / "openalex" / SNAPSHOT_IDS["openalex"]
    parts = sorted(snapshot.glob("works/updated_date=*/part_*.gz"))
    assert len(parts) == 4
    seen: dict[str, set[str]] = {}
    lines_per_part = {}
    for part in parts:
        works = [json.loads(line) for line in _read_text(part).splitlines()]
        lines_per_part[f"s3://openalex/data/{part.relative_to(snapshot).as_posix()}"] = len(works)
        for work in works:
            seen.setdefault(work["id"].rsplit("/", 1)[-1], set()).add(work["updated_date"][:10])
            assert work["primary_topic"]["subfield"]["id"].startswith("https://openalex.org/subfields/")
            assert all("country_code" in i for a in work["authorships"] for i in a["institutions"])
    manifest = json.loads((snapshot / "works" / "manifest").read_text(encoding="utf-8"))
    assert {e["url"]: e["meta"]["record_count"] for e in manifest["entries"]} == lines_per_part
    assert any(len(dates) == 2 for dates in seen.values()), "no work re-issued with a newer updated_date"
    merged_rows = _read_text(snapshot / "merged_ids" / "works" / "2025-01-08.csv.gz").splitlines()
    assert merged_rows[0] == "merge_date,id,merge_into_id"
    merged = {row.split(",")[1] for row in merged_rows[1:]}
    assert merged and merged <= set(seen)
    truth_ids = {t.record_id for t in read_truth(snapshot)}
    assert truth_ids == set(seen) - merged


def test_size_scales_with_records(tmp_path: Path) -> None:
    generate(tmp_path / "a", records=100, seed=3)
    generate(tmp_path / "b", records=400, seed=3)
    size = {k: sum(p.stat().st_size for p in (tmp_path / k).rglob("*") if p.is_file()) for k in "ab"}
    assert 3 < size["b"] / size["a"] < 5
    assert len(set().union(*_wos_uts(tmp_path / "b" / "wos" / SNAPSHOT_IDS["wos"]).values())) == 400


def test_growth_puts_china_ahead_by_the_end(demo_small: Path) -> None:
    truth = list(read_truth(demo_small / "wos" / SNAPSHOT_IDS["wos"]))
    early = Counter(c for t in truth if t.pub_year <= 2014 for c in t.countries)
    late = Counter(c for t in truth if t.pub_year >= 2021 for c in t.countries)
    assert late["CN"] / max(late["US"], 1) > early["CN"] / max(early["US"], 1)


def test_files_parse_with_the_real_parsers(demo_small: Path, tmp_path: Path, settings) -> None:
    import duckdb

    from stiwatch.ingest import ingest_source

    settings.landing_dir.parent.mkdir(parents=True, exist_ok=True)
    settings.landing_dir.symlink_to(demo_small)
    for source in ("wos", "openalex"):
        assert ingest_source(settings, source) == [SNAPSHOT_IDS[source]]
        pattern = settings.lake_dir / source / "*" / "publications" / "*.parquet"
        ids = {
            r[0] for r in duckdb.sql(f"select distinct record_id from read_parquet('{pattern}')").fetchall()
        }
        truth_ids = {t.record_id for t in read_truth(demo_small / source / SNAPSHOT_IDS[source])}
        # WoS: every UT; OpenAlex: every work, including the merged-away ones the truth leaves out.
        merged_csv = demo_small / source / SNAPSHOT_IDS[source] / "merged_ids" / "works" / "2025-01-08.csv.gz"
        merged = (
            {row.split(",")[1] for row in _read_text(merged_csv).splitlines()[1:]}
            if merged_csv.exists()
            else set()
        )
        assert ids == truth_ids | merged


def test_one_process_writes_the_same_bytes_as_several(demo_small: Path, tmp_path: Path) -> None:
    """Files are written by parallel tasks; the answer keys are assembled afterwards in record order."""
    generate(tmp_path / "landing", records=200, seed=7, workers=1)
    assert _files(tmp_path / "landing") == _files(demo_small)
