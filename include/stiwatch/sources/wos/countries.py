"""Country names of WoS addresses -> ISO codes, read from the dbt seeds, for the institution matcher.

The marts take their countries from dbt (``int_wos_affiliations_coded``), never from here: the ingest
records only the address text. The institution resolution step runs before dbt on every refresh and needs
the same code as its join key with the lake (``address_country``, the same rule as that model; a test holds
the two together on the real files), and ``institutions.countries`` reads country names from the seed.

``dbt/seeds/wos_country_names.csv`` maps every country string seen in WoS addresses (matching is
case-insensitive, so old upper-case records need no extra rows); a row may map to ``UNKNOWN`` on purpose
(e.g. USSR). ``dbt/seeds/us_state_codes.csv`` lists the state codes that end old US addresses.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from stiwatch.config import SEEDS_DIR

COUNTRY_SEED = "wos_country_names.csv"
STATE_SEED = "us_state_codes.csv"


def name_key(name: str) -> str:
    """Case- and spacing-insensitive form of a country name."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class CountryLookup:
    by_name: dict[str, str]  # name_key(WoS country name) -> ISO2 or UNKNOWN
    us_states: frozenset[str]  # upper-case two-letter codes

    def code_of(self, name: str) -> str | None:
        """The seed's code for a country name, or None when the name is not in the seed."""
        return self.by_name.get(name_key(name))


def _read_rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = set(columns) - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: seed lacks the column(s) {sorted(missing)}; expected {list(columns)}")
        return list(reader)


def load_country_lookup(seeds_dir: Path = SEEDS_DIR) -> CountryLookup:
    by_name: dict[str, str] = {}
    country_seed = seeds_dir / COUNTRY_SEED
    for line_number, row in enumerate(
        _read_rows(country_seed, ("wos_country_name", "country_code", "note")), start=2
    ):
        key, code = name_key(row["wos_country_name"]), row["country_code"].strip().upper()
        if by_name.get(key, code) != code:
            raise ValueError(
                f"{country_seed}: line {line_number}: {row['wos_country_name']!r} maps to {code} but an "
                f"earlier row (matching is case-insensitive) maps it to {by_name[key]}; keep one row."
            )
        by_name[key] = code
    states = frozenset(
        row["state_code"].strip().upper()
        for row in _read_rows(seeds_dir / STATE_SEED, ("state_code", "state_name"))
    )
    return CountryLookup(by_name, states)


HK_MO_CODES = frozenset({"HK", "MO"})  # the is_hk_mo countries of the regions seed


def address_country(
    country_raw: str | None,
    country_form: str | None,
    place_parts: list[str] | None,
    ingested_code: str | None,
    lookup: CountryLookup,
) -> str:
    """The ISO code int_wos_affiliations_coded gives an address from the lake's structural facts."""
    if country_form is None:  # a part ingested before country_form existed: its code is decided
        return ingested_code or "UNKNOWN"
    for place in place_parts or ():
        code = lookup.code_of(place)
        if code in HK_MO_CODES:
            return code
    if country_form == "us_state_zip" and (country_raw or "")[:2] in lookup.us_states:
        return "US"
    return (lookup.code_of(country_raw) if country_raw is not None else None) or "UNKNOWN"


@cache
def default_lookup() -> CountryLookup:
    """The lookup from the project's seeds, read once per process."""
    return load_country_lookup()
