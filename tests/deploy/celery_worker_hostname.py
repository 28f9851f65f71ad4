"""``[core] hostname_callable`` of the Celery test's workers (tests/deploy/test_celery_workers.py).

Airflow records the worker a task ran on as ``task_instance.hostname`` (by default the machine's FQDN).
In compose every worker container has its own hostname; the test runs two workers on one machine, so each
worker process names itself through its environment. Imported by the workers' task supervisors, with
this folder on their PYTHONPATH.
"""

from __future__ import annotations

import os

WORKER_NAME_VARIABLE = "STIWATCH_TEST_WORKER_NAME"


def from_env() -> str:
    return os.environ[WORKER_NAME_VARIABLE]
