"""Command line of the benchmark: ``python -m stiwatch.bench [--records N] [--keep] [--no-transform]``.

The run happens in a fresh temporary data root (or ``--root``, e.g. with a landing zone generated before)
so the user's landing, lake and warehouse are untouched; only the JSON result is written to
``$STIWATCH_DATA_DIR/reports/bench/``. ``--rerun-delta ROOT`` repeats the delta stages on a kept root.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from stiwatch import demo
from stiwatch.bench.report import format_table, write_result
from stiwatch.bench.run import rerun_delta, run_benchmark
from stiwatch.config import Settings, usable_cpus

# A few minutes on 2 cores (the 200k run took 2 min after its 7 min of generation; docs/BENCHMARKS.md).
DEFAULT_RECORDS = 50_000


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m stiwatch.bench", description=__doc__)
    parser.add_argument("--records", type=int, default=DEFAULT_RECORDS, help="records per source")
    parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
    parser.add_argument("--keep", action="store_true", help="keep the temporary data root and print its path")
    parser.add_argument(
        "--no-transform", action="store_true", help="stop after the ingest (no institutions, dbt, publish)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=usable_cpus(),
        help="processes writing demo files and ingesting files at once (default: usable CPUs)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--root", type=Path, help="data root to use and keep (snapshots already landed there are reused)"
    )
    where.add_argument(
        "--rerun-delta",
        type=Path,
        metavar="ROOT",
        help="on a root kept by an earlier run: undo the OpenAlex delta and run its stages again",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    user_settings = Settings.from_env()
    given = args.root or args.rerun_delta
    root = given.resolve() if given else Path(tempfile.mkdtemp(prefix="stiwatch-bench-"))
    keep = args.keep or given is not None
    bench_settings = dataclasses.replace(
        user_settings, data_dir=root, warehouse_path=root / "warehouse.duckdb"
    )
    try:
        if args.rerun_delta:
            result = rerun_delta(bench_settings, args.workers)
        else:
            result = run_benchmark(
                bench_settings, args.records, args.seed, transform=not args.no_transform, workers=args.workers
            )
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    result["data_dir_kept"] = keep
    path = write_result(result, user_settings.reports_dir, datetime.now(UTC))
    print(format_table(result))
    print(f"\nresult: {path}" + (f"\ndata root kept: {root}" if keep else ""))
    return 1 if result["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
