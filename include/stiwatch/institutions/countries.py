"""Country of a free-text address, from its last comma part, when the caller does not know it.

Names come from four places: the WoS country seed (``Peoples R China``, ``England``, ``USA`` ...), the
country-code alias seed (``UK``, ``EL``), the country names carried by the ROR records themselves
(``China``, ``United Kingdom``, ``Türkiye`` ...) and the seed of names in other languages and official
forms that free-text affiliations use (``dbt/seeds/country_name_variants.csv``: ``Deutschland``,
``Republic of Korea``, ``R.O.C.``). A leading ``the`` is ignored; a part such as
``MA 02115 USA`` is tried whole, then by its last word.
"""

from __future__ import annotations

import csv

import pyarrow as pa

from stiwatch.config import SEEDS_DIR
from stiwatch.institutions.normalise import normalise
from stiwatch.sources.wos.countries import default_lookup

COUNTRY_VARIANT_SEED = SEEDS_DIR / "country_name_variants.csv"

# Countries whose organisations a matcher accepts for each other: WoS writes Hong Kong and Macau addresses
# as `Peoples R China` in older records, while ROR files them under HK and MO.
_INTERCHANGEABLE = ({"CN", "HK", "MO"},)


def compatible_countries(country_code: str) -> frozenset[str]:
    for group in _INTERCHANGEABLE:
        if country_code in group:
            return frozenset(group)
    return frozenset({country_code})


class CountryNames:
    """Normalised country name -> ISO2 code."""

    def __init__(self, organizations: pa.Table) -> None:
        pairs = set(
            zip(
                organizations.column("country_name").to_pylist(),
                organizations.column("country_code").to_pylist(),
                strict=True,
            )
        )
        by_name = {normalise(name): code for name, code in sorted(pairs) if name and code}
        # The WoS seed wins over ROR spellings: it is curated for the addresses this project reads.
        by_name.update(
            (normalise(name), code) for name, code in default_lookup().by_name.items() if code != "UNKNOWN"
        )
        with (SEEDS_DIR / "country_code_aliases.csv").open(encoding="utf-8", newline="") as fh:
            by_name.update((normalise(row["alias_code"]), row["country_code"]) for row in csv.DictReader(fh))
        with COUNTRY_VARIANT_SEED.open(encoding="utf-8", newline="") as fh:
            by_name.update(
                (normalise(row["country_name"]), row["country_code"]) for row in csv.DictReader(fh)
            )
        self._by_name = by_name

    def code_of(self, part: str) -> str | None:
        """The ISO2 code of an address part naming a country, else None."""
        key = normalise(part).removeprefix("the ")
        code = self._by_name.get(key) or self._by_name.get(key.replace(" ", ""))  # U.S.A. -> usa
        if code is None and " " in key:
            code = self._by_name.get(key.rsplit(" ", 1)[1])
        return code
