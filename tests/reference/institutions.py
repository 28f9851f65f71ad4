"""Reference computation of fct_top_institutions and fct_uk_share over the raw WoS files, in plain Python.

Institution identity: the resolver's output table (lake/institutions/matches.parquet) is the mapping INPUT
here, looked up by (organisation, ISO country) where both are derived by this module from the raw C1
addresses with its own rules; the matching itself is not under test. Counting (which papers are EU27/AC-CN
co-publications, an institution once per paper, ranks, main partners, UK share) is re-implemented here.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from .bibliometrics import EU27_AC_WOS, _wos_records, _wos_region

# WoS country names of EU27/AC written out to ISO2 by hand (UK nations -> GB).
_ISO = {
    "austria": "AT", "belgium": "BE", "bulgaria": "BG", "croatia": "HR", "cyprus": "CY",
    "czech republic": "CZ", "czechia": "CZ", "denmark": "DK", "estonia": "EE", "finland": "FI",
    "france": "FR", "germany": "DE", "fed rep ger": "DE", "west germany": "DE", "greece": "GR",
    "hungary": "HU", "ireland": "IE", "italy": "IT", "latvia": "LV", "lithuania": "LT", "luxembourg": "LU",
    "malta": "MT", "netherlands": "NL", "poland": "PL", "portugal": "PT", "romania": "RO", "slovakia": "SK",
    "slovenia": "SI", "spain": "ES", "sweden": "SE", "norway": "NO", "switzerland": "CH", "england": "GB",
    "scotland": "GB", "wales": "GB", "north ireland": "GB", "peoples r china": "CN",
}  # fmt: skip
assert set(_ISO) >= EU27_AC_WOS


def _iso(parts: list[str]) -> str:
    """ISO2 of an address: HK / MO when a part names them (postcode words ignored), else the last part."""
    for part in parts:
        place = " ".join(word for word in part.lower().split() if not any(ch.isdigit() for ch in word))
        if place == "hong kong":
            return "HK"
        if place in ("macau", "macao"):
            return "MO"
    return _ISO[parts[-1].lower()]


def wos_institution_papers(
    files: Iterable[Path], mapping: dict[tuple[str, str], tuple[str, str, str]]
) -> dict[str, tuple[int | None, set[str], set[tuple[str, str, str, str]]]]:
    """UT -> (year, countries, {(side, key, name, country)}) for EU27/AC and CN addresses.

    A UT in several files keeps its first occurrence in the order ``files`` are given: pass them in the
    order of their landed names, the order the warehouse keeps (the copies of a UT may differ).
    """
    papers: dict[str, tuple[int | None, set[str], set[tuple[str, str, str, str]]]] = {}
    for path in files:
        for rec in _wos_records(path):
            ut = rec["UT"][0]
            if ut in papers:
                continue
            year_text = (rec.get("PY") or [""])[0] or (rec.get("EA") or [""])[0]
            found = re.search(r"(\d{4})", year_text)  # EA is written "MAR 2021"
            year = int(found.group(1)) if found else None
            regions: set[str] = set()
            countries: set[str] = set()
            institutions: set[tuple[str, str, str, str]] = set()
            for address in rec.get("C1", []):
                if address.startswith("["):
                    address = address.partition("]")[2]
                address = address.strip()
                region = _wos_region(address, hk_mo_in_cn=True) if address else None
                if region not in ("EU27/AC", "CN"):
                    continue
                regions.add(region)
                parts = [p.strip() for p in address.rstrip(".").split(",") if p.strip()]
                iso = _iso(parts)
                countries.add(iso)
                if len(parts) >= 2:
                    key, name, country = mapping[(parts[0], iso)]
                    institutions.add((region, key, name, country))
            if regions == {"EU27/AC", "CN"}:
                papers[ut] = (year, countries, institutions)
            else:
                papers.setdefault(ut, (year, set(), set()))
    return {ut: paper for ut, paper in papers.items() if paper[2] or paper[1]}


def top_eu_institutions(papers: dict, first_year: int) -> dict[str, tuple[int, int, set[str]]]:
    """All-years EU27/AC institutions, variant all: key -> (co-publications, main partner's count, the CN
    keys reaching that count). Names are left out: a key's display name is a choice among its spellings,
    so the tie-break by name is checked by the dbt unit tests instead."""
    counts: Counter[str] = Counter()
    partners: dict[str, Counter[str]] = defaultdict(Counter)
    for year, countries, institutions in papers.values():
        if year is None or year < first_year or not countries:
            continue
        eu = {key for side, key, _, _ in institutions if side == "EU27/AC"}
        cn = {key for side, key, _, _ in institutions if side == "CN"}
        for key in eu:
            counts[key] += 1
            partners[key].update(cn)
    result = {}
    for key, n in counts.items():
        best = max(partners[key].values(), default=0)
        result[key] = (n, best, {k for k, c in partners[key].items() if c == best and best})
    return result


def uk_share(papers: dict, first_year: int) -> dict[str, tuple[int, int]]:
    """period ('all' or the year) -> (EU27/AC-CN co-publications, those with a GB address)."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for year, countries, _ in papers.values():
        if year is None or year < first_year or not countries:
            continue
        for period in ("all", str(year)):
            totals[period][0] += 1
            totals[period][1] += "GB" in countries
    return {period: (n, uk) for period, (n, uk) in totals.items()}
