"""The one family of errors for bad input: a delivered file or record we cannot (or must not) read.

Every parser and the landing checks raise a subclass of ``DataError`` whose message names the file, the
record (line, record number or value) and what to do. Callers treat only this family as bad data: the
CLI prints the message on one line, the ingest DAG fails the task without retries (retrying cannot fix a
file). Any other exception is a bug or an environment problem and keeps its traceback.

A subclass of ValueError, so code and tests that expect a ValueError for bad input keep working.

``StorageError`` is its sibling for the disk: a full disk, a read-only or forbidden path, named in words
with the path, not as a traceback (it is retried by the DAGs: space can be freed).
"""

from __future__ import annotations

import errno
import os


class DataError(ValueError):
    """Bad input data; the message names the file, the record and what to do."""


# errno -> what it means for a data engineer; matched in DuckDB's messages too (they carry the text only).
_STORAGE_PROBLEMS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
}


class StorageError(RuntimeError):
    """The disk refused a write (full, read-only, no permission); not bad data: fix the disk and re-run."""


def storage_problem(exc: BaseException) -> str | None:
    """What ``exc`` says about the disk in plain words, or None when it is no storage problem."""
    if isinstance(exc, OSError) and exc.errno in _STORAGE_PROBLEMS:
        return _STORAGE_PROBLEMS[exc.errno]
    text = str(exc)
    return next((words for code, words in _STORAGE_PROBLEMS.items() if os.strerror(code) in text), None)


def storage_error(exc: BaseException, problem: str, writing: str, reading: object) -> StorageError:
    where = getattr(exc, "filename", None) or writing
    return StorageError(
        f"cannot write {where}: {problem} (while ingesting {reading}). Free space, or make {writing} "
        "writable, then re-run: nothing half-written was published"
    )
