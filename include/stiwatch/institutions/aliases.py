"""The curated alias seed: organisation strings as WoS writes them -> one ROR institution.

``dbt/seeds/institution_aliases.csv`` (alias, ror_id, canonical_name, country_code) is checked before any
automatic matching. One alias may appear with several countries (``Northeastern Univ`` is in China and in the
USA): the country of the address then decides, and without a country such an alias is not used.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from stiwatch.config import SEEDS_DIR

ALIAS_SEED = SEEDS_DIR / "institution_aliases.csv"
_COLUMNS = ["alias", "ror_id", "canonical_name", "country_code"]
_ROR_URL = re.compile(r"^https://ror\.org/0[a-z0-9]{6}[0-9]{2}$")


@dataclass(frozen=True)
class Alias:
    alias: str
    ror_id: str
    canonical_name: str
    country_code: str


def load_aliases(path: Path = ALIAS_SEED) -> list[Alias]:
    """Read and check the alias seed; errors name the line and what to fix."""
    aliases: list[Alias] = []
    seen: dict[tuple[str, str], str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != _COLUMNS:
            raise ValueError(f"{path}: header must be {','.join(_COLUMNS)}, found {reader.fieldnames}")
        for line_number, row in enumerate(reader, start=2):
            alias = Alias(**{column: (row[column] or "").strip() for column in _COLUMNS})
            if not _ROR_URL.match(alias.ror_id):
                raise ValueError(
                    f"{path}: line {line_number}: ror_id {alias.ror_id!r} is not a ROR URL "
                    "(https://ror.org/0xxxxxxNN)"
                )
            if not (alias.alias and alias.canonical_name and len(alias.country_code) == 2):
                raise ValueError(
                    f"{path}: line {line_number}: alias, canonical_name and a two-letter country_code are "
                    f"required, got {row!r}"
                )
            key = (alias.alias.casefold(), alias.country_code)
            if seen.get(key, alias.ror_id) != alias.ror_id:
                raise ValueError(
                    f"{path}: line {line_number}: {alias.alias!r} ({alias.country_code}) maps to "
                    f"{alias.ror_id} but an earlier row maps it to {seen[key]}; keep one row."
                )
            seen[key] = alias.ror_id
            aliases.append(alias)
    return aliases
