"""The demo indicator list: the "Seven Sons of National Defence", from public facts, in the documented CSV.

The seven universities are publicly described as the "Seven Sons of National Defence" (overseen by China's
Ministry of Industry and Information Technology, with close ties to the defence industry); the ROR ids are
those of the ROR registry (checked against ../shared/data/ror by tests/demo/test_indicator_list.py). This is
no official government list: it is shipped so that ``make run`` shows the watch list; land an official list
beside it (README "Watch list"). Written once; an existing version folder is left alone.
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


def write_demo_list(landing_dir: Path) -> DemoSnapshot:
    """Write ``landing/indicators/seven_sons_demo/2025-01-01_demo/list.csv`` unless it exists."""
    final = landing_dir / "indicators" / LIST_ID / VERSION_ID
    if final.exists():
        return DemoSnapshot("indicators", final, created=False)
    with staged_snapshot(final) as folder:
        with open_text(folder / "list.csv", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=STIWATCH_COLUMNS, lineterminator="\n")
            writer.writeheader()
            for name, aliases, ror_id in UNIVERSITIES:
                writer.writerow(
                    {"name": name, "aliases": aliases, "country": "CN", "ror_id": ror_id,
                     "category": "university", "listed_on": "", "delisted_on": "", "source_url": SOURCE_URL,
                     "notes": NOTE}
                )  # fmt: skip
        meta = {"as_of": VERSION_ID[:10], "description": f"demo indicator list: {NOTE}"}
        (folder / "_snapshot.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return DemoSnapshot("indicators", final, created=True)
