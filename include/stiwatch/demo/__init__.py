"""Deterministic demo data in the real delivery formats: Web of Science exports, an OpenAlex snapshot
and a PATSTAT edition.

``generate`` writes one snapshot per source into the landing zone; the publication snapshots carry the
generator's own answer key (``_truth.csv.gz``) beside the data. The same seed and size give byte-identical
files.
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from stiwatch.config import usable_cpus
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
    landing_dir: Path, records: int = DEFAULT_RECORDS, seed: int = DEFAULT_SEED, workers: int | None = None
) -> list[DemoSnapshot]:
    """Write the demo snapshots (``records`` unique records or patent families per source); skip any that
    already exist. The sources are written by ``workers`` processes at once (default: one per usable CPU,
    at most one per source); each source's bytes do not depend on how many ran beside it."""
    if records < 1:
        raise ValueError(f"records must be at least 1 (got {records})")
    missing = []
    out = {}
    for source, snapshot_id in SNAPSHOT_IDS.items():
        final = landing_dir / source / snapshot_id
        if final.exists():
            log.info("demo snapshot %s exists; delete it to regenerate", final)
            out[source] = DemoSnapshot(source, final, created=False)
        else:
            missing.append(source)
    workers = min(workers or usable_cpus(), len(missing))
    if workers <= 1:
        for source in missing:
            _write_source(landing_dir, source, records, seed)
    else:
        # spawn, not fork: the caller may hold DuckDB or Airflow threads that a forked child would copy.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for future in [pool.submit(_write_source, landing_dir, s, records, seed) for s in missing]:
                future.result()
    for source in missing:
        out[source] = DemoSnapshot(source, landing_dir / source / SNAPSHOT_IDS[source], created=True)
    return [out[source] for source in SNAPSHOT_IDS]


def _write_source(landing_dir: Path, source: str, records: int, seed: int) -> None:
    """Write one source's demo snapshot, staged and renamed into place."""
    snapshot_id = SNAPSHOT_IDS[source]
    final = landing_dir / source / snapshot_id
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
