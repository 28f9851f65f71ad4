"""A demo OpenAlex snapshot in the layout of the real S3 snapshot.

```
works/updated_date=YYYY-MM-DD/part_000.gz   JSON lines, one work per line
works/manifest                              {"entries": [{"url", "meta": {content_length, record_count}}]}
merged_ids/works/YYYY-MM-DD.csv.gz          merge_date,id,merge_into_id
```
Works are spread over the partitions in index order. A few works appear again in the next partition with
a newer ``updated_date`` and one more affiliation (the later version is the truth), and a few ids are
listed as merged away (they are in the partitions but must not count).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from stiwatch.demo.files import open_text
from stiwatch.demo.model import Address, Paper, make_author, make_paper, paper_rng
from stiwatch.demo.truth import UNKNOWN, TruthWriter
from stiwatch.demo.vocabulary import INSTITUTIONS, Institution

SOURCE = "openalex"
UPDATED_DATES = ("2024-09-02", "2024-10-14", "2024-11-25", "2025-01-06")
MERGE_DATE = "2025-01-08"
WORKS_PER_PART = 100_000
P_UPDATED = 0.03  # works re-issued in the next partition with one more affiliation
P_MERGED = 0.01  # works merged into another work
P_SECOND_INSTITUTION = 0.05  # an author with two institutions
P_UNMATCHED_AFFILIATION = 0.03  # an authorship with no institution: only `countries` says where
P_NO_AFFILIATION = 0.01  # an authorship with neither institutions nor countries


# The delta on top of the demo snapshot (kind "delta" in _snapshot.json, folded in by dbt): 1% of the works
# re-issued later with one more affiliation, and a few more works merged away.
DELTA_SNAPSHOT_ID = "2025-02-05_demo_delta"
DELTA_UPDATED_DATE = "2025-02-03"
DELTA_AS_OF = "2025-02-05"
P_DELTA_UPDATED = 0.01
P_DELTA_MERGED = 0.001


def work_id(seed: int, index: int) -> str:
    return f"W5{seed % 100:02d}{index:07d}"


def is_merged(seed: int, index: int) -> bool:
    return index > 0 and paper_rng(seed, "openalex-merged", index).random() < P_MERGED


def is_updated(seed: int, index: int, records: int) -> bool:
    partition = partition_of(index, records)
    last = partition == len(UPDATED_DATES) - 1
    return not last and paper_rng(seed, "openalex-updated", index).random() < P_UPDATED


def partition_of(index: int, records: int) -> int:
    return index * len(UPDATED_DATES) // max(records, 1)


def _short_hash(text: str, digits: int) -> int:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % 10**digits


@functools.cache  # a handful of institutions, rendered for every authorship: two SHA-256 each
def _institution_json(inst: Institution) -> dict[str, Any]:
    iid = f"https://openalex.org/I{_short_hash(inst.openalex_name, 9)}"
    ror = inst.ror_id or (
        "0"
        + hashlib.sha256(inst.openalex_name.encode("utf-8")).hexdigest()[:6]
        + f"{_short_hash(iid, 2):02d}"
    )
    return {
        "id": iid,
        "display_name": inst.openalex_name,
        "ror": f"https://ror.org/{ror}",
        "country_code": inst.iso2,
        "type": inst.openalex_type,
        "lineage": [iid],
    }


def _topic_json(topic: tuple, score: float) -> dict[str, Any]:
    tid, name, sub_id, sub, field_id, field, dom_id, dom = topic
    return {
        "id": f"https://openalex.org/T{tid}",
        "display_name": name,
        "score": score,
        "subfield": {"id": f"https://openalex.org/subfields/{sub_id}", "display_name": sub},
        "field": {"id": f"https://openalex.org/fields/{field_id}", "display_name": field},
        "domain": {"id": f"https://openalex.org/domains/{dom_id}", "display_name": dom},
    }


def _with_update(paper: Paper, seed: int, label: str = "openalex-update-content") -> Paper:
    """The re-issued version of a work: one more affiliation, found after the first release."""
    rng = paper_rng(seed, label, paper.index)
    inst = rng.choice([i for i in INSTITUTIONS if all(a.institution != i for a in paper.addresses)])
    extra = Address(inst, (make_author(rng, inst.region),))
    return dataclasses.replace(paper, addresses=(*paper.addresses, extra))


def _authorships(paper: Paper, seed: int) -> tuple[list[dict[str, Any]], list[tuple[str, int]]]:
    """The authorships of a work and its truth pairs (one per authorship-institution, else per country)."""
    rng = paper_rng(seed, "openalex-authorships", paper.index)
    out, truth = [], []
    position = 0
    n_authors = sum(len(a.authors) for a in paper.addresses)
    for addr in paper.addresses:
        for author in addr.authors:
            institutions = [addr.institution]
            others = [a.institution for a in paper.addresses if a.institution != addr.institution]
            if others and rng.random() < P_SECOND_INSTITUTION:
                institutions.append(rng.choice(others))
            countries = sorted({i.iso2 for i in institutions if i.iso2})
            draw = rng.random()
            if draw < P_NO_AFFILIATION:
                institutions, countries = [], []
            elif draw < P_NO_AFFILIATION + P_UNMATCHED_AFFILIATION:
                institutions = []
            if institutions:
                truth.extend((i.iso2 or UNKNOWN, 1) for i in institutions)
            else:
                truth.extend((c, 1) for c in countries)
            position += 1
            out.append(
                {
                    "author_position": "first"
                    if position == 1
                    else "last"
                    if position == n_authors
                    else "middle",
                    "author": {
                        "id": f"https://openalex.org/A5{_short_hash(author.full + str(paper.index), 9):09d}",
                        "display_name": author.display_name,
                        "orcid": None,
                    },
                    "institutions": [_institution_json(i) for i in institutions],
                    "countries": countries,
                    "is_corresponding": position == 1,
                    "raw_author_name": author.display_name,
                    "raw_affiliation_strings": [addr.institution.wos_address],
                    "affiliations": [
                        {
                            "raw_affiliation_string": addr.institution.wos_address,
                            "institution_ids": [_institution_json(i)["id"] for i in institutions],
                        }
                    ],
                }
            )
    return out, truth


def work_json(paper: Paper, seed: int, updated_date: str) -> tuple[dict[str, Any], list[tuple[str, int]]]:
    rng = paper_rng(seed, "openalex-render", paper.index)
    wid = work_id(seed, paper.index)
    doi = f"https://doi.org/10.5555/demo.openalex.{seed}.{paper.index}"
    authorships, truth = _authorships(paper, seed)
    method = paper.title.split(" for ")[0]
    institutions = {i["id"] for a in authorships for i in a["institutions"]}
    countries = {c for a in authorships for c in a["countries"]}
    words = f"We study {paper.title.lower()} on public benchmarks".split()
    inverted: dict[str, list[int]] = {}
    for pos, word in enumerate(words):
        inverted.setdefault(word, []).append(pos)
    work = {
        "id": f"https://openalex.org/{wid}",
        "doi": doi,
        "title": paper.title,
        "display_name": paper.title,
        "publication_year": paper.year,
        "publication_date": f"{paper.year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "ids": {"openalex": f"https://openalex.org/{wid}", "doi": doi},
        "language": "en",
        "primary_location": {
            "is_oa": False,
            "landing_page_url": doi,
            "pdf_url": None,
            "source": {
                "id": f"https://openalex.org/S{_short_hash(paper.journal, 9)}",
                "display_name": paper.journal.title(),
                "type": "journal",
            },
        },
        "type": "article",
        "authorships": authorships,
        "countries_distinct_count": len(countries),
        "institutions_distinct_count": len(institutions),
        "cited_by_count": rng.randint(0, 300),
        "primary_topic": _topic_json(paper.topics[0], 0.99),
        "topics": [_topic_json(t, round(0.99 - 0.1 * i, 4)) for i, t in enumerate(paper.topics)],
        "keywords": [
            {
                "id": f"https://openalex.org/keywords/{method.lower().replace(' ', '-')}",
                "display_name": method,
                "score": 0.61,
            }
        ],
        "concepts": [],
        "abstract_inverted_index": inverted,
        "updated_date": f"{updated_date}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:"
        f"{rng.randint(0, 59):02d}.{rng.randint(0, 999999):06d}",
        "created_date": f"{paper.year}-01-15",
    }
    return work, truth


TruthRow = tuple[str, int, bool, list[tuple[str, int]]]  # TruthWriter.add arguments


def write_partition(
    folder: Path, records: int, seed: int, partition: int
) -> tuple[list[tuple[str, int]], list[TruthRow]]:
    """Write one ``updated_date=`` partition (its own works, then the re-issues of the previous
    partition's works); return its (part path, lines) entries and the truth rows of its own works.

    Partitions depend on nothing written by another, so they can be written by parallel processes. Each
    work is rendered once for its line and its truth row (a re-issued work's row from its re-issued
    version), so the answer key cannot drift from the data.
    """
    updated = UPDATED_DATES[partition]
    truth: list[TruthRow] = []

    def lines() -> Iterator[str]:
        for index in _partition_indices(records, partition):
            paper = make_paper(seed, SOURCE, index)
            work, pairs = work_json(paper, seed, updated)
            yield _json_line(work)
            if is_merged(seed, index):
                continue
            if is_updated(seed, index, records):
                paper = _with_update(paper, seed)
                pairs = _authorships(paper, seed)[1]
            truth.append((work_id(seed, index), paper.year, paper.in_scope, pairs))
        if partition > 0:
            for index in _partition_indices(records, partition - 1):
                if is_updated(seed, index, records):
                    yield _json_line(
                        work_json(_with_update(make_paper(seed, SOURCE, index), seed), seed, updated)[0]
                    )

    entries = _write_parts(folder, f"works/updated_date={updated}", lines())
    return entries, truth


def finish_snapshot(folder: Path, records: int, seed: int, entries: list[tuple[str, int]]) -> None:
    """After every partition: the snapshot's manifest, merged ids and ``_snapshot.json``."""
    _write_manifest(folder, entries)
    _write_merged_ids(folder, seed, records)
    (folder / "_snapshot.json").write_text(
        json.dumps({"as_of": MERGE_DATE, "description": f"synthetic demo OpenAlex snapshot (seed {seed})"})
        + "\n",
        encoding="utf-8",
    )


def write_snapshot(folder: Path, records: int, seed: int, truth: TruthWriter) -> list[str]:
    """The whole snapshot in this process (``stiwatch.demo.generate`` runs the partitions in parallel)."""
    entries = []
    for partition in range(len(UPDATED_DATES)):
        part_entries, rows = write_partition(folder, records, seed, partition)
        entries.extend(part_entries)
        for row in rows:
            truth.add(*row)
    finish_snapshot(folder, records, seed, entries)
    return [rel for rel, _ in entries]


def _json_line(work: dict[str, Any]) -> str:
    return json.dumps(work, ensure_ascii=False, separators=(",", ":")) + "\n"


def _partition_indices(records: int, partition: int) -> range:
    """The indices whose ``partition_of`` is ``partition`` (index order), without testing every index."""
    n = len(UPDATED_DATES)
    return range(-(-partition * records // n), -(-(partition + 1) * records // n))


def _write_parts(folder: Path, rel_dir: str, lines: Iterator[str]) -> list[tuple[str, int]]:
    """Stream JSON lines into part files of at most WORKS_PER_PART lines; return (path, lines) per part."""
    entries = []
    lines = iter(lines)
    while (first := next(lines, None)) is not None:
        rel = f"{rel_dir}/part_{len(entries):03d}.gz"
        count = 0
        with open_text(folder / rel) as out:
            for line in itertools.chain([first], itertools.islice(lines, WORKS_PER_PART - 1)):
                out.write(line)
                count += 1
        entries.append((rel, count))
    return entries


def _write_manifest(folder: Path, entries: list[tuple[str, int]]) -> None:
    listed = [
        {
            "url": f"s3://openalex/data/{rel}",
            "meta": {"content_length": (folder / rel).stat().st_size, "record_count": n},
        }
        for rel, n in entries
    ]
    meta = {
        "content_length": sum(e["meta"]["content_length"] for e in listed),
        "record_count": sum(e["meta"]["record_count"] for e in listed),
    }
    # Named as in the real snapshot: the ingest records it as metadata with its promised record counts.
    with open_text(folder / "works" / "manifest") as out:
        out.write(json.dumps({"entries": listed, "meta": meta}, indent=2) + "\n")


def _write_merged_ids(folder: Path, seed: int, records: int) -> None:
    with open_text(folder / "merged_ids" / "works" / f"{MERGE_DATE}.csv.gz") as out:
        out.write("merge_date,id,merge_into_id\n")
        for index in range(records):
            if is_merged(seed, index):
                target = index - 1
                while is_merged(seed, target):
                    target -= 1
                out.write(f"{MERGE_DATE},{work_id(seed, index)},{work_id(seed, target)}\n")


def _in_delta(seed: int, index: int) -> bool:
    # The first work always: a delta of a tiny demo is never an empty file (which the ingest refuses).
    if index == 0:
        return True
    return not is_merged(seed, index) and paper_rng(seed, "openalex-delta", index).random() < P_DELTA_UPDATED


def _merged_in_delta(seed: int, index: int) -> bool:
    return (
        index > 0
        and not is_merged(seed, index)
        and not _in_delta(seed, index)
        and paper_rng(seed, "openalex-delta-merged", index).random() < P_DELTA_MERGED
    )


def write_delta(folder: Path, records: int, seed: int, base_snapshot_id: str, truth: TruthWriter) -> None:
    """The delta snapshot of the demo: one ``updated_date=`` partition with the new versions of about 1%
    of the base works (their current version plus one affiliation), a merged-ids file with about 0.1% more
    works merged away, and ``_snapshot.json`` with ``kind: delta`` and its ``base``. Its answer key lists
    the works it carries, in their new version (fold it over the base key: the latest version wins, merged
    ids drop out)."""
    with open_text(folder / "works" / f"updated_date={DELTA_UPDATED_DATE}" / "part_000.gz") as out:
        for index in range(records):
            if not _in_delta(seed, index):
                continue
            paper = make_paper(seed, SOURCE, index)
            if is_updated(seed, index, records):
                paper = _with_update(paper, seed)
            paper = _with_update(paper, seed, label="openalex-delta-content")
            work, pairs = work_json(paper, seed, DELTA_UPDATED_DATE)
            out.write(_json_line(work))
            truth.add(work_id(seed, index), paper.year, paper.in_scope, pairs)
    with open_text(folder / "merged_ids" / "works" / f"{DELTA_AS_OF}.csv.gz") as out:
        out.write("merge_date,id,merge_into_id\n")
        for index in range(records):
            if _merged_in_delta(seed, index):
                target = index - 1
                while is_merged(seed, target) or _merged_in_delta(seed, target):
                    target -= 1
                out.write(f"{DELTA_AS_OF},{work_id(seed, index)},{work_id(seed, target)}\n")
    meta = {
        "as_of": DELTA_AS_OF,
        "kind": "delta",
        "base": base_snapshot_id,
        "description": f"synthetic demo OpenAlex delta (seed {seed})",
    }
    (folder / "_snapshot.json").write_text(json.dumps(meta) + "\n", encoding="utf-8")
