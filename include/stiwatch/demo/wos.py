"""A demo Web of Science snapshot in the real export formats.

Three files, as a user exporting in batches would deliver them: two field-tagged files (the first plain,
the second gzipped) and one tab-delimited full-record file (71-field header, UTF-8 BOM, CRLF, gzipped).
Consecutive files share a few UTs, as overlapping export batches do; the truth lists each UT once.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from pathlib import Path

from stiwatch.demo.files import open_text
from stiwatch.demo.model import Paper, make_author, make_paper, paper_rng
from stiwatch.demo.truth import UNKNOWN, TruthWriter

SOURCE = "wos"
# The 71-field header of a full-record tab-delimited export, in the order WoS writes it.
_TAB_HEADER = (
    "PT AU BA BE GP AF BF CA TI SO SE BS LA DT CT CY CL SP HO DE ID AB C1 C3 RP EM RI OI FU FP FX CR NR TC "
    "Z9 U1 U2 PU PI PA SN EI BN J9 JI PD PY VL IS PN SU SI MA BP EP AR DI DL D2 EA PG WC WE SC GA PM OA HC "
    "HP DA UT"
)
TAB_FIELDS = tuple(_TAB_HEADER.split())
FILES = ("savedrecs_01.txt", "savedrecs_02.txt.gz", "savedrecs_03.txt.gz")  # tagged, tagged, tab-delimited
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_WRAPPED = {"TI", "DE", "ID", "C3", "WC", "SC"}  # tags the WoS tagged export wraps at about 70 characters


def ut(seed: int, index: int) -> str:
    return f"WOS:001{seed % 1000:03d}{index:09d}"


def _c1(paper: Paper) -> list[str]:
    out = []
    for addr in paper.addresses:
        where = addr.institution.wos_address
        if paper.c1_has_author_groups:
            where = f"[{'; '.join(a.full for a in addr.authors)}] {where}"
        out.append(where)
    return out


def fields(paper: Paper, seed: int, export_date: str) -> dict[str, list[str]]:
    """The tag -> values of one record (several values = one per line in tagged, '; '-joined in tab)."""
    rng = paper_rng(seed, "wos-render", paper.index)
    # A record exported without addresses still has its authors.
    authors = paper.authors or (make_author(rng, "OTHER"), make_author(rng, "EU"))
    month = rng.choice(MONTHS)
    first_page = rng.randint(1, 2000)
    method_task = paper.title.split(" for ")
    rec: dict[str, list[str]] = {
        "PT": ["J"],
        "AU": [a.short for a in authors],
        "AF": [a.full for a in authors],
        "TI": [paper.title],
        "SO": [paper.journal],
        "LA": ["English"],
        "DT": ["Article"],
        "DE": ["; ".join(s.lower() for s in method_task)],
        "ID": ["NETWORKS; OPTIMIZATION"],
        "AB": [f"We study {paper.title.lower()}. Experiments on public benchmarks show consistent gains."],
        "C1": _c1(paper),
        "C3": ["; ".join(a.institution.openalex_name for a in paper.addresses)] if paper.addresses else [],
        "RP": [f"{authors[0].short} (corresponding author), {paper.addresses[0].institution.wos_address}."]
        if paper.addresses
        else [],
        "EM": [f"{authors[0].full.split(', ')[0].lower().replace(' ', '')}@example.org"],
        "NR": [str(rng.randint(10, 80))],
        "TC": [str(tc := rng.randint(0, 300))],
        "Z9": [str(tc + rng.randint(0, 5))],
        "U1": [str(rng.randint(0, 20))],
        "U2": [str(rng.randint(0, 60))],
        "PU": ["ELSEVIER"],
        "PI": ["AMSTERDAM"],
        "PA": ["RADARWEG 29, 1043 NX AMSTERDAM, NETHERLANDS"],
        "SN": [f"{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"],
        "J9": [paper.journal[:20].strip()],
        "PD": [month],
        "PY": [] if paper.year_from_early_access else [str(paper.year)],
        "VL": [str(paper.year - 1990)],
        "BP": [str(first_page)],
        "EP": [str(first_page + rng.randint(5, 20))],
        "DI": [f"10.5555/demo.wos.{seed}.{paper.index}"],
        "EA": [f"{month} {paper.year}"] if paper.year_from_early_access else [],
        "PG": [str(rng.randint(6, 21))],
        "WC": ["; ".join(wc for wc, _ in paper.wos_categories)],
        "WE": ["Science Citation Index Expanded (SCI-EXPANDED)"],
        "SC": ["; ".join(dict.fromkeys(sc for _, sc in paper.wos_categories))],
        "GA": [f"{rng.randint(0, 0xFFFFF):05X}"],
        "UT": [ut(seed, paper.index)],
        "DA": [export_date],
    }
    return {tag: values for tag, values in rec.items() if values}


def _tagged(rec: dict[str, list[str]]) -> str:
    lines = []
    for tag, values in rec.items():
        if tag == "C1":
            values = [f"{v}." for v in values]  # tagged C1 lines end with a full stop
        if tag in _WRAPPED:
            values = textwrap.wrap(values[0], 70, break_long_words=False, break_on_hyphens=False)
        lines.append(f"{tag} {values[0]}")
        lines.extend(f"   {v}" for v in values[1:])
    return "\n".join(lines) + "\nER\n\n"


def _tab(rec: dict[str, list[str]]) -> str:
    return "\t".join("; ".join(rec.get(tag, [])) for tag in TAB_FIELDS) + "\n"


def file_ranges(records: int) -> list[range]:
    """Index ranges of the three files; each file repeats the last few records of the previous one."""
    overlap = min(5, records // 10)
    cut1, cut2 = records // 3, 2 * records // 3
    return [range(0, cut1), range(max(cut1 - overlap, 0), cut2), range(max(cut2 - overlap, 0), records)]


TruthRow = tuple[str, int, bool, list[tuple[str, int]]]  # TruthWriter.add arguments


def write_file(folder: Path, records: int, seed: int, export_date: str, file_index: int) -> list[TruthRow]:
    """Write export file ``FILES[file_index]``; return the truth rows of the records it holds first (the
    few it repeats from the previous file are that file's). Files are independent: parallel processes can
    write them."""
    name = FILES[file_index]
    ranges = file_ranges(records)
    first_new = ranges[file_index - 1].stop if file_index else 0
    tab = name == FILES[2]
    truth: list[TruthRow] = []
    with open_text(folder / name, newline="\r\n" if tab else "\n") as out:
        out.write("\ufeff")
        out.write("\t".join(TAB_FIELDS) + "\n" if tab else "FN Clarivate Analytics Web of Science\nVR 1.0\n")
        for paper in _papers(seed, ranges[file_index]):
            rec = fields(paper, seed, export_date)
            out.write(_tab(rec) if tab else _tagged(rec))
            if paper.index >= first_new:
                truth.append(_truth_row(paper, seed))
        if not tab:
            out.write("EF")
    return truth


def _truth_row(paper: Paper, seed: int) -> TruthRow:
    pairs = [
        (a.institution.iso2 or UNKNOWN, len(a.authors) if paper.c1_has_author_groups else 1)
        for a in paper.addresses
    ]
    return ut(seed, paper.index), paper.year, paper.in_scope, pairs


def finish_snapshot(folder: Path, seed: int, export_date: str) -> None:
    """After every file: ``_snapshot.json``."""
    (folder / "_snapshot.json").write_text(
        json.dumps({"as_of": export_date, "description": f"synthetic demo WoS export (seed {seed})"}) + "\n",
        encoding="utf-8",
    )


def write_snapshot(folder: Path, records: int, seed: int, export_date: str, truth: TruthWriter) -> list[str]:
    """The whole export in this process (``stiwatch.demo.generate`` writes the files in parallel)."""
    for file_index in range(len(FILES)):
        for row in write_file(folder, records, seed, export_date, file_index):
            truth.add(*row)
    finish_snapshot(folder, seed, export_date)
    return list(FILES)


def _papers(seed: int, indices: range) -> Iterator[Paper]:
    return (make_paper(seed, SOURCE, i) for i in indices)
