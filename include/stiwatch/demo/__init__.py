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
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from stiwatch.demo import openalex, patstat, wos
from stiwatch.demo.files import staged_snapshot
from stiwatch.demo.truth import truth_writer
from stiwatch.duckdb_resources import usable_cpus

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
    already exist.

    The files are written by ``workers`` processes (default: one per usable CPU): each WoS export file,
    each OpenAlex partition and the PATSTAT edition is a task of its own, and a file's bytes do not depend
    on which process wrote it or in which order. The answer keys are then written here in record order.
    """
    if records < 1:
        raise ValueError(f"records must be at least 1 (got {records})")
    out = {}
    missing = []
    for source, snapshot_id in SNAPSHOT_IDS.items():
        final = landing_dir / source / snapshot_id
        out[source] = DemoSnapshot(source, final, created=not final.exists())
        if final.exists():
            log.info("demo snapshot %s exists; delete it to regenerate", final)
        else:
            missing.append(source)
    with ExitStack() as stack:
        folders = {s: stack.enter_context(staged_snapshot(out[s].path)) for s in missing}
        tasks = {
            (source, part): args
            for source in missing
            for part, args in _tasks(source, folders[source], records, seed).items()
        }
        results = _run(tasks, workers or usable_cpus())
        for source in missing:
            _finish(source, folders[source], records, seed, results)
    return [out[source] for source in SNAPSHOT_IDS]


def _tasks(source: str, folder: Path, records: int, seed: int) -> dict[int, tuple]:
    """The independent pieces of one source: (function, arguments) per file or partition."""
    if source == "wos":
        export_date = SNAPSHOT_IDS["wos"][:10]
        return {i: (wos.write_file, folder, records, seed, export_date, i) for i in range(len(wos.FILES))}
    if source == "openalex":
        return {
            p: (openalex.write_partition, folder, records, seed, p)
            for p in range(len(openalex.UPDATED_DATES))
        }
    return {0: (_write_patstat, folder, records, seed)}


def _run(tasks: dict[tuple[str, int], tuple], workers: int) -> dict[tuple[str, int], object]:
    if workers <= 1 or len(tasks) <= 1:
        return {key: fn(*args) for key, (fn, *args) in tasks.items()}
    # spawn, not fork: the caller may hold DuckDB or Airflow threads that a forked child would copy.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=context) as pool:
        futures = {key: pool.submit(fn, *args) for key, (fn, *args) in tasks.items()}
        return {key: future.result() for key, future in futures.items()}


def _finish(
    source: str, folder: Path, records: int, seed: int, results: dict[tuple[str, int], object]
) -> None:
    """Write what needs every piece of a source: the answer key in record order, manifests, metadata."""
    if source == "patstat":
        return
    parts = sorted(key[1] for key in results if key[0] == source)
    with truth_writer(folder) as truth:
        if source == "wos":
            for part in parts:
                for row in results[source, part]:
                    truth.add(*row)
            wos.finish_snapshot(folder, seed, SNAPSHOT_IDS["wos"][:10])
        else:
            entries = []
            for part in parts:
                part_entries, rows = results[source, part]
                entries.extend(part_entries)
                for row in rows:
                    truth.add(*row)
            openalex.finish_snapshot(folder, records, seed, entries)


def generate_openalex_delta(
    landing_dir: Path, records: int = DEFAULT_RECORDS, seed: int = DEFAULT_SEED
) -> DemoSnapshot:
    """Write the OpenAlex delta on top of the demo snapshot of the same ``records`` and ``seed``
    (``landing_dir/openalex/<DELTA_SNAPSHOT_ID>``); leave it alone if it exists."""
    final = landing_dir / openalex.SOURCE / openalex.DELTA_SNAPSHOT_ID
    if final.exists():
        return DemoSnapshot(openalex.SOURCE, final, created=False)
    with staged_snapshot(final) as folder, truth_writer(folder) as truth:
        openalex.write_delta(folder, records, seed, SNAPSHOT_IDS["openalex"], truth)
    return DemoSnapshot(openalex.SOURCE, final, created=True)


def _write_patstat(folder: Path, records: int, seed: int) -> None:
    snapshot_id = SNAPSHOT_IDS["patstat"]
    # The edition generator lays out <root>/patstat/<id>/; root it in the hidden staging folder.
    built = patstat.generate_edition(folder, snapshot_id, n_families=records, seed=seed)
    for item in built.iterdir():
        item.rename(folder / item.name)
    (folder / "patstat").joinpath(snapshot_id).rmdir()
    (folder / "patstat").rmdir()
