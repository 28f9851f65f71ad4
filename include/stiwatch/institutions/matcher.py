"""Resolve an organisation or affiliation string (plus an optional country) to one ROR institution.

The rules follow ROR's own affiliation matching (the ROR API ``affiliation`` endpoint): the country read
from the string limits the candidates, names, aliases, acronyms and labels in other languages are all
candidates, comma parts are matched one by one, and a string naming an organisation and its parent is
resolved to one of them on purpose.

Methods, tried in this order; within a method every part of the address is tried before the next method:
1. ``alias``: the curated seed (``dbt/seeds/institution_aliases.csv``), compared in abbreviated form;
2. ``exact``: the normalised part equals a ROR display name, label (any language) or alias; a ROR name with
   a country in brackets (``Sanofi (France)``) also counts without it, as an alias;
3. ``acronym``: (country known only) the whole part is a ROR acronym (3+ characters) in that country;
4. ``abbreviated``: both sides contracted to WoS abbreviations (``normalise.Abbreviator``) are equal;
5. ``prefix``: the leading words of a part name an organisation (``Stanford University School of
   Medicine``), unless the next word starts another institution's name (``... University Hospital``) or
   the rest names a site of its own (``... Chiayi Branch``, ``... West China Hospital``);
6. ``contained``: words inside a part, after a connecting word, name one (``Black Hole Initiative at
   Harvard University``), see ``Matcher._windows``; in 5 and 6 only an organisation's own name (display
   name or label) counts, never an alias;
7. ``acronym`` again: an upper-case word beside generic words or codes only (``INSERM U1148``);
8. ``fuzzy``: the best ROR name among those sharing the part's rarest word, scored with rapidfuzz's
   token-sort ratio (word order ignored), accepted at ``fuzzy_threshold`` or above.
Candidates are limited to the country (given, or read from the last comma part); a name shared by several
organisations there resolves only if one of them carries it as a display name or label, else it is skipped;
a name of generic words only (``National Institute of Technology``) that one organisation holds as an alias
names none. A part that is only a city names nothing; a university system (``... System`` with campuses) is
taken, by any method, only when the key says ``system``. Of the parts one method resolves, a university
beats a co-named unit (``_preferred``); then ``_in_hierarchy`` moves to the parent or child the string also
names.

Parts: the comma parts of the string (brackets dropped first, commas inside them cut nothing) without the
country, adjacent pairs first (``University of California, Berkeley``), then single parts; last to first by
default (free text names the institution after the department), first to last with ``organisation_first``
(WoS addresses).
A string that no method resolves is kept as its own institution, ``unresolved:<country>:<normalised text>``.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise

import pyarrow as pa
from rapidfuzz import fuzz, process

from stiwatch.config import INSTITUTION_FUZZY_THRESHOLD
from stiwatch.institutions.aliases import Alias
from stiwatch.institutions.countries import CountryNames, compatible_countries
from stiwatch.institutions.normalise import Abbreviator, load_abbreviator, normalise
from stiwatch.institutions.registry import Registry

log = logging.getLogger(__name__)

Lookup = Callable[[str, frozenset[str] | None], str | None]  # normalised key, countries -> ROR id
Candidates = list[tuple[str, str]]  # (address part, normalised key to look up)

DEFAULT_FUZZY_THRESHOLD = INSTITUTION_FUZZY_THRESHOLD  # the setting's default
UNKNOWN_COUNTRY = "UNKNOWN"
UNRESOLVED = "unresolved"
_CONFIDENCE = {
    "alias": 1.0,
    "exact": 1.0,
    "acronym": 0.9,
    "abbreviated": 0.95,
    "prefix": 0.85,
    "contained": 0.85,
}
# A prefix followed by one of these words names another institution, not a faculty of the prefix:
# `Hunan University of Arts and Science` is not `Hunan University`, nor `Aalborg University Hospital`.
_NOT_A_SUB_UNIT = frozenset(
    {"of", "for", "and", "at", "in", "hospital", "hospitals", "medical", "clinic", "health"}
)
_PART_SEPARATORS = re.compile(r"[,;]")
_PARENTHESES = re.compile(r"\([^)]*\)")
# A lab's institute's university: at most this many steps up or down the ROR hierarchy per string.
_MAX_HIERARCHY_STEPS = 3
_DIGIT = re.compile(r"[0-9]")
# Words that join a unit to the institution named after them, in the languages affiliations are written in.
_CONNECTORS = frozenset({"of", "at", "the", "to", "de", "di", "du", "des", "da", "do", "del", "della", "der"})
# A part naming one of these before a university names an organisation of its own (affiliated hospital).
_OWN_INSTITUTIONS = frozenset({"hospital", "hospitals", "klinikum", "clinic", "clinics", "infirmary"})
# A part naming one of these after an institution's name is a site of its own (`Chang Gung Memorial Hospital
# Chiayi Branch`, `Sichuan University West China Hospital`, `University of Maryland Global Campus`): the
# leading name is then a parent or a namesake, not the answer.
_OWN_SITES = _OWN_INSTITUTIONS | {"campus", "branch"}
_ACRONYM_TOKEN = re.compile(r"\b[A-Z]{3,}\b")
_TRAILING_BRACKETS = re.compile(r"\s*\([^)]*\)\s*$")
# Display names and labels outrank aliases when one name belongs to several organisations.
_NAME_RANK = {"display": 0, "label": 0, "alias": 1}
_MIN_ACRONYM_LENGTH = 3
# Words in more names than this are too common to retrieve fuzzy candidates by (``univ``, ``inst`` ...).
_MAX_POSTINGS = 3000


@dataclass(frozen=True)
class Match:
    text: str
    country_code: str  # of the query: given, read from the text, or UNKNOWN
    institution_id: str  # the ROR id, or unresolved:<country>:<normalised text>
    ror_id: str | None
    institution_name: str
    institution_country: str
    method: str  # alias, exact, acronym, abbreviated, prefix, contained, fuzzy or unresolved
    confidence: float
    matched_part: str | None

    @property
    def resolved(self) -> bool:
        return self.ror_id is not None


class Matcher:
    """Indexes the registry once; ``resolve`` then costs a few dictionary look-ups per address part."""

    def __init__(
        self,
        registry: Registry,
        aliases: Iterable[Alias] = (),
        abbreviator: Abbreviator | None = None,
        fuzzy_threshold: float = DEFAULT_FUZZY_THRESHOLD,
    ) -> None:
        self._abbreviator = abbreviator or load_abbreviator()
        self._fuzzy_cutoff = fuzzy_threshold * 100
        self._countries = CountryNames(registry.organizations)
        orgs = registry.organizations
        self._cities = _cities(orgs)
        self._education = _education(orgs)
        self._parents, self._children = _hierarchy(registry.parents)
        self._relatives = self._parents.keys() | self._children.keys()
        self._organizations: dict[str, tuple[str, str]] = {
            ror_id: (name, country or UNKNOWN_COUNTRY)
            for ror_id, name, country in zip(
                orgs.column("ror_id").to_pylist(),
                orgs.column("display_name").to_pylist(),
                orgs.column("country_code").to_pylist(),
                strict=True,
            )
        }
        # A university system (`University of California System`) is only meant when the string says
        # `system`: `University of California, La Jolla` names a campus the registry may not hold.
        self._systems = frozenset(
            ror_id
            for ror_id, (name, _) in self._organizations.items()
            if ror_id in self._children and name.casefold().endswith(" system")
        )
        self._aliases: dict[str, dict[str, Alias]] = defaultdict(dict)
        for alias in aliases:
            # A seeded id missing from a partial registry still resolves, under the seed's name and country.
            self._organizations.setdefault(alias.ror_id, (alias.canonical_name, alias.country_code))
            self._aliases[self._abbreviator.key(normalise(alias.alias))][alias.ror_id] = alias
        self._exact: dict[str, dict[str, int]] = defaultdict(dict)
        self._abbreviated: dict[str, dict[str, int]] = defaultdict(dict)
        self._acronyms: dict[str, dict[str, int]] = defaultdict(dict)
        fuzzy_names: dict[tuple[str, str], None] = {}
        names = registry.names
        for ror_id, name, name_type in zip(
            names.column("ror_id").to_pylist(),
            names.column("name").to_pylist(),
            names.column("name_type").to_pylist(),
            strict=True,
        ):
            key = normalise(name)
            if not key:
                continue
            if name_type == "acronym":
                if len(key.replace(" ", "")) >= _MIN_ACRONYM_LENGTH:
                    self._acronyms[key][ror_id] = 0
                continue
            rank = _NAME_RANK.get(name_type, 1)
            tokens = self._abbreviator.tokens(key)
            _keep_best(self._exact[key], ror_id, rank)
            _keep_best(self._abbreviated["".join(tokens)], ror_id, rank)
            fuzzy_names[(" ".join(tokens), ror_id)] = None
            # ROR tells same-named companies apart by a country in brackets (`Sanofi (France)`), which
            # affiliations never write: the bare name is indexed too, ranked as an alias.
            bare = normalise(_TRAILING_BRACKETS.sub("", name))
            if bare and bare != key:
                _keep_best(self._exact[bare], ror_id, _NAME_RANK["alias"])
                _keep_best(self._abbreviated[self._abbreviator.key(bare)], ror_id, _NAME_RANK["alias"])
        self._fuzzy_names = list(fuzzy_names)
        # Word -> positions in _fuzzy_names, overall (to find the query's rarest word) and per country (so
        # the candidates of a known country are read directly, never filtered out of a long list).
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._country_postings: dict[tuple[str, str], list[int]] = defaultdict(list)
        for position, (tokens, ror_id) in enumerate(self._fuzzy_names):
            for token in set(tokens.split()):
                self._postings[token].append(position)
                self._country_postings[(token, self._organizations[ror_id][1])].append(position)
        log.info("ROR matcher indexed %s organisations, %s names", len(self._organizations), len(fuzzy_names))

    def resolve(self, text: str, country: str | None = None, organisation_first: bool = False) -> Match:
        """The institution of one organisation or affiliation string; never raises on odd input.

        Parts are tried from the last to the first (free-text affiliations name the department first and
        the institution later), or from the first with ``organisation_first`` (WoS addresses).
        """
        # A bracket is an aside (`(Deemed to be University, MoE, Govt. of India)`): dropped before the
        # string is cut into parts, so its commas cut no part of their own.
        parts = [part.strip(" ()") for part in _PART_SEPARATORS.split(_PARENTHESES.sub(" ", text))]
        parts = [part for part in parts if part]
        named_country = self._countries.code_of(parts[-1]) if len(parts) > 1 else None
        if named_country:
            parts = parts[:-1]
        country = (country or "").upper()
        if country in ("", UNKNOWN_COUNTRY):
            country = named_country or UNKNOWN_COUNTRY
        allowed = None if country == UNKNOWN_COUNTRY else compatible_countries(country)
        pairs = [f"{first} {second}" for first, second in pairwise(parts)]
        if not organisation_first:
            parts.reverse()
            pairs.reverse()
        # A part that is only a city (`Providence`, `Cambridge`) names no institution, however many
        # organisations carry the city as an alias; in a pair it still tells campuses apart.
        singles = [(part, key) for part, key in _keyed(parts) if not self._is_city(key, allowed)]
        keys = _keyed(pairs) + singles
        # Whole parts (and adjacent pairs) first; the costlier word runs inside parts only when they fail.
        whole_parts: list[tuple[str, Candidates, Lookup]] = [
            ("alias", keys, self._by_alias),
            ("exact", keys, self._by_exact),
            ("abbreviated", keys, self._by_abbreviation),
        ]
        if allowed is not None:  # short acronyms collide across countries: only used within a known one
            whole_parts.insert(2, ("acronym", keys, self._by_acronym))
        inside_parts: list[tuple[str, Callable[[], Candidates], Lookup]] = [
            (
                "prefix",
                lambda: [(part, run) for part, key in singles for run in self._prefixes(key)],
                self._by_name,
            ),
            (
                "contained",
                lambda: [(part, run) for part, key in singles for run in self._windows(key)],
                self._by_name,
            ),
        ]
        if allowed is not None:
            inside_parts.append(("acronym", lambda: self._acronym_tokens(parts), self._by_acronym))
        stages = [
            (method, lambda keys=keys: keys, lookup) for method, keys, lookup in whole_parts
        ] + inside_parts
        for method, candidates, lookup in stages:
            found = [
                (part, ror_id)
                for part, key in candidates()
                if (ror_id := lookup(key, allowed)) and self._may_be(ror_id, key)
            ]
            if found:
                part, ror_id = self._preferred(found)
                if ror_id in self._relatives:
                    part, ror_id = self._in_hierarchy(text, part, ror_id, whole_parts, allowed)
                return self._match(text, country, ror_id, method, _CONFIDENCE[method], part)
        for part, key in singles:
            found, similarity = self._by_similarity(key, allowed)
            if found and self._may_be(found, key):
                return self._match(text, country, found, "fuzzy", similarity, part)
        return self._unresolved(text, country)

    def _may_be(self, ror_id: str, key: str) -> bool:
        """Whether a part (normalised key) may name the organisation found for it, by any method: a
        university system only when the part says ``system`` (`University of Colorado` is a campus)."""
        return ror_id not in self._systems or "system" in key.split()

    def _preferred(self, found: list[tuple[str, str]]) -> tuple[str, str]:
        """Of the organisations one method finds in several parts, the first in reading order, unless it
        is no university and a later part names one: an affiliation lists the lab, the CNRS unit or the
        hospital beside the university it belongs to (`Sorbonne Université, CNRS, LIP6`)."""
        first = found[0]
        if first[1] in self._education:
            return first
        return next((hit for hit in found if hit[1] in self._education), first)

    def _prefixes(self, key: str) -> list[str]:
        """Leading word runs of a key, longest first, at least two words (``stanford university school of
        medicine`` -> ... ``stanford university``): the institution named before its faculty in one part.
        A run must not end on a word the abbreviations drop (``shiraz university of`` would contract to
        ``shiraz university``), nor be followed by a word that starts another institution's name, except
        ``and`` joining two institutions (``massachusetts general hospital and harvard medical school``)."""
        words = key.split()
        return [
            " ".join(words[:length])
            for length in range(len(words) - 1, 1, -1)
            if (words[length] == "and" or words[length] not in _NOT_A_SUB_UNIT)
            and not self._abbreviator.drops(words[length - 1])
            and not self._names_own_site(words[length:])
        ]

    @staticmethod
    def _names_own_site(rest: list[str]) -> bool:
        """Whether the words after a prefix name a site of its own: words of their own, then a site word,
        before any ``and`` that joins another institution (`... chiayi branch`, `... west china hospital`;
        not `... campus` alone, nor `... and turku university hospital`)."""
        own = rest[: rest.index("and")] if "and" in rest else rest
        return any(word in _OWN_SITES for word in own[1:])

    def _windows(self, key: str) -> list[str]:
        """Inner and trailing word runs of a key that may name the institution a part belongs to, longest
        first and, at one length, the last first (runs from the first word are ``_prefixes``).

        A run counts when it follows a connecting word (`black hole initiative at harvard university`,
        `shenzhen campus of sun yat sen university`), is not followed by a word that starts another
        institution (`... at vanderbilt university medical center`), holds a word that is more than a
        generic institution word (not `national institute of technology`), and nothing before it names a
        hospital: an affiliated hospital of a university is an organisation of its own in ROR.
        """
        words = key.split()
        runs = []
        for length in range(len(words) - 1, 1, -1):
            for start in range(len(words) - length, 0, -1):
                end = start + length
                run = words[start:end]
                if (
                    words[start - 1] in _CONNECTORS
                    and not self._abbreviator.drops(run[-1])
                    and (end == len(words) or words[end] not in _NOT_A_SUB_UNIT)
                    and not _OWN_INSTITUTIONS.intersection(words[:start])
                    and any(not self._abbreviator.is_generic(word) for word in run)
                ):
                    runs.append(" ".join(run))
        return runs

    def _acronym_tokens(self, parts: Iterable[str]) -> list[tuple[str, str]]:
        """Upper-case words of three or more letters standing beside nothing but generic words or codes
        (`INSERM U1148`, `VIT University`), as (part, normalised word). An acronym before a name
        (`ICAR-Indian Agricultural Research Institute`) is the parent of an institute ROR may hold apart."""
        tokens = []
        for part in parts:
            words = normalise(part).split()
            for token in _ACRONYM_TOKEN.findall(part):
                rest = [word for word in words if word != token.casefold()]
                if rest and all(self._abbreviator.is_generic(word) or _DIGIT.search(word) for word in rest):
                    tokens.append((part, token.casefold()))
        return tokens

    def _in_hierarchy(
        self,
        text: str,
        part: str,
        ror_id: str,
        whole_parts: list[tuple[str, Candidates, Lookup]],
        allowed: frozenset[str] | None,
    ) -> tuple[str, str]:
        """Parent or child, when the string names both as whole parts (`Kunming Institute of Zoology,
        Chinese Academy of Sciences`; `State Key Laboratory of Fire Science, University of Science and
        Technology of China`). A name inside the matched part is not another mention: `University of
        California San Diego` does not name the University of California System.

        A university is credited with its units (labs, institutes, faculties, hospitals it parents), as
        publishers' curators do; any other parent (an academy, a government agency, a hospital group) gives
        way to the child it names, the most specific organisation in the string: CAS institutes, NIH
        institutes and the hospitals of a group are organisations of their own. Of several children named,
        the one written last, next to the parent (`lab, institute, academy`), is taken.
        """
        named: dict[str, str] = {}
        for _, candidates, lookup in whole_parts:
            for candidate_part, key in candidates:
                if candidate_part in part or part in candidate_part:
                    continue
                if (found := lookup(key, allowed)) and found not in named:
                    named[found] = candidate_part
        for _ in range(_MAX_HIERARCHY_STEPS):
            parents = [parent for parent in self._parents.get(ror_id, ()) if parent in named]
            university = next((parent for parent in parents if parent in self._education), None)
            children = [child for child in self._children.get(ror_id, ()) if child in named]
            if university:
                ror_id = university
            elif children and ror_id not in self._education:
                ror_id = max(children, key=lambda child: text.rfind(named[child]))
            else:
                break
            part = named.pop(ror_id)
        return part, ror_id

    def _is_city(self, key: str, allowed: frozenset[str] | None) -> bool:
        countries = self._cities.get(key)
        return bool(countries) and (allowed is None or bool(countries & allowed))

    def _by_alias(self, key: str, allowed: frozenset[str] | None) -> str | None:
        entries = self._aliases.get(self._abbreviator.key(key))
        if not entries:
            return None
        fitting = {
            ror_id for ror_id, alias in entries.items() if allowed is None or alias.country_code in allowed
        }
        return fitting.pop() if len(fitting) == 1 else None

    def _by_exact(self, key: str, allowed: frozenset[str] | None) -> str | None:
        return _unique(self._exact.get(key), allowed, self._organizations, self._only_generic(key))

    def _only_generic(self, key: str) -> bool:
        """Whether a key holds nothing but generic words (`national institute of technology`): such a
        name, when only one organisation carries it as an alias, is a kind of institution, not that one."""
        return all(self._abbreviator.is_generic(word) for word in key.split())

    def _by_name(self, key: str, allowed: frozenset[str] | None) -> str | None:
        """A name found inside a part: only an organisation's own name (display name or label) counts.
        An alias is often a short form that starts other organisations' names too (`University of
        Maryland` for College Park inside `University of Maryland Global Campus`)."""
        return _unique(self._exact.get(key), allowed, self._organizations, own_names_only=True) or _unique(
            self._abbreviated.get(self._abbreviator.key(key)),
            allowed,
            self._organizations,
            own_names_only=True,
        )

    def _by_acronym(self, key: str, allowed: frozenset[str] | None) -> str | None:
        return _unique(self._acronyms.get(key), allowed, self._organizations)

    def _by_abbreviation(self, key: str, allowed: frozenset[str] | None) -> str | None:
        return _unique(
            self._abbreviated.get(self._abbreviator.key(key)),
            allowed,
            self._organizations,
            self._only_generic(key),
        )

    def _by_similarity(self, key: str, allowed: frozenset[str] | None) -> tuple[str | None, float]:
        tokens = self._abbreviator.tokens(key)
        # Candidates must share the query's rarest indexed word: names alike but for the place (Wuhan vs
        # Zhuhai Center for Disease Control) score high on the common words and are wrong.
        indexed = [token for token in sorted(set(tokens)) if token in self._postings]
        if not indexed:
            return None, 0.0
        rarest = min(indexed, key=lambda token: len(self._postings[token]))
        if len(self._postings[rarest]) > _MAX_POSTINGS:
            return None, 0.0
        if allowed is None:
            positions = self._postings[rarest]
        else:
            positions = [
                p for code in sorted(allowed) for p in self._country_postings.get((rarest, code), ())
            ]
        choices = {position: self._fuzzy_names[position][0] for position in positions}
        if not choices:
            return None, 0.0
        scored = process.extract(
            " ".join(tokens),
            choices,
            scorer=fuzz.token_sort_ratio,
            score_cutoff=self._fuzzy_cutoff,
            limit=None,
        )
        if not scored:
            return None, 0.0
        similarity = max(score for _, score, _ in scored)
        # A tie between organisations (same name in two countries, country unknown) is no answer.
        best = {self._fuzzy_names[position][1] for _, score, position in scored if score == similarity}
        return (best.pop(), similarity / 100) if len(best) == 1 else (None, 0.0)

    def _match(
        self, text: str, country: str, ror_id: str, method: str, confidence: float, part: str
    ) -> Match:
        name, institution_country = self._organizations[ror_id]
        return Match(text, country, ror_id, ror_id, name, institution_country, method, confidence, part)

    @staticmethod
    def _unresolved(text: str, country: str) -> Match:
        key = normalise(text)
        return Match(
            text, country, f"{UNRESOLVED}:{country}:{key}", None, text, country, UNRESOLVED, 0.0, None
        )


def _keyed(parts: Iterable[str]) -> list[tuple[str, str]]:
    """Address parts with their normalised keys; parts under three characters (US state codes, stray
    letters) name no institution and are left out."""
    return [(part, key) for part in parts if len((key := normalise(part)).replace(" ", "")) >= 3]


def _acronym_tokens(parts: Iterable[str]) -> list[tuple[str, str]]:
    """Upper-case words of three or more letters in the parts (`INSERM U1148`, `VIT University`), as
    (part, normalised word): an acronym standing in a part beside other words."""
    return [
        (part, token.casefold())
        for part in parts
        for token in _ACRONYM_TOKEN.findall(part)
        if normalise(part) != token.casefold()
    ]


def _cities(organizations: pa.Table) -> dict[str, frozenset[str]]:
    """Normalised city name -> the countries of the organisations located there."""
    if "city" not in organizations.column_names:
        return {}
    cities: dict[str, set[str]] = defaultdict(set)
    for city, country in zip(
        organizations.column("city").to_pylist(),
        organizations.column("country_code").to_pylist(),
        strict=True,
    ):
        if city and country:
            cities[normalise(city)].add(country)
    return {city: frozenset(countries) for city, countries in cities.items()}


def _hierarchy(parents: pa.Table) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """ROR id -> its parents, and ROR id -> its children, each list sorted."""
    up: dict[str, list[str]] = defaultdict(list)
    down: dict[str, list[str]] = defaultdict(list)
    for child, parent in sorted(
        zip(parents.column("ror_id").to_pylist(), parents.column("parent_id").to_pylist(), strict=True)
    ):
        up[child].append(parent)
        down[parent].append(child)
    return dict(up), dict(down)


def _education(organizations: pa.Table) -> frozenset[str]:
    """ROR ids of the organisations typed ``education`` (universities, colleges)."""
    if "types" not in organizations.column_names:
        return frozenset()
    return frozenset(
        ror_id
        for ror_id, types in zip(
            organizations.column("ror_id").to_pylist(), organizations.column("types").to_pylist(), strict=True
        )
        if types and "education" in types
    )


def _keep_best(ranks: dict[str, int], ror_id: str, rank: int) -> None:
    ranks[ror_id] = min(rank, ranks.get(ror_id, rank))


def _unique(
    ranks: dict[str, int] | None,
    allowed: frozenset[str] | None,
    organizations: dict[str, tuple[str, str]],
    own_names_only: bool = False,
) -> str | None:
    """The one organisation (in the allowed countries) holding the name at its best rank, else None;
    with ``own_names_only``, None too when that best rank is an alias's."""
    if not ranks:
        return None
    fitting = {
        ror_id: rank
        for ror_id, rank in ranks.items()
        if allowed is None or organizations[ror_id][1] in allowed
    }
    if not fitting:
        return None
    best = min(fitting.values())
    if own_names_only and best > _NAME_RANK["display"]:
        return None
    winners = [ror_id for ror_id, rank in fitting.items() if rank == best]
    return winners[0] if len(winners) == 1 else None
