"""An independent reference computation of the publication marts, in plain Python over the raw files.

Deliberately shares no code with stiwatch: its own file readers, its own address rule, its own (small)
country lists for the three regions of the brief. Tests compare it with the dbt marts, so a bug in either
shows up as a disagreement. Only what decides EU27/AC, CN and US membership is needed here.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

# WoS country names of EU27 + NO, CH and the UK nations, written out here by hand.
EU27_AC_WOS = {
    "austria", "belgium", "bulgaria", "croatia", "cyprus", "czech republic", "czechia", "denmark",
    "estonia", "finland", "france", "germany", "greece", "hungary", "ireland", "italy", "latvia",
    "lithuania", "luxembourg", "malta", "netherlands", "poland", "portugal", "romania", "slovakia",
    "slovenia", "spain", "sweden", "norway", "switzerland", "england", "scotland", "wales",
    "north ireland", "fed rep ger", "west germany",
}  # fmt: skip
EU27_AC_ISO = {
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "EL", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "NO", "CH", "GB",
}  # fmt: skip
_US_STATE_ZIP = re.compile(r"^([A-Z]{2})( \d{5}(-\d{4})?)?$")
US_STATES = {
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC",
    "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
}  # fmt: skip
_YEAR = re.compile(r"(\d{4})")


@dataclass
class Paper:
    year: int | None
    # (region or None, author weight) per address/affiliation; None = outside the three regions
    places: list[tuple[str | None, int]] = field(default_factory=list)
    # WoS categories (WC labels) of the record, each once
    categories: list[str] = field(default_factory=list)

    @property
    def regions(self) -> set[str]:
        return {r for r, _ in self.places if r}


# --- Web of Science -------------------------------------------------------------------------------


def _text(path: Path) -> str:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16")
    return raw.decode("utf-8-sig")


def _wos_records(path: Path) -> Iterator[dict[str, list[str]]]:
    text = _text(path)
    lines = text.splitlines()
    if lines[0].startswith("FN "):
        record: dict[str, list[str]] = {}
        tag = None
        for line in lines[2:]:
            if line.startswith("ER"):
                yield record
                record, tag = {}, None
            elif line.startswith("   ") and tag:
                record[tag].append(line.strip())
            elif len(line) >= 2 and line[:2] != "EF":
                tag = line[:2]
                record[tag] = [line[3:].strip()]
    else:
        header = lines[0].split("\t")
        for line in lines[1:]:
            if line.strip():
                values = dict(zip(header, line.split("\t"), strict=False))
                c1 = _split_outside_brackets(values.get("C1", ""))
                yield {k: [v] for k, v in values.items()} | {"C1": c1}


def _split_outside_brackets(value: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in value:
        depth += ch == "["
        depth -= ch == "]"
        if ch == ";" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        parts.append(current.strip())
    return parts


def _wos_region(address: str, hk_mo_in_cn: bool) -> str | None:
    parts = [p.strip() for p in address.rstrip(".").split(",")]
    last = parts[-1]
    lowered = {p.lower() for p in parts}
    if lowered & {"hong kong", "macau", "macao"}:
        return "CN" if hk_mo_in_cn else None
    if last == "USA" or last.endswith(" USA"):
        return "US"
    old_us = _US_STATE_ZIP.match(last)  # old records: "NY 14627" or a bare upper-case "MO", no country
    if old_us and old_us.group(1) in US_STATES:
        return "US"
    if last.lower() == "peoples r china":
        return "CN"
    if last.lower() in EU27_AC_WOS:
        return "EU27/AC"
    return None


def wos_papers(files: Iterable[Path], hk_mo_in_cn: bool = True) -> dict[str, Paper]:
    """UT -> Paper, first occurrence wins when exports overlap (files in sorted order)."""
    papers: dict[str, Paper] = {}
    for path in sorted(files):
        for rec in _wos_records(path):
            ut = rec["UT"][0]
            if ut in papers:
                continue
            year_text = (rec.get("PY") or [""])[0] or (rec.get("EA") or [""])[0]
            found = _YEAR.search(year_text)
            paper = Paper(year=int(found.group(1)) if found else None)
            # WC is "; "-separated; a field-tagged export wraps long values onto indented lines.
            wc = " ".join(rec.get("WC", []))
            paper.categories = list(dict.fromkeys(c.strip() for c in wc.split(";") if c.strip()))
            for address in rec.get("C1", []):
                if not address:
                    continue
                weight = 1
                if address.startswith("["):
                    authors, _, address = address[1:].partition("]")
                    weight = len([a for a in authors.split(";") if a.strip()])
                paper.places.append((_wos_region(address.strip(), hk_mo_in_cn), weight))
            papers[ut] = paper
    return papers


# --- OpenAlex -------------------------------------------------------------------------------------


def _openalex_works(path: Path) -> Iterator[dict]:
    text = _text(path)
    if path.name.endswith((".jsonl", ".jsonl.gz")) or (text.lstrip().startswith("{") and "\n{" in text):
        for line in text.splitlines():
            if line.strip():
                yield json.loads(line)
        return
    data = json.loads(text)
    yield from data["results"] if isinstance(data, dict) else data


def _iso_region(code: str | None, hk_mo_in_cn: bool) -> str | None:
    code = (code or "").upper()
    if code in EU27_AC_ISO:
        return "EU27/AC"
    if code == "CN" or (hk_mo_in_cn and code in {"HK", "MO"}):
        return "CN"
    if code == "US":
        return "US"
    return None


def openalex_papers(files: Iterable[Path], hk_mo_in_cn: bool = True) -> dict[str, Paper]:
    """Work id -> Paper; a work seen twice keeps the copy with the latest updated_date."""
    best: dict[str, tuple[str, Paper]] = {}
    for path in sorted(files):
        for work in _openalex_works(path):
            wid = work["id"].rsplit("/", 1)[-1]
            paper = Paper(year=work.get("publication_year"))
            for authorship in work.get("authorships") or []:
                institutions = authorship.get("institutions") or []
                if institutions:
                    for inst in institutions:
                        paper.places.append((_iso_region(inst.get("country_code"), hk_mo_in_cn), 1))
                else:
                    for code in authorship.get("countries") or []:
                        paper.places.append((_iso_region(code, hk_mo_in_cn), 1))
            updated = work.get("updated_date") or ""
            if wid not in best or updated > best[wid][0]:
                best[wid] = (updated, paper)
    return {wid: paper for wid, (_, paper) in best.items()}


# --- the counts -----------------------------------------------------------------------------------

PAIRS = [("CN", "EU27/AC"), ("CN", "US"), ("EU27/AC", "US")]


def region_output(papers: dict[str, Paper], first_year: int) -> dict[tuple[int, str], tuple[int, float]]:
    """(year, region) -> (full count, fractional count) for EU27/AC, CN and US."""
    full: dict[tuple[int, str], int] = defaultdict(int)
    frac: dict[tuple[int, str], float] = defaultdict(float)
    for paper in papers.values():
        if paper.year is None or paper.year < first_year or not paper.places:
            continue
        total = sum(w for _, w in paper.places)
        for region in paper.regions:
            full[(paper.year, region)] += 1
            frac[(paper.year, region)] += sum(w for r, w in paper.places if r == region) / total
    return {key: (full[key], frac[key]) for key in full}


def pair_output(papers: dict[str, Paper], first_year: int) -> dict[tuple[int, str], tuple[int, int]]:
    """(year, 'A-B') -> (co-publications, trilateral co-publications of that year)."""
    pairs: dict[tuple[int, str], int] = defaultdict(int)
    tri: dict[int, int] = defaultdict(int)
    for paper in papers.values():
        if paper.year is None or paper.year < first_year:
            continue
        regions = paper.regions
        for a, b in PAIRS:
            if a in regions and b in regions:
                pairs[(paper.year, f"{a}-{b}")] += 1
        if len(regions) == 3:
            tri[paper.year] += 1
    return {key: (n, tri[key[0]]) for key, n in pairs.items()}


def field_shares(
    papers: dict[str, Paper], category_groups: dict[str, str], first_year: int
) -> dict[tuple[int | None, str, str], float]:
    """(year, or None for all years together; 'A-B'; field group) -> fractional co-publications.

    ``category_groups`` maps lower-case category labels to field groups. A paper with k mapped categories
    gives 1/k to the group of each; one without any mapped category gives 1 to 'other_unmapped'.
    """
    shares: dict[tuple[int | None, str, str], float] = defaultdict(float)
    for paper in papers.values():
        if paper.year is None or paper.year < first_year:
            continue
        groups = [category_groups[c.lower()] for c in paper.categories if c.lower() in category_groups]
        weights = {g: groups.count(g) / len(groups) for g in groups} or {"other_unmapped": 1.0}
        for a, b in PAIRS:
            if a in paper.regions and b in paper.regions:
                for period in (paper.year, None):
                    for group, weight in weights.items():
                        shares[(period, f"{a}-{b}", group)] += weight
    return dict(shares)
