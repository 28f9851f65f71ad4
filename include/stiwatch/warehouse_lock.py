"""One writer of ``warehouse.duckdb`` at a time, even across kills: an advisory lock beside the file.

Every writer of the warehouse is a dbt process started through ``stiwatch.dbt_child`` (the CLI, the quality
step's ``dq_results`` build, the transform DAG's Cosmos tasks, dbt docs), and that wrapper takes this lock
before it becomes dbt. The lock is ``flock`` on ``<warehouse>.writer.lock``, which records the holder's pid,
start time and command. The kernel releases a ``flock`` when its holder dies, however it dies, so a lock
file left by a killed writer is stale by construction: the next writer gets the lock at once and overwrites
the record. A live holder makes the next writer wait (``STIWATCH_WAREHOUSE_LOCK_WAIT`` seconds), then fail
with a message naming the holder.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

LOCK_SUFFIX = ".writer.lock"
_POLL_SECONDS = 0.5


class WarehouseLockedError(RuntimeError):
    """Another live process writes the warehouse; the message names it and what to do."""


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + LOCK_SUFFIX)


def _command_of(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return " ".join(part.decode("utf-8", "replace") for part in raw.split(b"\0") if part)[:200]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def holder(warehouse: Path) -> dict[str, object] | None:
    """What the lock file records about its last holder (pid, since, command), or None without a record."""
    try:
        record = json.loads(lock_path(warehouse).read_text(encoding="utf-8") or "null")
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _describe_holder(warehouse: Path) -> str:
    record = holder(warehouse)
    if record is None or not isinstance(record.get("pid"), int):
        return "a process that has not recorded itself yet"
    pid = int(record["pid"])
    state = "running" if _alive(pid) else "no longer running; a child that inherited the lock may hold it"
    return f"pid {pid} ({state}) since {record.get('since')}: {record.get('command') or _command_of(pid)}"


def acquire(warehouse: Path, wait_seconds: float) -> int:
    """Take the writer lock; return its file descriptor (the lock lasts as long as it is open, also across
    ``exec``). Waits up to ``wait_seconds`` for a live holder, then raises ``WarehouseLockedError``."""
    path = lock_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + max(wait_seconds, 0.0)
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                os.close(fd)
                raise WarehouseLockedError(
                    f"{warehouse}: another writer holds {path}: {_describe_holder(warehouse)}. Waited "
                    f"{wait_seconds:g}s (STIWATCH_WAREHOUSE_LOCK_WAIT). Let it finish, or stop that process "
                    "and run again; never delete the lock file while its holder runs"
                ) from None
            time.sleep(min(_POLL_SECONDS, remaining))
    # Ours now: whatever the file says is a dead holder's record (the kernel dropped its lock).
    record = {
        "pid": os.getpid(),
        "since": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "command": _command_of(os.getpid()),
    }
    os.ftruncate(fd, 0)
    os.pwrite(fd, (json.dumps(record) + "\n").encode("utf-8"), 0)
    return fd
