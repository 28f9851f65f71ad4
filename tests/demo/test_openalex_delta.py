"""The OpenAlex demo delta (for the benchmark's second refresh): a later partition with new versions of a
few base works, more merged ids, and ``_snapshot.json`` saying it is a delta on the demo base.

Facts are read from the raw files with gzip/json/csv, not from the generator's helpers.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest

from stiwatch.demo import SNAPSHOT_IDS, generate, generate_openalex_delta
from stiwatch.demo.truth import read_truth

RECORDS = 3000


def _works(snapshot: Path) -> dict[str, list[dict]]:
    """Every version of every work in the snapshot's partitions, by short id, in file order."""
    out: dict[str, list[dict]] = {}
    for part in sorted(snapshot.glob("works/updated_date=*/part_*.gz")):
        for line in gzip.decompress(part.read_bytes()).decode("utf-8").splitlines():
            work = json.loads(line)
            out.setdefault(work["id"].rsplit("/", 1)[1], []).append(work)
    return out


def _merged(snapshot: Path) -> dict[str, str]:
    rows: dict[str, str] = {}
    for path in snapshot.glob("merged_ids/works/*.csv.gz"):
        for row in csv.DictReader(io.StringIO(gzip.decompress(path.read_bytes()).decode("utf-8"))):
            rows[row["id"]] = row["merge_into_id"]
    return rows


def _raw_affiliations(work: dict) -> set[str]:
    return {s for a in work["authorships"] for s in a["raw_affiliation_strings"]}


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("delta") / "landing"
    generate(root, records=RECORDS, seed=11)
    generate_openalex_delta(root, records=RECORDS, seed=11)
    return root


def test_delta_metadata_names_its_base(landing: Path) -> None:
    [delta] = [p for p in (landing / "openalex").iterdir() if p.name != SNAPSHOT_IDS["openalex"]]
    meta = json.loads((delta / "_snapshot.json").read_text(encoding="utf-8"))
    assert meta["kind"] == "delta" and meta["base"] == SNAPSHOT_IDS["openalex"]
    base_meta = json.loads((landing / "openalex" / SNAPSHOT_IDS["openalex"] / "_snapshot.json").read_text())
    assert meta["as_of"] > base_meta["as_of"]


def test_delta_reissues_about_one_percent_of_the_base_later_with_one_more_affiliation(landing: Path) -> None:
    base_dir = landing / "openalex" / SNAPSHOT_IDS["openalex"]
    [delta_dir] = [p for p in (landing / "openalex").iterdir() if p != base_dir]
    base, delta = _works(base_dir), _works(delta_dir)
    base_merged = _merged(base_dir)
    assert 0.005 * RECORDS <= len(delta) <= 0.02 * RECORDS
    for wid, [new] in delta.items():
        assert wid in base and wid not in base_merged
        latest = max(base[wid], key=lambda w: w["updated_date"])
        assert new["updated_date"] > latest["updated_date"]
        # one more author at one more institution
        assert len(new["authorships"]) == len(latest["authorships"]) + 1
        assert len(_raw_affiliations(new) - _raw_affiliations(latest)) == 1
        assert _raw_affiliations(latest) < _raw_affiliations(new)
        assert new["publication_year"] == latest["publication_year"]
    # its answer key lists exactly the works it carries
    assert {r.record_id for r in read_truth(delta_dir)} == set(delta)


def test_delta_merges_a_few_more_base_works_into_live_ones(landing: Path) -> None:
    base_dir = landing / "openalex" / SNAPSHOT_IDS["openalex"]
    [delta_dir] = [p for p in (landing / "openalex").iterdir() if p != base_dir]
    base, delta = _works(base_dir), _works(delta_dir)
    base_merged, delta_merged = _merged(base_dir), _merged(delta_dir)
    assert delta_merged and not set(delta_merged) & set(base_merged)
    for wid, target in delta_merged.items():
        assert wid in base and wid not in delta
        assert target in base and target not in base_merged and target not in delta_merged


def test_delta_is_written_once(landing: Path) -> None:
    assert generate_openalex_delta(landing, records=RECORDS, seed=11).created is False
