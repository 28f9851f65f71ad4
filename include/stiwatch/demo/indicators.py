"""The demo indicator lists, from public facts, in the documented CSV: the "Seven Sons of National Defence"
(universities, for co-publications) and a few Chinese companies publicly named on the US DoD "1260H" list of
Chinese military companies (for co-patents: the demo PATSTAT edition has Huawei co-filing with TUM).

The seven universities are publicly described as the "Seven Sons of National Defence" (overseen by China's
Ministry of Industry and Information Technology, with close ties to the defence industry); the ROR ids are
those of the ROR registry (checked against ../shared/data/ror by tests/demo/test_indicator_list.py). This is
no official government list: it is shipped so that ``make run`` shows the watch list; land an official list
beside it (README "Watch list"). Neither copies a compilation: a handful of public names each. Written once;
an existing version folder is left alone.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from stiwatch.demo import DemoSnapshot
from stiwatch.demo.files import open_text, staged_snapshot
from stiwatch.indicators.formats import STIWATCH_COLUMNS

LIST_ID = "seven_sons_demo"
VERSION_ID = "2025-01-01_demo"
SOURCE_URL = "https://en.wikipedia.org/wiki/Seven_Sons_of_National_Defence"
NOTE = "Seven Sons of National Defence (public description; not an official government list)"
# (name, aliases, ROR id)
UNIVERSITIES = (
    ("Harbin Institute of Technology", "HIT", "01yqg2h08"),
    ("Beihang University", "Beijing University of Aeronautics and Astronautics; BUAA", "00wk2mp56"),
    ("Beijing Institute of Technology", "BIT", "01skt4w74"),
    ("Northwestern Polytechnical University", "NWPU", "01y0j0j86"),
    ("Harbin Engineering University", "HEU", "03x80pn82"),
    ("Nanjing University of Aeronautics and Astronautics", "NUAA", "01scyh794"),
    ("Nanjing University of Science and Technology", "NJUST", "00xp9wg62"),
)

COMPANY_LIST_ID = "military_companies_demo"
COMPANY_SOURCE_URL = "https://www.defense.gov/News/Releases/"
COMPANY_NOTE = "publicly named on the US DoD 1260H list (demo subset; land the official list for real use)"
# (name, aliases): names as the companies publish them; matched to PATSTAT applicants by name.
COMPANIES = (
    ("Huawei Technologies Co., Ltd.", "Huawei"),
    ("Hangzhou Hikvision Digital Technology Co., Ltd.", "Hikvision"),
    ("China Electronics Technology Group Corporation", "CETC"),
)


def write_demo_lists(landing_dir: Path) -> list[DemoSnapshot]:
    """Both demo lists (universities, companies), each written once."""
    companies = [
        {"name": name, "aliases": aliases, "country": "CN", "ror_id": "", "category": "company",
         "listed_on": "", "delisted_on": "", "source_url": COMPANY_SOURCE_URL, "notes": COMPANY_NOTE}
        for name, aliases in COMPANIES
    ]  # fmt: skip
    return [write_demo_list(landing_dir), _write_list(landing_dir, COMPANY_LIST_ID, companies, COMPANY_NOTE)]


def write_demo_list(landing_dir: Path) -> DemoSnapshot:
    """Write ``landing/indicators/seven_sons_demo/2025-01-01_demo/list.csv`` unless it exists."""
    universities = [
        {"name": name, "aliases": aliases, "country": "CN", "ror_id": ror_id, "category": "university",
         "listed_on": "", "delisted_on": "", "source_url": SOURCE_URL, "notes": NOTE}
        for name, aliases, ror_id in UNIVERSITIES
    ]  # fmt: skip
    return _write_list(landing_dir, LIST_ID, universities, NOTE)


def _write_list(landing_dir: Path, list_id: str, rows: list[dict[str, str]], note: str) -> DemoSnapshot:
    final = landing_dir / "indicators" / list_id / VERSION_ID
    if final.exists():
        return DemoSnapshot("indicators", final, created=False)
    with staged_snapshot(final) as folder:
        with open_text(folder / "list.csv", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=STIWATCH_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        meta = {"as_of": VERSION_ID[:10], "description": f"demo indicator list: {note}"}
        (folder / "_snapshot.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return DemoSnapshot("indicators", final, created=True)
