"""The demo indicator list: its ROR ids name the right organisations in the shared ROR records, and it
reads back through the documented CSV reader."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from stiwatch.demo.indicators import LIST_ID, UNIVERSITIES, VERSION_ID, write_demo_list
from stiwatch.indicators.formats import read_entries
from stiwatch.institutions.aliases import load_aliases


def _ror_names(shared_data: Path) -> dict[str, str]:
    names = {}
    for path in sorted((shared_data / "ror").glob("ror_records_v*_schema.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                name = record.get("name") or next(
                    n["value"] for n in record["names"] if "ror_display" in n["types"]
                )
                names[record["id"]] = name
    return names


def test_demo_ror_ids_are_the_universities_in_the_shared_ror_records(shared_data: Path) -> None:
    names = _ror_names(shared_data)
    for name, _, ror_id in UNIVERSITIES:
        assert names.get(f"https://ror.org/{ror_id}") == name, (name, ror_id)


def test_demo_registry_knows_six_of_the_seven(tmp_path: Path) -> None:
    # Without a landed ROR dump the demo registry is the alias seed: Harbin Engineering University is not
    # in it, so its entry resolves by its ROR id with ror_in_registry false.
    seed = {alias.ror_id for alias in load_aliases()}
    missing = [name for name, _, ror_id in UNIVERSITIES if f"https://ror.org/{ror_id}" not in seed]
    assert missing == ["Harbin Engineering University"]


def test_demo_list_is_written_once_in_the_documented_format(tmp_path: Path) -> None:
    first = write_demo_list(tmp_path)
    assert first.created and first.path == tmp_path / "indicators" / LIST_ID / VERSION_ID
    assert not write_demo_list(tmp_path).created
    source_format, entries = read_entries(first.path / "list.csv")
    assert source_format == "stiwatch"
    assert [(e["name"], e["ror_id"], e["country"]) for e in entries] == [
        (name, f"https://ror.org/{ror_id}", "CN") for name, _, ror_id in UNIVERSITIES
    ]
    assert entries[1]["aliases"] == ["Beijing University of Aeronautics and Astronautics", "BUAA"]


def test_demo_company_list_flags_the_demo_patstat_huawei_applicant_only(tmp_path: Path) -> None:
    from stiwatch.demo.indicators import COMPANY_LIST_ID, write_demo_lists
    from stiwatch.demo.patstat import ORGANISATIONS
    from stiwatch.indicators.applicants import entry_registry
    from stiwatch.institutions.matcher import Matcher

    snapshots = write_demo_lists(tmp_path)
    assert [snap.path.parent.name for snap in snapshots] == [LIST_ID, COMPANY_LIST_ID]
    _, entries = read_entries(snapshots[1].path / "list.csv")
    rows = [
        {
            "entry_id": str(n),
            "name": e["name"],
            "aliases": "; ".join(e["aliases"]),
            "country_code": e["country"],
        }
        for n, e in enumerate(entries)
    ]
    matcher = Matcher(entry_registry(rows))
    matched = {
        org.name: rows[int(match.ror_id)]["name"]
        for org in ORGANISATIONS
        if (match := matcher.resolve(org.han_name, org.country, organisation_first=True)).resolved
    }
    # The demo's Chinese Huawei arm (han_name HUAWEI) by alias; its German arm is in another country.
    assert matched == {"HUAWEI TECHNOLOGIES CO LTD": "Huawei Technologies Co., Ltd."}
