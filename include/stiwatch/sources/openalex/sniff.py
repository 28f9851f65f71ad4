"""Recognise what kind of OpenAlex file a landing file is, from its content (never its name).

A landing folder may hold snapshot JSON lines, saved API pages, old JSON arrays of works and merged-id
CSVs side by side, with or without gzip. Anything else (a group_by response, another entity, a stray file)
is refused with a message that names the file, says what it looks like and what to do, because reading it
as works would silently produce wrong or empty tables.
"""

from __future__ import annotations

import csv
import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from stiwatch.sources.openalex.errors import OpenAlexFormatError

JSONL = "openalex_jsonl"
API_PAGE = "openalex_api_page"
LIST = "openalex_list"
MERGED_IDS = "openalex_merged_ids"
# A snapshot's `works/manifest`: {"entries": [{"url", "meta": {"record_count"}}], "meta": {...}}.
SNAPSHOT_MANIFEST = "openalex_snapshot_manifest"

MERGED_IDS_HEADER = ["merge_date", "id", "merge_into_id"]
# Enough for the first work of a JSON-lines file and for any CSV header line.
_HEAD_BYTES = 64 * 1024
# One API page of 200 full works with abstracts can pass DuckDB's 16 MB default object size.
MAX_OBJECT_BYTES = 512 * 1024 * 1024
# A compact API page is one line; longer first lines are left to DuckDB.
_FIRST_LINE_BYTES = 32 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class Sniffed:
    format: str
    compression: str  # 'gzip' or 'none', from the magic bytes, for DuckDB's `compression=`


def _head(path: Path) -> tuple[str, str]:
    with path.open("rb") as fh:
        gzipped = fh.read(2) == _GZIP_MAGIC
    opener = gzip.open if gzipped else open
    try:
        with opener(path, "rb") as fh:
            raw = fh.read(_HEAD_BYTES)
    except (OSError, EOFError) as exc:
        raise OpenAlexFormatError(
            f"{path}: cannot read the file ({exc}); re-copy it from the source"
        ) from exc
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    return text, "gzip" if gzipped else "none"


def _shape_of(obj: dict[str, Any]) -> tuple[list[str], int | None, int | None]:
    def length(key: str) -> int | None:
        value = obj.get(key)
        return len(value) if isinstance(value, list) else None

    return list(obj), length("results"), length("group_by")


def _top_level_shape(path: Path, compression: str) -> tuple[list[str], int | None, int | None]:
    """Keys of the first JSON object, and the lengths of its `results` and `group_by` arrays.

    The first line answers for JSON lines and compact API pages; only a pretty-printed document (its
    first line is not a whole object) needs DuckDB to parse it.
    """
    opener = gzip.open if compression == "gzip" else open
    with opener(path, "rb") as fh:
        first_line = fh.readline(_FIRST_LINE_BYTES)
    try:
        first = json.loads(first_line)
    except ValueError:
        first = None
    if isinstance(first, dict):
        return _shape_of(first)
    sql = """
        SELECT json_keys(json), json_array_length(json -> 'results'), json_array_length(json -> 'group_by')
        FROM read_json_objects(?, format = 'auto', compression = ?, maximum_object_size = ?)
        LIMIT 1
    """
    try:
        with duckdb.connect() as con:
            row = con.execute(sql, [str(path), compression, MAX_OBJECT_BYTES]).fetchone()
    except duckdb.Error as exc:
        raise OpenAlexFormatError(
            f"{path}: starts like JSON but is not valid JSON or JSON lines ({exc}); re-download the file"
        ) from exc
    if row is None:
        raise OpenAlexFormatError(f"{path}: holds no JSON object; remove the file or replace it")
    return list(row[0]), row[1], row[2]


def sniff(path: Path) -> Sniffed:
    """Classify a landing file as one of the four OpenAlex formats, or raise ``OpenAlexFormatError``."""
    text, compression = _head(path)
    if not text:
        raise OpenAlexFormatError(f"{path}: file is empty; remove it or replace it with the delivered file")
    if text.startswith("["):
        return Sniffed(LIST, compression)
    if text.startswith("{"):
        keys, n_results, n_groups = _top_level_shape(path, compression)
        if n_groups:
            raise OpenAlexFormatError(
                f"{path}: is an OpenAlex group_by response ({n_groups} groups of counts, no works); "
                "the ingest needs works. Remove it from the landing folder and pull works without group_by."
            )
        if n_results is not None:
            return Sniffed(API_PAGE, compression)
        if {"entries", "meta"} <= set(keys):
            return Sniffed(SNAPSHOT_MANIFEST, compression)
        if "id" in keys:
            return Sniffed(JSONL, compression)
        raise OpenAlexFormatError(
            f"{path}: is a JSON object with keys {sorted(keys)[:8]}, neither an OpenAlex work nor an API "
            "page of works ({'meta', 'results'}); remove it from the landing folder"
        )
    header = next(csv.reader([text.splitlines()[0]]))
    if [h.strip().lower() for h in header] == MERGED_IDS_HEADER:
        return Sniffed(MERGED_IDS, compression)
    raise OpenAlexFormatError(
        f"{path}: is not OpenAlex works JSON (lines, API page or array) nor a merged_ids CSV with header "
        f"{','.join(MERGED_IDS_HEADER)} (its content is not shown: it may be any file); remove it from the "
        "landing folder"
    )
