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

# file name -> (CN+EU27/AC, CN+US, EU27/AC+US), copied from PROVENANCE.md
PROVENANCE = {
    "scientopy_wos_2026_04_02_1000.txt.gz": (15, 12, 22),
    "scientopy_wos_2026_04_02_4000.txt.gz": (9, 18, 18),
    "scientopy_wos_2026_04_02_4071.txt": (2, 1, 1),
    "lamatawk_alldb_130.txt": (1, 1, 2),
    "lamatawk_alldb_217.txt": (1, 3, 2),
    "lamatawk_alldb_283.txt": (11, 3, 15),
    "lamatawk_alldb_390.txt": (4, 8, 9),
    "lamatawk_alldb_68.txt": (2, 2, 4),
    "lamatawk_savedrecs_tab_no_addresses.txt.gz": (0, 0, 0),
    "wosanalysis_2.txt.gz": (12, 11, 22),
    "wo1dnr5_savedrecs.txt.gz": (14, 12, 9),
    "wo1dnr5_savedrecs-2.txt.gz": (7, 11, 11),
    "xzy_data_3.txt.gz": (18, 14, 23),
    "xzy_data_4.txt.gz": (16, 16, 35),
    "xzy_data_6.txt.gz": (7, 5, 20),
    "xzy_data_7.txt.gz": (13, 11, 17),
    "xzy_data_8.txt.gz": (7, 5, 13),
    "metaknowledge_ManyAuthors.isi.gz": (4, 2 + 1, 24 + 2),
    "blacksilicon_savedrecs.txt.gz": (13, 11, 17),
    "openalexpro_json_chunk_2_results_page_1.json": (0, 0, 2),
    "openalexpro_jsonl_chunk_2_results_page_1.jsonl": (0, 0, 2),
    "openalexpro_json_chunk_3_results_page_1.json": (0, 1, 1),
    "openalexpro_jsonl_chunk_3_results_page_1.jsonl": (0, 1, 1),
    "openalexpro_json_chunk_4_results_page_1.json": (1, 0, 0),
    "mearman_works_q2.json.gz": (0, 1, 2),
    "mearman_works_q3.json.gz": (0, 0, 4),
    "herreio_tu9_books_2017_2022.json.gz": (4, 1, 48),
}


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
        if path.name not in PROVENANCE:
            continue  # a file added to shared/ later: covered by the mart comparison instead
        reader = wos_papers if "wos" in path.parts else openalex_papers
        assert _pair_counts(reader([path])) == PROVENANCE[path.name], path.name
        checked += 1
    if checked == 0:
        pytest.fail(f"none of the files listed in PROVENANCE.md were found under {shared_data}")
