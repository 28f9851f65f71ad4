"""Reference computation of fct_watch_list (period 'all') over the raw WoS files, in plain Python.

Independent of the SQL: the list is read with Python's csv module (entries with a ROR id; no delisting
date in the demo list), the sensitive topics from the seed CSVs with Python's re (the documented rule:
case-insensitive whole words, a space also matching hyphens and line breaks, an optional plural "s"; WoS
categories by label, case-insensitive), the papers and their institutions by ``institutions.py``.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from .bibliometrics import _wos_records


def listed_ror_ids(list_csv: Path) -> set[str]:
    with list_csv.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert all(not row["delisted_on"] for row in rows), "the reference assumes no delisting"
    return {f"https://ror.org/{row['ror_id']}" for row in rows if row["ror_id"]}


def topic_rules(seeds_dir: Path, version: str) -> dict[str, tuple[re.Pattern[str] | None, set[str]]]:
    """topic -> (keyword regex, lower-case WoS category labels)."""
    keywords: dict[str, list[str]] = defaultdict(list)
    categories: dict[str, set[str]] = defaultdict(set)
    with (seeds_dir / "sensitive_topic_terms.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["topic_version"] != version:
                continue
            if row["scheme"] == "keyword":
                words = re.escape(row["term"].strip().lower()).replace(r"\ ", " ").split()
                keywords[row["topic_id"]].append(r"[\s-]+".join(words))
            elif row["scheme"] == "wos_category":
                categories[row["topic_id"]].add(row["term"].strip().lower())
    topics = set(keywords) | set(categories)
    return {
        topic: (
            re.compile(r"\b(?:" + "|".join(keywords[topic]) + r")s?\b", re.IGNORECASE)
            if keywords[topic]
            else None,
            categories[topic],
        )
        for topic in topics
    }


def paper_topics(files: Iterable[Path], rules: dict) -> dict[str, set[str]]:
    """UT -> its sensitive topics (first occurrence of a UT in the order ``files`` are given)."""
    topics: dict[str, set[str]] = {}
    for path in files:
        for rec in _wos_records(path):
            ut = rec["UT"][0]
            if ut in topics:
                continue
            text = " ".join(" ".join(rec.get(tag, [])) for tag in ("TI", "AB", "DE", "ID"))
            labels = {c.strip().lower() for c in "; ".join(rec.get("WC", [])).split(";") if c.strip()}
            topics[ut] = {
                topic
                for topic, (regex, wc) in rules.items()
                if (regex is not None and regex.search(text)) or labels & wc
            }
    return topics


def watch_list_all(
    papers: dict, topics: dict[str, set[str]], listed: set[str], first_year: int
) -> dict[tuple[str, str, str], int]:
    """(EU institution key, listed CN key, topic or 'all_topics') -> shared co-publications, all years."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for ut, (year, countries, institutions) in papers.items():
        if year is None or year < first_year or not countries:
            continue
        eu = {key for side, key, _, _ in institutions if side == "EU27/AC"}
        cn_listed = {key for side, key, _, _ in institutions if side == "CN" and key in listed}
        for eu_key in eu:
            for cn_key in cn_listed:
                for topic in {"all_topics", *topics[ut]}:
                    counts[(eu_key, cn_key, topic)] += 1
    return dict(counts)
