"""One writer of the warehouse, even after a kill: the lock of ``stiwatch-dbt`` and its parent-death signal.

Real processes throughout: a holder process takes the lock, a second ``stiwatch-dbt`` waits and fails
naming it; the holder is killed with SIGKILL and the next writer takes the stale lock over; a dbt child
started in a session of its own (as Cosmos starts it) dies when its parent is killed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from stiwatch import warehouse_lock
from stiwatch.config import Settings
from stiwatch.dbt_child import LOCKED_EXIT
from stiwatch.dbt_runner import run_dbt
from stiwatch.executables import venv_executable

_HOLD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from stiwatch.warehouse_lock import acquire
    acquire(Path(sys.argv[1]), 0)
    print("held", flush=True)
    time.sleep(120)
    """
)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0): it has exited, only its parent has not reaped it yet.
    status = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].split()[0]
    return status != "Z"


def _wait_gone(pid: int, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def holder(settings: Settings):
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(settings.warehouse_path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def _wrapper(settings: Settings, wait: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "STIWATCH_WAREHOUSE": str(settings.warehouse_path),
        "STIWATCH_WAREHOUSE_LOCK_WAIT": wait,
    }
    return subprocess.run(
        [venv_executable("stiwatch-dbt"), *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_a_second_writer_waits_then_fails_naming_the_holder(
    settings: Settings, holder: subprocess.Popen, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = time.monotonic()
    result = _wrapper(settings, "1.5", "--version")
    waited = time.monotonic() - started
    assert result.returncode == LOCKED_EXIT
    assert f"pid {holder.pid} (running)" in result.stderr
    assert str(warehouse_lock.lock_path(settings.warehouse_path)) in result.stderr
    assert "STIWATCH_WAREHOUSE_LOCK_WAIT" in result.stderr
    assert waited >= 1.5  # it waited the configured time before giving up

    monkeypatch.setenv("STIWATCH_WAREHOUSE_LOCK_WAIT", "0")
    with pytest.raises(warehouse_lock.WarehouseLockedError, match=f"pid {holder.pid}"):
        run_dbt(Settings.from_env(), "--version")


def test_the_lock_of_a_killed_writer_is_taken_over(settings: Settings, holder: subprocess.Popen) -> None:
    record = warehouse_lock.holder(settings.warehouse_path)
    assert record is not None and record["pid"] == holder.pid
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert (
        json.loads(warehouse_lock.lock_path(settings.warehouse_path).read_text())["pid"] == holder.pid
    )  # the dead writer's record is still there: a stale lock

    result = _wrapper(settings, "0", "--version")  # no waiting needed: the kernel released the lock
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Core" in result.stdout or "core" in result.stdout  # dbt ran
    taken_over = warehouse_lock.holder(settings.warehouse_path)
    assert taken_over is not None and taken_over["pid"] not in (holder.pid, os.getpid())


_PARENT = textwrap.dedent(
    """
    import os, subprocess, sys, time
    # As Cosmos starts dbt: a new session (os.setsid), so a kill of the parent's group misses the child.
    child = subprocess.Popen(
        [sys.executable, "-c",
         "from stiwatch.dbt_child import die_with_parent; die_with_parent(); import time; time.sleep(120)"],
        start_new_session=True,
    )
    print(child.pid, flush=True)
    time.sleep(120)
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")
def test_a_dbt_child_in_its_own_session_dies_with_its_killed_parent() -> None:
    parent = subprocess.Popen([sys.executable, "-c", _PARENT], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child_pid = int(parent.stdout.readline())
    time.sleep(1.0)  # let the child reach die_with_parent
    assert _alive(child_pid)
    assert os.getsid(child_pid) != os.getsid(parent.pid)  # truly its own session, like Cosmos' dbt
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    assert _wait_gone(child_pid), "the child outlived its killed parent"


def test_every_dbt_process_starts_through_the_wrapper() -> None:
    """No module launches dbt itself: the runner and the Cosmos operator name stiwatch-dbt."""
    import stiwatch

    package = Path(stiwatch.__file__).parent
    launching = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if 'venv_executable("dbt")' in path.read_text(encoding="utf-8")
    ]
    assert launching == ["dbt_child.py"]
    from stiwatch.dbt_runner import DBT_EXECUTABLE

    assert DBT_EXECUTABLE == "stiwatch-dbt"
    assert Path(venv_executable(DBT_EXECUTABLE)).is_file()
