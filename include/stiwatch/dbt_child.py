"""``stiwatch-dbt``: dbt as a child that dies with its parent and holds the warehouse writer lock.

Every dbt process of the pipeline starts through this wrapper (``stiwatch.dbt_runner`` and the Cosmos
tasks of the transform DAG, whose ``dbt_executable_path`` it is). It

1. asks the kernel to kill it when its parent dies (``PR_SET_PDEATHSIG``): Cosmos starts dbt in a session of
   its own (``os.setsid``), so a ``kill -9`` of the refresh's process group would otherwise leave dbt
   running, reparented to PID 1 and still writing, beside the next refresh's writer;
2. takes the warehouse writer lock (``stiwatch.warehouse_lock``; waits up to
   ``STIWATCH_WAREHOUSE_LOCK_WAIT`` seconds for another writer);
3. becomes dbt with ``exec``: same pid, the lock's descriptor and the death signal carry over, so the lock
   lasts exactly as long as dbt runs.

Exit code ``LOCKED_EXIT`` (with the holder named on stderr and stdout) when the lock stayed taken.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys

from stiwatch.config import Settings
from stiwatch.executables import venv_executable
from stiwatch.warehouse_lock import WarehouseLockedError, acquire

LOCKED_EXIT = 75  # EX_TEMPFAIL: try again later
_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Have the kernel SIGKILL this process when its parent exits (Linux; elsewhere a no-op).

    Checked against the parent's pid taken before: a parent that died before the call is not signalled."""
    parent = os.getppid()
    libc_name = ctypes.util.find_library("c")
    if not sys.platform.startswith("linux") or libc_name is None:
        return
    libc = ctypes.CDLL(libc_name, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:
        os._exit(1)


def main() -> int:
    die_with_parent()
    settings = Settings.from_env()
    try:
        fd = acquire(settings.warehouse_path, settings.warehouse_lock_wait)
    except WarehouseLockedError as exc:
        # stdout too: Cosmos and run_dbt show dbt's stdout in their failure messages.
        print(f"stiwatch-dbt: {exc}", flush=True)
        print(f"stiwatch-dbt: {exc}", file=sys.stderr, flush=True)
        return LOCKED_EXIT
    os.set_inheritable(fd, True)
    dbt = venv_executable("dbt")
    os.execvp(dbt, [dbt, *sys.argv[1:]])
    return 1  # not reached: execvp replaces the process or raises


if __name__ == "__main__":
    sys.exit(main())
