"""The Spark tests need a Java runtime (pyspark starts a JVM): .ci/run installs one when it is missing."""

from __future__ import annotations

import pytest

from machine_tools import required_command


@pytest.fixture(scope="session")
def java() -> str:
    return required_command(
        "java", missing="no java on PATH (Debian: apt-get install openjdk-17-jre-headless)"
    )
