"""Name keys for matching organisation strings: one normalisation used for the registry and the queries.

``normalise`` folds case, accents and punctuation (``&`` becomes ``and``), so ``Université Paris-Saclay``
and ``UNIVERSITE PARIS SACLAY`` share a key. ``Abbreviator`` goes one step further and rewrites a key into
WoS abbreviated style using ``dbt/seeds/wos_abbreviations.csv`` (``university`` -> ``univ``, ``of`` dropped),
then removes the spaces: ``University of Science and Technology of China`` and ``Univ Sci & Technol China``
both become ``univscitechnolchina``, and ``Xi'an Jiaotong University`` meets ``Xi An Jiao Tong Univ``.
Contracting both sides to the abbreviation is used instead of expanding WoS strings, because one
abbreviation has several expansions (``Sci``: Science, Sciences, Scientific) and expanding every word of a
string multiplies the variants.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from stiwatch.config import SEEDS_DIR

ABBREVIATION_SEED = SEEDS_DIR / "wos_abbreviations.csv"

# Letters that Unicode does not decompose into a base letter plus an accent.
_UNDECOMPOSED = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ı": "i", "þ": "th"})
_APOSTROPHES = re.compile(r"['’‘`´]")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """Lower-case, accents folded, ``&`` -> ``and``, apostrophes removed, other punctuation -> one space."""
    folded = text.casefold()
    if not folded.isascii():  # most strings are ASCII: skip the per-character pass for them
        decomposed = unicodedata.normalize("NFKD", folded.translate(_UNDECOMPOSED))
        folded = "".join(char for char in decomposed if not unicodedata.combining(char))
    spelled = _APOSTROPHES.sub("", folded.replace("&", " and "))
    return _NOT_ALNUM.sub(" ", spelled).strip()


@dataclass(frozen=True)
class Abbreviator:
    """Rewrites normalised words into their WoS abbreviation; words mapped to ``""`` are dropped."""

    by_word: dict[str, str]
    _abbreviations: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_abbreviations", frozenset(word for word in self.by_word.values() if word))

    def tokens(self, normalised: str) -> list[str]:
        """The words of a normalised string in abbreviated form, dropped words left out."""
        abbreviated = (self.by_word.get(word, word) for word in normalised.split())
        return [word for word in abbreviated if word]

    def is_generic(self, word: str) -> bool:
        """Whether a normalised word is one the seed abbreviates or drops (``university``, ``of``), or
        such an abbreviation itself: a word naming a kind of institution, not which one."""
        return word in self.by_word or word in self._abbreviations

    def drops(self, word: str) -> bool:
        """Whether the seed drops a normalised word (``of``, ``the``) from abbreviated keys."""
        return self.by_word.get(word) == ""

    def key(self, normalised: str) -> str:
        """Abbreviated words joined without spaces (so split or joined spellings of a name agree)."""
        return "".join(self.tokens(normalised))


def load_abbreviator(path: Path = ABBREVIATION_SEED) -> Abbreviator:
    """Read the abbreviation seed (``abbreviation,expansion``; an empty abbreviation drops the word)."""
    by_word: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != ["abbreviation", "expansion"]:
            raise ValueError(f"{path}: header must be 'abbreviation,expansion', found {reader.fieldnames}")
        for line_number, row in enumerate(reader, start=2):
            expansion, abbreviation = normalise(row["expansion"] or ""), normalise(row["abbreviation"] or "")
            if not expansion or " " in expansion:
                raise ValueError(f"{path}: line {line_number}: expansion must be one word, got {row!r}")
            if by_word.get(expansion, abbreviation) != abbreviation:
                raise ValueError(
                    f"{path}: line {line_number}: {expansion!r} is abbreviated both as "
                    f"{by_word[expansion]!r} and {abbreviation!r}; keep one row."
                )
            by_word[expansion] = abbreviation
    return Abbreviator(by_word)
