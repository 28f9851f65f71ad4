"""What the tests use from the machine for real (the shared files, Chromium, docker-compose, Java,
PostgreSQL, Redis): a developer machine without it skips those tests with the reason; under CI=true, where
.ci/run provides every one, its absence fails them."""

from __future__ import annotations

import os
import shutil
from typing import NoReturn

import pytest


def skip_or_fail(reason: str) -> NoReturn:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def required_command(*names: str, missing: str) -> str:
    """The path of the first of ``names`` on PATH; else skip or fail with ``missing`` as the reason."""
    for name in names:
        if found := shutil.which(name):
            return found
    skip_or_fail(missing)
