"""C1 addresses -> affiliation parts and a country (METHOD.md, "Countries from Web of Science addresses").

An entry looks like ``[Author A; Author B] Org, Dept, City, Postcode, Country``. The country is the last
comma part, looked up in the country seed, with three exceptions handled here:
- ``<ST> <ZIP> USA`` and ``<ST> USA``: the country is ``USA`` (the state code shares its part);
- old records (upper case, commas without spaces) end in a US state code, optionally with a ZIP, and no
  country: US, basis ``us_state_zip``;
- a part naming Hong Kong or Macau (``Kowloon, Hong Kong, Peoples R China`` or ``..., Hong Kong``): HK/MO,
  basis ``hk_mo_city``. Whether HK and MO count as CN is decided in dbt, not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .countries import CountryLookup

UNKNOWN = "UNKNOWN"
HK_MO_CODES = frozenset({"HK", "MO"})
BASIS_ADDRESS = "address"
BASIS_US_STATE_ZIP = "us_state_zip"
BASIS_HK_MO_CITY = "hk_mo_city"

# "USA", "MA USA", "MA 02115 USA", "NJ 08855-4141 USA"
_US_COUNTRY = re.compile(r"^(?:[A-Za-z]{2}\s+)?(?:\d{5}(?:-\d{4})?\s+)?USA$", re.IGNORECASE)
# old records: "NY 14627", "MO" (upper case only: newer records never end in a bare state code)
_OLD_US_STATE = re.compile(r"^([A-Z]{2})(?:\s+\d{5}(?:-\d{4})?)?$")
# a province/state code standing alone before the country: "Montreal, PQ, Canada", "Sao Paulo, SP, Brazil"
_REGION_CODE = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class ParsedAddress:
    n_authors: int
    organisation: str | None
    sub_units: str | None
    city: str | None
    country_raw: str | None
    country_code: str
    country_basis: str
    unmapped: bool  # the country text is not in the seed (reported in the manifest)


def split_c1_field(text: str) -> list[str]:
    """Split a tab-format C1 value on the ';' between addresses (not those between bracketed authors)."""
    entries, current, depth = [], [], 0
    for ch in text:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(depth - 1, 0)
        if ch == ";" and depth == 0:
            entries.append("".join(current))
            current = []
        else:
            current.append(ch)
    entries.append("".join(current))
    return [e.strip() for e in entries if e.strip()]


def split_author_group(entry: str) -> tuple[int, str]:
    """(number of authors in the leading [group], rest of the entry); 1 author when there is no group."""
    text = entry.strip()
    if text.startswith("["):
        close = text.find("]")
        if close > 0:
            authors = [a for a in text[1:close].split(";") if a.strip()]
            return max(len(authors), 1), text[close + 1 :].strip()
    return 1, text


def strip_postcodes(part: str) -> str:
    """Drop the words that hold a digit: 'I-50139 Florence' -> 'Florence', 'Beijing 100190' -> 'Beijing'."""
    return " ".join(word for word in part.split() if not any(ch.isdigit() for ch in word))


def _country(parts: list[str], lookup: CountryLookup) -> tuple[str, str, str, bool]:
    """(country_raw, country_code, country_basis, unmapped) from the comma parts of one address."""
    last = parts[-1]
    old_state = _OLD_US_STATE.match(last)
    if _US_COUNTRY.match(last):
        raw, code, basis = "USA", lookup.code_of("USA"), BASIS_ADDRESS
    elif old_state and old_state.group(1) in lookup.us_states:
        raw, code, basis = last, "US", BASIS_US_STATE_ZIP
    else:
        raw, code, basis = last, lookup.code_of(last), BASIS_ADDRESS
    for part in parts:
        place = lookup.code_of(strip_postcodes(part))
        if place in HK_MO_CODES:
            return raw, place, BASIS_HK_MO_CITY, False
    if code is None:
        return raw, UNKNOWN, basis, True
    return raw, code, basis, False


def parse_address(entry: str, lookup: CountryLookup) -> ParsedAddress:
    """Parts of one C1 entry: organisation = first part, city = the part before the country (postcodes
    stripped; a lone two-letter province code such as 'PQ' is skipped), sub-units = the parts between."""
    n_authors, address = split_author_group(entry)
    parts = [p.strip() for p in address.strip().rstrip(".").split(",")]
    parts = [p for p in parts if p]
    if not parts:
        return ParsedAddress(n_authors, None, None, None, None, UNKNOWN, BASIS_ADDRESS, True)
    country_raw, code, basis, unmapped = _country(parts, lookup)
    organisation = parts[0] if len(parts) >= 2 else None
    city_at = len(parts) - 2
    if city_at >= 2 and _REGION_CODE.match(strip_postcodes(parts[city_at])):
        city_at -= 1
    city = (strip_postcodes(parts[city_at]) or None) if city_at >= 1 else None
    sub_units = "; ".join(parts[1 : max(city_at, 1)]) or None
    return ParsedAddress(n_authors, organisation, sub_units, city, country_raw, code, basis, unmapped)
