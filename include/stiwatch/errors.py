"""The one family of errors for bad input: a delivered file or record we cannot (or must not) read.

Every parser and the landing checks raise a subclass of ``DataError`` whose message names the file, the
record (line, record number or value) and what to do. Callers treat only this family as bad data: the
CLI prints the message on one line, the ingest DAG fails the task without retries (retrying cannot fix a
file). Any other exception is a bug or an environment problem and keeps its traceback.

A subclass of ValueError, so code and tests that expect a ValueError for bad input keep working.
"""

from __future__ import annotations


class DataError(ValueError):
    """Bad input data; the message names the file, the record and what to do."""
