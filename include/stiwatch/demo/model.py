"""One synthetic paper per (seed, source, index), independent of every other paper.

Each paper draws from its own ``random.Random`` seeded with a string (string seeds are hashed with SHA-512,
so they do not depend on PYTHONHASHSEED): any record can be regenerated alone, files can be written as a
stream, and a record repeated in two export files is byte-for-byte the same record.

Growth: papers grow about 12% a year from 2011 to 2024, and the chance that an address is Chinese grows
fastest, so the marts show China rising as in the brief.
"""

from __future__ import annotations

import functools
import itertools
import random
from dataclasses import dataclass

from stiwatch.demo.vocabulary import (
    GIVEN_NAMES,
    INSTITUTIONS,
    JOURNALS,
    OPENALEX_TOPICS,
    OUT_OF_SCOPE_TITLES,
    REGIONS,
    SURNAMES,
    TITLE_METHODS,
    TITLE_TASKS,
    UNMAPPED,
    WOS_CATEGORIES,
    Institution,
)

FIRST_YEAR, LAST_YEAR = 2011, 2024
YEARS = tuple(range(FIRST_YEAR, LAST_YEAR + 1))
_YEAR_CUM_WEIGHTS = tuple(itertools.accumulate(1.12 ** (y - FIRST_YEAR) for y in YEARS))
# (base weight, yearly growth) of the chance that an address lies in each region.
_REGION_GROWTH = {"CN": (0.8, 1.17), "EU": (1.3, 1.05), "US": (1.2, 1.03), "OTHER": (0.8, 1.06)}
_BY_REGION = {r: tuple(i for i in INSTITUTIONS if i.region == r) for r in REGIONS}

P_NO_ADDRESS = 0.03  # WoS records exported without C1
P_UNMAPPED_ADDRESS = 0.005  # an address in a country no mapping knows
P_NO_AUTHOR_GROUPS = 0.1  # C1 without "[authors]" groups: each address then weighs one author
P_EARLY_ACCESS_ONLY = 0.02  # WoS early-access records: no PY yet, the year comes from EA
P_OUT_OF_SCOPE = 0.05  # OpenAlex works outside the AI/big-data subfields, with a plain title


@dataclass(frozen=True)
class Author:
    short: str  # "Li, W" (WoS AU)
    full: str  # "Li, Wei" (WoS AF)

    @property
    def display_name(self) -> str:
        surname, given = self.full.split(", ")
        return f"{given} {surname}"


@dataclass(frozen=True)
class Address:
    institution: Institution
    authors: tuple[Author, ...]


@dataclass(frozen=True)
class Paper:
    index: int
    year: int
    addresses: tuple[Address, ...]  # empty: exported without addresses
    title: str
    journal: str
    wos_categories: tuple[tuple[str, str], ...]  # (WC, SC)
    topics: tuple[tuple, ...]  # OPENALEX_TOPICS rows, the first is the primary topic
    in_scope: bool
    c1_has_author_groups: bool  # older WoS exports list addresses without "[authors]" groups
    year_from_early_access: bool  # WoS record without PY whose year comes from EA

    @property
    def authors(self) -> tuple[Author, ...]:
        """Every author once, in order of first appearance."""
        return tuple(dict.fromkeys(a for addr in self.addresses for a in addr.authors))


def paper_rng(seed: int, source: str, index: int) -> random.Random:
    return random.Random(f"stiwatch-demo:{seed}:{source}:{index}")


@functools.cache
def _region_cum_weights(year: int) -> list[float]:
    """Cumulative weights as ``random.choices`` builds them from the weights: same draws, built once."""
    t = year - FIRST_YEAR
    weights = (base * growth**t for base, growth in (_REGION_GROWTH[r] for r in REGIONS))
    return list(itertools.accumulate(weights))


def _institution(rng: random.Random, year: int) -> Institution:
    if rng.random() < P_UNMAPPED_ADDRESS:
        return UNMAPPED
    region = rng.choices(REGIONS, cum_weights=_region_cum_weights(year))[0]
    return rng.choice(_BY_REGION[region])


def make_author(rng: random.Random, region: str) -> Author:
    surname = rng.choice(SURNAMES[region])
    given = rng.choice(GIVEN_NAMES)
    return Author(short=f"{surname}, {given[0]}", full=f"{surname}, {given}")


def make_paper(seed: int, source: str, index: int) -> Paper:
    """Paper ``index`` of a source. WoS exports are scoped by their query and sometimes lack addresses;
    OpenAlex works always carry authorships but a few fall outside the AI/big-data subfields."""
    is_wos = source == "wos"
    rng = paper_rng(seed, source, index)
    year = rng.choices(YEARS, cum_weights=_YEAR_CUM_WEIGHTS)[0]
    addresses: list[Address] = []
    if not (is_wos and rng.random() < P_NO_ADDRESS):
        for _ in range(rng.choices((1, 2, 3, 4), (40, 35, 18, 7))[0]):
            inst = _institution(rng, year)
            if any(a.institution == inst for a in addresses):
                continue  # one address per institution and paper keeps the ground truth simple
            region = inst.region if inst.iso2 else "OTHER"
            addresses.append(Address(inst, tuple(make_author(rng, region) for _ in range(rng.randint(1, 3)))))
    in_scope = is_wos or rng.random() >= P_OUT_OF_SCOPE
    if in_scope:
        title = f"{rng.choice(TITLE_METHODS)} for {rng.choice(TITLE_TASKS)}"
        topics = tuple(rng.sample(OPENALEX_TOPICS[:-1], rng.randint(1, 3)))
    else:
        title = rng.choice(OUT_OF_SCOPE_TITLES)
        topics = (OPENALEX_TOPICS[-1],)
    return Paper(
        index=index,
        year=year,
        addresses=tuple(addresses),
        title=title,
        journal=rng.choice(JOURNALS),
        wos_categories=tuple(rng.sample(WOS_CATEGORIES, rng.randint(1, 3))),
        topics=topics,
        in_scope=in_scope,
        c1_has_author_groups=rng.random() >= P_NO_AUTHOR_GROUPS,
        year_from_early_access=is_wos and rng.random() < P_EARLY_ACCESS_ONLY,
    )


# Indexing lag of generated publication states (the publication nowcast's tests): the share of a year's
# papers visible in a state as of month m (1-12) of that year, the curve of seed
# publication_nowcast_default_curve; every paper is visible in any state of a later year. Drawn from a
# stream of its own, so the papers themselves (and the demo snapshots) do not change.
VISIBLE_BY_MONTH = (0.03, 0.10, 0.18, 0.26, 0.34, 0.42, 0.50, 0.58, 0.66, 0.74, 0.81, 0.88)


def visible_from(seed: int, source: str, index: int) -> int:
    """Months after its year's start (1-12; 13: the next year) from which paper ``index`` is in a state."""
    draw = paper_rng(seed, f"{source}-indexed", index).random()
    return next((m for m, share in enumerate(VISIBLE_BY_MONTH, 1) if draw < share), 13)


def is_visible(paper: Paper, seed: int, source: str, as_of_year: int, as_of_month: int) -> bool:
    """Whether a state as of that month holds the paper."""
    return 12 * (as_of_year - paper.year) + as_of_month >= visible_from(seed, source, paper.index)
