"""The ROR loader on the real shared files and on a dump zip built from real records.

Expected values were read off the raw files by hand: `zcat FILE | wc -l` (40824 and 13503 records, as in
PROVENANCE.md), `zcat FILE | grep -c '"status": "active"'` (38472 and 13211), and single records pulled out
with grep and pretty-printed.
"""

from __future__ import annotations

import gzip
import json
import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest

from stiwatch.institutions import dump_id_of, load_ror, write_registry

pytestmark = pytest.mark.shared

V1_RECORDS, V1_ACTIVE = 40824, 38472
V2_RECORDS, V2_ACTIVE = 13503, 13211


def _organisation(registry, ror_id: str) -> dict:
    rows = [row for row in registry.organizations.to_pylist() if row["ror_id"] == ror_id]
    assert len(rows) == 1, f"{ror_id} should be loaded once"
    return rows[0]


def _names(registry, ror_id: str) -> set[tuple[str, str]]:
    return {(row["name"], row["name_type"]) for row in registry.names.to_pylist() if row["ror_id"] == ror_id}


def _raw_lines(path: Path, ror_ids: list[str]) -> list[str]:
    wanted = {f'"id": "{ror_id}"' for ror_id in ror_ids}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [line for line in fh if any(marker in line for marker in wanted)]


def test_v1_file_counts_and_a_v1_record(ror_files: list[Path]) -> None:
    everything = load_ror(ror_files[0], include_inactive=True)
    assert everything.inputs[0]["records"] == V1_RECORDS
    assert len(everything) == V1_RECORDS
    active = load_ror(ror_files[0])
    assert len(active) == V1_ACTIVE
    assert set(active.organizations.column("status").to_pylist()) == {"active"}
    aiia = _organisation(active, "https://ror.org/00003ef66")
    assert (aiia["display_name"], aiia["country_code"], aiia["city"]) == (
        "All India Institute of Ayurveda, New Delhi",
        "IN",
        "New Delhi",
    )
    assert (aiia["schema_version"], aiia["types"]) == (1, ["education"])
    assert _names(active, "https://ror.org/00003ef66") == {
        ("All India Institute of Ayurveda, New Delhi", "display"),
        ("AIIA", "acronym"),
    }


def test_v1_file_also_holds_v2_records_detected_per_record(ror_files: list[Path]) -> None:
    # 3681 lines of the "v1" file carry v2 `names[]` (zcat | grep -c '"names"'); one of them:
    registry = load_ror(ror_files[0])
    harwell = _organisation(registry, "https://ror.org/0001h1y25")
    assert (harwell["display_name"], harwell["country_code"], harwell["schema_version"]) == (
        "Mary Lyon Centre at MRC Harwell",
        "GB",
        2,
    )
    assert _names(registry, "https://ror.org/0001h1y25") == {
        ("MRC Harwell Institute", "alias"),
        ("Mary Lyon Centre at MRC Harwell", "label"),
        ("Mary Lyon Centre at MRC Harwell", "display"),
    }


def test_v2_file_counts_and_a_v2_record(ror_files: list[Path]) -> None:
    everything = load_ror(ror_files[1], include_inactive=True)
    assert len(everything) == V2_RECORDS
    registry = load_ror(ror_files[1])
    assert len(registry) == V2_ACTIVE
    tsri = _organisation(registry, "https://ror.org/000025p04")
    assert (tsri["display_name"], tsri["country_code"], tsri["city"], tsri["types"]) == (
        "Thailand Science Research and Innovation",
        "TH",
        "Bangkok",
        ["funder", "government"],
    )
    assert ("TSRI", "acronym") in _names(registry, "https://ror.org/000025p04")
    # Its raw record names a predecessor, not a successor: no successor row.
    assert "https://ror.org/000025p04" not in registry.successors.column("ror_id").to_pylist()


def test_both_files_keep_each_id_once(registry) -> None:
    ids = registry.organizations.column("ror_id").to_pylist()
    assert len(ids) == len(set(ids))
    # 000025p04 is in both files; the v2 record wins.
    assert _organisation(registry, "https://ror.org/000025p04")["schema_version"] == 2


def _zip_dump(tmp_path: Path, ror_files: list[Path], with_v2_member: bool) -> Path:
    ids = ["https://ror.org/000025p04", "https://ror.org/00003ef66"]
    v1_array = [json.loads(line) for line in _raw_lines(ror_files[0], ids)]
    v1_array = [record for record in v1_array if "name" in record]  # v1-schema records only
    v2_array = [json.loads(line) for line in _raw_lines(ror_files[1], ids[:1])]
    dump = tmp_path / "v1.55-2024-10-31-ror-data.zip"
    with zipfile.ZipFile(dump, "w") as archive:
        archive.writestr("v1.55-2024-10-31-ror-data.json", json.dumps(v1_array, indent=2))
        if with_v2_member:
            archive.writestr("v1.55-2024-10-31-ror-data_schema_v2.json", json.dumps(v2_array, indent=2))
    return dump


def test_dump_zip_reads_the_v2_member_when_present(tmp_path: Path, ror_files: list[Path]) -> None:
    registry = load_ror(_zip_dump(tmp_path, ror_files, with_v2_member=True))
    assert [entry["input"].rsplit("!", 1)[1] for entry in registry.inputs] == [
        "v1.55-2024-10-31-ror-data_schema_v2.json"
    ]
    assert registry.inputs[0]["format"] == "array"
    assert registry.organizations.column("ror_id").to_pylist() == ["https://ror.org/000025p04"]
    assert registry.organizations.column("schema_version").to_pylist() == [2]


def test_dump_zip_with_a_v1_array_only(tmp_path: Path, ror_files: list[Path]) -> None:
    registry = load_ror(_zip_dump(tmp_path, ror_files, with_v2_member=False))
    rows = {row["ror_id"]: row for row in registry.organizations.to_pylist()}
    assert set(rows) == {"https://ror.org/000025p04", "https://ror.org/00003ef66"}
    assert rows["https://ror.org/000025p04"]["display_name"] == "Thailand Science Research and Innovation"
    assert rows["https://ror.org/000025p04"]["schema_version"] == 1
    assert dump_id_of(tmp_path / "v1.55-2024-10-31-ror-data.zip") == "v1.55-2024-10-31-ror-data"


def test_a_record_without_id_names_the_file_and_record(tmp_path: Path, ror_files: list[Path]) -> None:
    good = _raw_lines(ror_files[1], ["https://ror.org/000025p04"])[0]
    broken = json.loads(good)
    del broken["id"]
    path = tmp_path / "records.jsonl"
    path.write_text(good + json.dumps(broken) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"records\.jsonl: record 2 "):
        load_ror(path)


def test_write_registry_to_the_lake(tmp_path: Path, ror_files: list[Path]) -> None:
    registry = load_ror(_zip_dump(tmp_path, ror_files, with_v2_member=False))
    manifest = write_registry(registry, tmp_path / "lake", "v1.55-2024-10-31")
    folder = tmp_path / "lake" / "ror" / "snapshot=v1.55-2024-10-31"
    assert manifest == folder / "_manifest.json"
    assert json.loads(manifest.read_text())["rows"]["organizations"] == 2
    con = duckdb.connect()
    (count,) = con.execute(
        f"SELECT count(*) FROM read_parquet('{folder}/organizations/*.parquet')"
    ).fetchone()
    (acronym,) = con.execute(
        f"SELECT name FROM read_parquet('{folder}/names/*.parquet') "
        "WHERE ror_id = 'https://ror.org/00003ef66' AND name_type = 'acronym'"
    ).fetchone()
    assert (count, acronym) == (2, "AIIA")
    assert not list(folder.rglob(".*tmp-*"))


def test_parents_table_from_relationships(registry) -> None:
    # zcat ror_records_v1_schema.jsonl.gz | grep '"id": "https://ror.org/022c3hy66"': Institute of
    # Automation, relationships Parent 034t30j35 (Chinese Academy of Sciences) and two Child labs.
    rows = [row for row in registry.parents.to_pylist() if row["ror_id"] == "https://ror.org/022c3hy66"]
    assert rows == [{"ror_id": "https://ror.org/022c3hy66", "parent_id": "https://ror.org/034t30j35"}]
    # Child relationships are not parents: CAS names none.
    assert "https://ror.org/034t30j35" not in registry.parents.column("ror_id").to_pylist()


def test_a_lake_copy_written_before_the_parents_table_is_written_again(
    settings, ror_files: list[Path]
) -> None:
    from stiwatch.institutions.ror_landing import publish_landed_dumps, read_registry

    landing = settings.landing_dir / "ror" / "2024-10-31_shared"
    landing.mkdir(parents=True)
    (landing / "records.jsonl").write_text(
        "".join(_raw_lines(ror_files[0], ["https://ror.org/022c3hy66"])), encoding="utf-8"
    )
    assert publish_landed_dumps(settings) == ["2024-10-31_shared"]
    assert publish_landed_dumps(settings) == []  # complete: not written twice
    folder = settings.lake_dir / "ror" / "snapshot=2024-10-31_shared"
    manifest = json.loads((folder / "_manifest.json").read_text())
    del manifest["rows"]["parents"]  # as an earlier version wrote it
    (folder / "_manifest.json").write_text(json.dumps(manifest))
    shutil.rmtree(folder / "parents")
    assert publish_landed_dumps(settings) == ["2024-10-31_shared"]
    parents = read_registry(settings.lake_dir, "2024-10-31_shared").parents.to_pylist()
    # The lines holding the id are the institute's record and those of its two labs (their parent).
    assert parents == [
        {"ror_id": "https://ror.org/022c3hy66", "parent_id": "https://ror.org/034t30j35"},
        {"ror_id": "https://ror.org/02aztsv52", "parent_id": "https://ror.org/022c3hy66"},
        {"ror_id": "https://ror.org/03bdmv123", "parent_id": "https://ror.org/022c3hy66"},
    ]
