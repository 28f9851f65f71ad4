"""The generator's answer key: what each unique record *is*, computed from the generator's own inputs.

Written beside the demo snapshot as ``_truth.csv.gz`` (names starting with '_' are not data files, so
ingest ignores it). Tests compare the pipeline's marts with counts over this file, never with the
pipeline's own output. One row per record that should count (WoS: unique UT; OpenAlex: latest version,
merged-away ids left out):

    record_id, pub_year, in_scope, affiliations

``affiliations`` is ``;``-joined ``ISO2:n_authors`` pairs (``UNKNOWN`` for an unmappable country); empty
when the record has no addresses.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from stiwatch.demo.files import open_text

TRUTH_FILE = "_truth.csv.gz"
UNKNOWN = "UNKNOWN"


@dataclass(frozen=True)
class TruthRecord:
    record_id: str
    pub_year: int
    in_scope: bool
    affiliations: tuple[tuple[str, int], ...]

    @property
    def countries(self) -> frozenset[str]:
        return frozenset(country for country, _ in self.affiliations)


class TruthWriter:
    def __init__(self, text: io.TextIOBase) -> None:
        self._csv = csv.writer(text, lineterminator="\n")
        self._csv.writerow(["record_id", "pub_year", "in_scope", "affiliations"])

    def add(self, record_id: str, pub_year: int, in_scope: bool, affiliations: list[tuple[str, int]]) -> None:
        cell = ";".join(f"{country}:{n}" for country, n in affiliations)
        self._csv.writerow([record_id, pub_year, "true" if in_scope else "false", cell])


@contextmanager
def truth_writer(snapshot_dir: Path) -> Iterator[TruthWriter]:
    with open_text(snapshot_dir / TRUTH_FILE) as text:
        yield TruthWriter(text)


def read_truth(snapshot_dir: Path) -> Iterator[TruthRecord]:
    with gzip.open(snapshot_dir / TRUTH_FILE, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            pairs = tuple(
                (country, int(n))
                for country, n in (p.split(":") for p in row["affiliations"].split(";") if p)
            )
            yield TruthRecord(row["record_id"], int(row["pub_year"]), row["in_scope"] == "true", pairs)
