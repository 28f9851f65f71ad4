"""The error an OpenAlex landing file raises when it cannot be read (no duckdb: the SPEC re-exports it)."""

from __future__ import annotations

from stiwatch.errors import DataError


class OpenAlexFormatError(DataError):
    """A landing file is not OpenAlex works data we can read; the message names the file and what to do."""
