"""The Spark tests need a Java runtime (pyspark starts a JVM): .ci/run installs one when it is missing."""

from __future__ import annotations

import os
import shutil

import pytest


@pytest.fixture(scope="session")
def java() -> str:
    found = shutil.which("java")
    if found is None:
        reason = "no java on PATH (Debian: apt-get install openjdk-17-jre-headless)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    return found
