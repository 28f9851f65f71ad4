"""``make bench``: generate deterministic demo data and time every pipeline stage over it.

Run ``python -m stiwatch.bench --help``. Results and how to read them: docs/BENCHMARKS.md.
"""

from __future__ import annotations

from stiwatch.bench.run import run_benchmark

__all__ = ["run_benchmark"]
