"""C1 addresses -> affiliation parts and the country text as delivered (METHOD.md, "Countries from Web of
Science addresses").

An entry looks like ``[Author A; Author B] Org, Dept, City, Postcode, Country``. The parser records only
what the text says, never a seed decision: the mapping of the country text to an ISO code, and whether a
part names Hong Kong or Macau, happen in dbt from the seeds (``int_wos_affiliations_coded``), so a seed fix
takes effect on the next refresh without re-ingesting. The structural facts it records:
- ``country_raw``: the last comma part; ``USA`` for ``<ST> <ZIP> USA`` and ``<ST> USA`` (the state code
  shares the country's part);
- ``country_form``: ``country`` (the last part is read as a country name) or ``us_state_zip`` (old records,
  upper case with commas without spaces, end in a two-letter code with an optional ZIP and no country;
  dbt counts them as US when the code is in the US state seed);
- ``place_parts``: every comma part with its postcode words removed, in order (dbt looks them up for the
  Hong Kong / Macau rule: ``Kowloon, Hong Kong, Peoples R China`` is HK).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FORM_COUNTRY = "country"
FORM_US_STATE_ZIP = "us_state_zip"

# "USA", "MA USA", "MA 02115 USA", "NJ 08855-4141 USA"
_US_COUNTRY = re.compile(r"^(?:[A-Za-z]{2}\s+)?(?:\d{5}(?:-\d{4})?\s+)?USA$", re.IGNORECASE)
# old records: "NY 14627", "MO" (upper case only: newer records never end in a bare state code)
_OLD_US_STATE = re.compile(r"^[A-Z]{2}(?:\s+\d{5}(?:-\d{4})?)?$")
# a province/state code standing alone before the country: "Montreal, PQ, Canada", "Sao Paulo, SP, Brazil"
_REGION_CODE = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class ParsedAddress:
    n_authors: int
    organisation: str | None
    sub_units: str | None
    city: str | None
    country_raw: str | None
    country_form: str
    place_parts: tuple[str, ...]


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


def _country(last: str) -> tuple[str, str]:
    """(country_raw, country_form) of the last comma part of one address."""
    if _US_COUNTRY.match(last):
        return "USA", FORM_COUNTRY
    if _OLD_US_STATE.match(last):
        return last, FORM_US_STATE_ZIP
    return last, FORM_COUNTRY


def parse_address(entry: str) -> ParsedAddress:
    """Parts of one C1 entry: organisation = first part, city = the part before the country (postcodes
    stripped; a lone two-letter province code such as 'PQ' is skipped), sub-units = the parts between."""
    n_authors, address = split_author_group(entry)
    parts = [p.strip() for p in address.strip().rstrip(".").split(",")]
    parts = [p for p in parts if p]
    if not parts:
        return ParsedAddress(n_authors, None, None, None, None, FORM_COUNTRY, ())
    country_raw, form = _country(parts[-1])
    organisation = parts[0] if len(parts) >= 2 else None
    city_at = len(parts) - 2
    if city_at >= 2 and _REGION_CODE.match(strip_postcodes(parts[city_at])):
        city_at -= 1
    city = (strip_postcodes(parts[city_at]) or None) if city_at >= 1 else None
    sub_units = "; ".join(parts[1 : max(city_at, 1)]) or None
    places = tuple(strip_postcodes(part) for part in parts)
    return ParsedAddress(n_authors, organisation, sub_units, city, country_raw, form, places)
