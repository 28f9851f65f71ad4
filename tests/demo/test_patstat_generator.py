"""The PATSTAT generator: deterministic, EPO layout, and every edge case the marts must handle.

Facts are checked on the written CSV files with the csv module (not on the generator's internals).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from stiwatch.demo.patstat import generate_edition
from stiwatch.sources.patstat.schema import SCHEMA_COLUMNS


def _rows(edition: Path, number: str) -> dict[str, list[dict[str, str]]]:
    """Rows per part file."""
    parts = {}
    for part in sorted(edition.glob(f"{number}_part*.zip")):
        with zipfile.ZipFile(part) as archive:
            assert archive.namelist() == [part.with_suffix(".csv").name]
            with archive.open(archive.namelist()[0]) as raw:
                parts[part.name] = list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline="")))
    return parts


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_edition(tmp_path_factory.mktemp("landing"), "2023_autumn", n_families=3000, seed=3)


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    first = generate_edition(tmp_path / "a", "2023_autumn", n_families=200, seed=5)
    second = generate_edition(tmp_path / "b", "2023_autumn", n_families=200, seed=5)
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    assert all((first / n).read_bytes() == (second / n).read_bytes() for n in names)


def test_layout_and_as_of(edition: Path) -> None:
    assert json.loads((edition / "_snapshot.json").read_text())["as_of"] == "2023-08-01"
    for table, columns in SCHEMA_COLUMNS.items():
        for rows in _rows(edition, table[:6]).values():
            assert list(rows[0]) == [name for name, _ in columns]


def test_lag_thins_the_last_two_filing_years(edition: Path) -> None:
    families_by_year: dict[str, set] = defaultdict(set)
    for rows in _rows(edition, "tls201").values():
        for row in rows:
            families_by_year[row["appln_filing_year"]].add(row["docdb_family_id"])
    counts = {int(y): len(f) for y, f in families_by_year.items() if y != "9999"}
    trend = (counts[2018] + counts[2019] + counts[2020]) / 3
    assert counts[2022] < 0.6 * trend < counts[2020]
    assert counts[2021] < 0.95 * counts[2020]


def test_edge_cases_present(edition: Path) -> None:
    applications = [r for rows in _rows(edition, "tls201").values() for r in rows]
    persons = {r["person_id"]: r for rows in _rows(edition, "tls206").values() for r in rows}
    link_parts = _rows(edition, "tls207")
    assert any(r["appln_filing_year"] == "9999" for r in applications)
    assert {r["ipr_type"] for r in applications} == {"PI", "UM"}
    assert any(p["person_ctry_code"] == "  " for p in persons.values())
    # an application whose person links are spread over several parts
    parts_of = defaultdict(set)
    for part, rows in link_parts.items():
        for r in rows:
            parts_of[r["appln_id"]].add(part)
    assert any(len(parts) > 1 for parts in parts_of.values())
    # the same group (han_name) applying from a European country and from China on one application
    sides = defaultdict(lambda: defaultdict(set))
    for rows in link_parts.values():
        for r in rows:
            if int(r["applt_seq_nr"]) > 0:
                person = persons[r["person_id"]]
                sides[r["appln_id"]][person["han_name"]].add(person["person_ctry_code"])
    intra = Counter(
        name for app in sides.values() for name, c in app.items() if "CN" in c and c & {"FI", "SE", "DE"}
    )
    assert {"NOKIA", "ERICSSON", "SIEMENS", "HUAWEI"} <= set(intra)
