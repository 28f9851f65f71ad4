"""Peak resident memory of a stage: this process and every child it starts (dbt and Airflow run as
subprocesses), sampled in a background thread.

The peak is the largest *sum* of the tree's RSS at one sample, so a stage that runs dbt counts the Python
parent and the dbt process together. Sampling misses spikes shorter than the interval; 0.2 s is enough for
stages that run for seconds and costs nothing measurable.
"""

from __future__ import annotations

import threading
from types import TracebackType

import psutil

INTERVAL_S = 0.2


def tree_rss(process: psutil.Process) -> int:
    """Bytes resident in ``process`` and all its descendants right now (a child that just exited: 0)."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total


class PeakRss:
    """``with PeakRss() as peak: ...`` then ``peak.bytes``: the largest tree RSS seen while inside."""

    def __init__(self, interval_s: float = INTERVAL_S, pid: int | None = None) -> None:
        self._process = psutil.Process(pid)
        self._interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="peak-rss", daemon=True)
        self.bytes = 0

    def _sample(self) -> None:
        while True:
            self.bytes = max(self.bytes, tree_rss(self._process))
            if self._stop.wait(self._interval_s):
                return

    def __enter__(self) -> PeakRss:
        self.bytes = tree_rss(self._process)
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()
        self.bytes = max(self.bytes, tree_rss(self._process))
