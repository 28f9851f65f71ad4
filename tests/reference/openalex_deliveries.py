"""Real OpenAlex works turned into later deliveries: changed copies, saved API pages, merged ids.

A delta here holds real works of a base with their affiliations changed the way OpenAlex corrections look
(an institution now in another country, an authorship gone) and a later ``updated_date``. ``fold`` is the
reference meaning of a state, written apart from the dbt models: the base's papers, overridden by each
delta's works in delivery order, minus the ids merged away.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from pathlib import Path

from .bibliometrics import Paper, _openalex_works


def works_by_id(files: Iterable[Path]) -> dict[str, dict]:
    """Short W id -> work, of the real works files."""
    return {work["id"].rsplit("/", 1)[-1]: work for path in files for work in _openalex_works(path)}


def moved(work: dict, old: str, new: str, updated: str) -> dict:
    """A copy of ``work`` whose first institution in country ``old`` is now in ``new``."""
    changed = copy.deepcopy(work)
    for authorship in changed["authorships"]:
        for institution in authorship.get("institutions") or []:
            if institution.get("country_code") == old:
                institution["country_code"] = new
                codes = {i.get("country_code") for i in authorship["institutions"]} - {None}
                authorship["countries"] = sorted(codes)
                changed["updated_date"] = updated
                return changed
    raise AssertionError(f"{work['id']}: no institution in {old} to move")


def without_authorship(work: dict, country: str, updated: str) -> dict:
    """A copy of ``work`` without its first authorship with an institution in ``country``."""
    changed = copy.deepcopy(work)
    for i, authorship in enumerate(changed["authorships"]):
        if any(inst.get("country_code") == country for inst in authorship.get("institutions") or []):
            del changed["authorships"][i]
            changed["updated_date"] = updated
            return changed
    raise AssertionError(f"{work['id']}: no authorship in {country} to drop")


def write_api_page(path: Path, works: list[dict]) -> Path:
    """A saved ``/works`` API page, as the client lands it (``meta`` + ``results``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {"count": len(works), "db_response_time_ms": 1, "page": None, "per_page": 200, "next_cursor": None}
    path.write_text(json.dumps({"meta": meta, "results": works}), encoding="utf-8")
    return path


def write_merged_ids(path: Path, merges: list[tuple[str, str]]) -> Path:
    """A ``merged_ids/works`` CSV as an OpenAlex snapshot ships it (full id URLs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["merge_date,id,merge_into_id"] + [
        f"2025-01-20,https://openalex.org/{old},https://openalex.org/{new}" for old, new in merges
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_snapshot_meta(folder: Path, as_of: str, kind: str, base: str | None = None) -> None:
    meta = {"as_of": as_of, "kind": kind} | ({"base": base} if base else {})
    (folder / "_snapshot.json").write_text(json.dumps(meta), encoding="utf-8")


def fold(
    base: dict[str, Paper], *deltas: dict[str, Paper], merged_away: Iterable[str] = ()
) -> dict[str, Paper]:
    """The papers of a state: the base's, each delta's works replacing theirs, merged ids dropped."""
    state = dict(base)
    for delta in deltas:
        state.update(delta)
    for record_id in merged_away:
        state.pop(record_id, None)
    return state
