"""Pins the independent reference to numbers published outside this project (shared/data/PROVENANCE.md).

PROVENANCE.md counts, per file, records with CN+EU27/AC, CN+US and EU27/AC+US affiliations using a rough
rule. Our reference follows METHOD.md, which differs in one place: old WoS addresses that end in a US
state and ZIP without "USA" count as US. Only the metaknowledge file (1934-2013) has such addresses, so
its expected values below are PROVENANCE's plus the pairs that rule adds: WOS:A1997YL01500038 (CN-US),
WOS:A1983QA36300018 and WOS:A1987K805100002 (EU27/AC-US), whose only US addresses are of the old form.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .bibliometrics import PAIRS, openalex_papers, wos_papers
from .provenance import OLD_US_ADDRESS_PAIRS, PROVENANCE_PAIRS


def _expected(name: str) -> tuple[int, ...]:
    """PROVENANCE.md's counts plus the pairs METHOD.md's old-US-address rule adds (metaknowledge only)."""
    counts = list(PROVENANCE_PAIRS[name])
    if name == "metaknowledge_ManyAuthors.isi.gz":
        for pair in OLD_US_ADDRESS_PAIRS.values():
            counts[PAIRS.index(pair)] += 1
    return tuple(counts)


def _pair_counts(papers: dict) -> tuple[int, ...]:
    return tuple(sum(1 for p in papers.values() if {a, b} <= p.regions) for a, b in PAIRS)


def _works_files(shared: Path) -> list[Path]:
    wos = [p for p in (shared / "wos").rglob("*") if p.is_file()]
    oa = [
        p
        for folder in ("jsonl", "api_pages", "list_2022_schema")
        for p in (shared / "openalex" / folder).glob("*")
        if p.is_file()
    ]
    return sorted(wos + oa)


def test_reference_reproduces_provenance_pair_counts(shared_data: Path) -> None:
    checked = 0
    for path in _works_files(shared_data):
        if path.name not in PROVENANCE_PAIRS:
            continue  # a file added to shared/ later: covered by the mart comparison instead
        reader = wos_papers if "wos" in path.parts else openalex_papers
        assert _pair_counts(reader([path])) == _expected(path.name), path.name
        checked += 1
    if checked == 0:
        pytest.fail(f"none of the files listed in PROVENANCE.md were found under {shared_data}")
