"""Progress of long loops (ingest, API pull): files and records done, rate, time left.

A rich progress bar when stderr is a terminal; plain ``logging`` lines otherwise (Airflow task logs, CI),
at most one every ``LOG_EVERY_SECONDS`` plus a last one. The loops only call ``advance``; the time left is
extrapolated from ``work`` (bytes for an ingest, records for a pull), whichever total the loop knows.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

log = logging.getLogger(__name__)

LOG_EVERY_SECONDS = 15.0


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


class Progress:
    """Counters of one loop and how they are shown."""

    def __init__(self, label: str, total_files: int | None, total_work: int | None, bar: Any = None) -> None:
        self.label = label
        self.total_files = total_files
        self.total_work = total_work
        self.files = self.records = self.work = 0
        self.started = time.monotonic()
        self._last_logged = self.started
        self._bar = bar  # (rich.progress.Progress, task id) or None: log lines
        if bar is not None:
            progress, task_id = bar
            progress.update(task_id, total=total_work, **self._fields())

    def set_total_work(self, total_work: int) -> None:
        """For loops that learn their size on the way (an API pull learns the count from its first page)."""
        self.total_work = total_work
        if self._bar is not None:
            progress, task_id = self._bar
            progress.update(task_id, total=total_work)

    def advance(self, files: int = 0, records: int = 0, work: int = 0) -> None:
        self.files += files
        self.records += records
        self.work += work
        if self._bar is not None:
            progress, task_id = self._bar
            progress.update(task_id, completed=self.work, **self._fields())
        elif time.monotonic() - self._last_logged >= LOG_EVERY_SECONDS:
            self._log()

    def finish(self) -> None:
        if self._bar is None:
            self._log()

    def seconds_left(self) -> float | None:
        if not self.total_work or not self.work:
            return None
        elapsed = time.monotonic() - self.started
        return elapsed * max(self.total_work - self.work, 0) / self.work

    def rate(self) -> float:
        return self.records / max(time.monotonic() - self.started, 1e-9)

    def summary(self) -> str:
        files = f"{self.files}/{self.total_files}" if self.total_files is not None else f"{self.files}"
        left = self.seconds_left()
        return f"{self.label}: {files} files, {self.records:,} records, {self.rate():,.0f} records/s, " + (
            f"about {_duration(left)} left" if left is not None else "time left unknown"
        )

    def _fields(self) -> dict[str, Any]:
        files = f"{self.files}/{self.total_files}" if self.total_files is not None else f"{self.files}"
        return {"files": files, "records": f"{self.records:,}", "rate": f"{self.rate():,.0f}/s"}

    def _log(self) -> None:
        self._last_logged = time.monotonic()
        log.info("%s", self.summary())


@contextmanager
def track(label: str, total_files: int | None = None, total_work: int | None = None) -> Iterator[Progress]:
    """Show the progress of the block: a live bar on a terminal, log lines elsewhere."""
    if not sys.stderr.isatty():
        progress = Progress(label, total_files, total_work)
        yield progress
        progress.finish()
        return
    from rich.console import Console
    from rich.progress import BarColumn, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as RichProgress

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[files]} files, {task.fields[records]} records, {task.fields[rate]}"),
        TimeRemainingColumn(),
    )
    with RichProgress(*columns, console=Console(stderr=True)) as bar:
        task_id = bar.add_task(label, total=total_work, files="0", records="0", rate="0/s")
        yield Progress(label, total_files, total_work, bar=(bar, task_id))
