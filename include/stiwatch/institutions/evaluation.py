"""Precision and recall of the matcher on a gold set of affiliation strings with their ROR ids.

A prediction is correct when its ROR id is among the string's gold ids. A string with no gold id and no
prediction is a true negative; a prediction for it is a wrong prediction. precision = correct / predicted;
recall = correct / strings with a gold id. Because a registry may be partial (the shared ROR files are not a
full dump), recall is also given over the strings whose gold ids include one the registry holds.

The gold set is split in two, once and for good, so that the matching rules can be tuned on one part and
measured on the other (``split_gold``): a string belongs to the ``test`` part when the first 8 hex digits of
SHA-256(``GOLD_SPLIT_SEED`` + NUL + the string) read as a number fall below ``GOLD_TEST_SHARE`` of 16**8,
else to the ``development`` part. The split depends on nothing but the string itself: it does not move when
records are added, reordered or removed, and a string repeated in the file lands in one part only. Thresholds
and rules are tuned on the development part; the test part is only ever measured.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from stiwatch.institutions.matcher import Matcher

# Changing either of these reshuffles the parts, and every figure measured on the test part so far becomes
# a figure on strings that were tuned on: keep them.
GOLD_SPLIT_SEED = "stiwatch-gold-split-1"
GOLD_TEST_SHARE = 0.5
DEVELOPMENT, TEST = "development", "test"


@dataclass(frozen=True)
class GoldAffiliation:
    affiliation: str
    ror_ids: frozenset[str]


@dataclass(frozen=True)
class Scores:
    strings: int
    with_gold_id: int
    gold_id_in_registry: int
    predicted: int
    correct: int
    correct_in_registry: int
    true_negatives: int
    predicted_by_method: dict[str, int] = field(default_factory=dict)
    correct_by_method: dict[str, int] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.with_gold_id if self.with_gold_id else 0.0

    @property
    def recall_in_registry(self) -> float:
        return self.correct_in_registry / self.gold_id_in_registry if self.gold_id_in_registry else 0.0


def load_gold(path: Path) -> list[GoldAffiliation]:
    """Read a gold file: a JSON array of ``{"affiliation": str, "ror_ids": [ROR URL, ...]}``."""
    records = json.loads(path.read_text(encoding="utf-8"))
    gold = []
    for number, record in enumerate(records, start=1):
        try:
            gold.append(GoldAffiliation(record["affiliation"], frozenset(record["ror_ids"])))
        except (KeyError, TypeError) as error:
            raise ValueError(
                f"{path}: record {number} lacks 'affiliation' or 'ror_ids' ({error}); "
                'expected [{"affiliation": "...", "ror_ids": ["https://ror.org/..."]}, ...]'
            ) from None
    return gold


def gold_part(affiliation: str) -> str:
    """``test`` or ``development``: the part of the gold set a string belongs to (module docstring)."""
    digest = hashlib.sha256(f"{GOLD_SPLIT_SEED}\0{affiliation}".encode()).hexdigest()
    return TEST if int(digest[:8], 16) < GOLD_TEST_SHARE * 16**8 else DEVELOPMENT


def split_gold(gold: list[GoldAffiliation]) -> dict[str, list[GoldAffiliation]]:
    """The gold strings by part, ``development`` first, each in file order."""
    parts: dict[str, list[GoldAffiliation]] = {DEVELOPMENT: [], TEST: []}
    for item in gold:
        parts[gold_part(item.affiliation)].append(item)
    return parts


def evaluate(matcher: Matcher, gold: list[GoldAffiliation], registry_ids: set[str]) -> Scores:
    """Score the matcher on the gold strings; ``registry_ids`` are the ROR ids the matcher could return."""
    predicted_by_method: Counter[str] = Counter()
    correct_by_method: Counter[str] = Counter()
    with_gold = in_registry = correct = correct_in_registry = true_negatives = 0
    for item in gold:
        match = matcher.resolve(item.affiliation)
        gold_in_registry = bool(item.ror_ids & registry_ids)
        with_gold += bool(item.ror_ids)
        in_registry += gold_in_registry
        if not match.resolved:
            true_negatives += not item.ror_ids
            continue
        predicted_by_method[match.method] += 1
        if match.ror_id in item.ror_ids:
            correct += 1
            correct_in_registry += gold_in_registry
            correct_by_method[match.method] += 1
    return Scores(
        strings=len(gold),
        with_gold_id=with_gold,
        gold_id_in_registry=in_registry,
        predicted=sum(predicted_by_method.values()),
        correct=correct,
        correct_in_registry=correct_in_registry,
        true_negatives=true_negatives,
        predicted_by_method=dict(predicted_by_method),
        correct_by_method=dict(correct_by_method),
    )
