"""The one error type of the WoS ingest: its message names the file, the line or record, and what to do."""

from __future__ import annotations

from stiwatch.errors import DataError


class WosFormatError(DataError):
    """A landing file that cannot be read as a Web of Science export."""
