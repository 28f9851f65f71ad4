"""Reading landed indicator lists: the documented CSV, the Consolidated Screening List export, bad input."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from stiwatch.indicators.formats import IndicatorListError, read_entries
from stiwatch.indicators.resolve import landed_versions

# Two rows in the CSL export's own column layout (a subset of its columns, in its order).
CSL = (
    "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,"
    "end_date,remarks,source_list_url,alt_names,source_information_url\n"
    "1,Entity List (EL) - Bureau of Industry and Security,,Entity,,Example Institute of Technology,,"
    '"1 Road, Beijing, 100000, CN; 2 Road, Xi\'an, CN",85 FR 34495,2020-06-05,,,https://example.org/el,'
    '"EIT; Example Inst Tech",https://example.org/info\n'
    "2,Military End User (MEU) List - Bureau of Industry and Security,,Entity,,Example Aero Corp,,"
    '"Moscow, RU",,2020-12-23,2023-01-01,a remark,,,\n'
)


def test_documented_csv(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "\ufeffname,aliases,country,ror_id,delisted_on\n"
        "Beihang University,BUAA; Beijing Univ Aeronaut & Astronaut,cn,https://ror.org/00wk2mp56,2020\n",
        encoding="utf-8",
    )
    fmt, [entry] = read_entries(path)
    assert fmt == "stiwatch"
    assert entry["aliases"] == ["BUAA", "Beijing Univ Aeronaut & Astronaut"]
    assert (entry["country"], entry["ror_id"]) == ("CN", "https://ror.org/00wk2mp56")
    assert entry["delisted_on"] == date(2020, 1, 1) and entry["listed_on"] is None
    assert entry["record_seq"] == 1


def test_consolidated_screening_list_export(tmp_path: Path) -> None:
    path = tmp_path / "consolidated.csv"
    path.write_text(CSL, encoding="utf-8")
    fmt, entries = read_entries(path)
    assert fmt == "csl"
    first, second = entries
    assert first["name"] == "Example Institute of Technology"
    assert first["aliases"] == ["EIT", "Example Inst Tech"]
    assert first["country"] == "CN"  # the ISO2 code ending the first address
    assert first["category"] == "Entity List (EL) - Bureau of Industry and Security"
    assert (first["listed_on"], first["delisted_on"]) == (date(2020, 6, 5), None)
    assert first["source_url"] == "https://example.org/el" and first["ror_id"] is None
    assert (second["country"], second["delisted_on"], second["notes"]) == ("RU", date(2023, 1, 1), "a remark")
    assert second["source_url"] is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title,country\nX,CN\n", r"no `name` column"),
        ("name,colour\nX,red\n", r"unknown column\(s\) \['colour'\]"),
        ("name,country\nX,China\n", r"data line 1: country 'China' is not an ISO 3166"),
        ("name,ror_id\nX,ror-123\n", r"data line 1: ror_id 'ror-123' is not a ROR id"),
        ("name,listed_on\nX,June 2020\n", r"data line 1: listed_on 'June 2020' is not a date"),
        ('name\nX\n""\n', r"data line 2: empty name"),
    ],
)
def test_bad_lists_name_the_file_line_and_fix(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IndicatorListError, match=message) as error:
        read_entries(path)
    assert str(path) in str(error.value)


def test_versions_of_each_list_are_found(tmp_path: Path) -> None:
    for list_id, version in [("l1", "2024-01-01"), ("l1", "2025-01-01"), ("l2", "2023-05-05_x")]:
        folder = tmp_path / "indicators" / list_id / version
        folder.mkdir(parents=True)
        (folder / "list.csv").write_text("name\nX\n", encoding="utf-8")
    found = [(v.source, v.snapshot_id, v.as_of) for v in landed_versions(tmp_path)]
    assert found == [
        ("l1", "2024-01-01", date(2024, 1, 1)),
        ("l1", "2025-01-01", date(2025, 1, 1)),
        ("l2", "2023-05-05_x", date(2023, 5, 5)),
    ]
