"""Where the project's command-line tools are: beside the running interpreter, in the project venv.

A subprocess must run the dbt or airflow of the environment that runs stiwatch (the pinned versions), not
whatever comes first on PATH; PATH is the fallback for an install without that layout.
"""

from __future__ import annotations

import sys
from pathlib import Path


def venv_executable(name: str) -> str:
    """The path of ``name`` beside ``sys.executable`` when it exists there, else the bare name."""
    candidate = Path(sys.executable).with_name(name)
    return str(candidate) if candidate.exists() else name
