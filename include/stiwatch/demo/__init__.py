"""Deterministic demo data in the real delivery formats: Web of Science exports, an OpenAlex snapshot
and a PATSTAT edition.

``generate`` writes one snapshot per source into the landing zone; the publication snapshots carry the
generator's own answer key (``_truth.csv.gz``) beside the data. The same seed and size give byte-identical
files.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from stiwatch.demo import openalex, patstat, wos
from stiwatch.demo.files import staged_snapshot
from stiwatch.demo.truth import truth_writer

log = logging.getLogger(__name__)

DEFAULT_RECORDS = 2000
DEFAULT_SEED = 42
SNAPSHOT_IDS = {"wos": "2025-01-15_demo", "openalex": "2025-01-08_demo", "patstat": "2023_autumn"}


@dataclass(frozen=True)
class DemoSnapshot:
    source: str
    path: Path
    created: bool  # False: it already existed and was left alone


def generate(
    landing_dir: Path, records: int = DEFAULT_RECORDS, seed: int = DEFAULT_SEED
) -> list[DemoSnapshot]:
    """Write the demo snapshots (``records`` unique records or patent families per source); skip any that
    already exist."""
    if records < 1:
        raise ValueError(f"records must be at least 1 (got {records})")
    out = []
    for source, snapshot_id in SNAPSHOT_IDS.items():
        final = landing_dir / source / snapshot_id
        if final.exists():
            log.info("demo snapshot %s exists; delete it to regenerate", final)
            out.append(DemoSnapshot(source, final, created=False))
            continue
        if source == "patstat":
            with staged_snapshot(final) as folder:
                # The edition generator lays out <root>/patstat/<id>/; root it in the hidden staging folder.
                built = patstat.generate_edition(folder, snapshot_id, n_families=records, seed=seed)
                for item in built.iterdir():
                    item.rename(folder / item.name)
                (folder / "patstat").joinpath(snapshot_id).rmdir()
                (folder / "patstat").rmdir()
        else:
            with staged_snapshot(final) as folder, truth_writer(folder) as truth:
                if source == "wos":
                    wos.write_snapshot(folder, records, seed, SNAPSHOT_IDS["wos"][:10], truth)
                else:
                    openalex.write_snapshot(folder, records, seed, truth)
        out.append(DemoSnapshot(source, final, created=True))
    return out
