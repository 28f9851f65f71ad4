"""Read one landed indicator-list file into entries: the documented CSV, or the Consolidated Screening List.

Two formats, told apart by the header (README "Watch list"):
- ``stiwatch`` (the documented CSV): ``name`` (required), ``aliases`` (``;``-separated), ``country`` (ISO2),
  ``ror_id`` (``https://ror.org/…`` or the bare id; optional), ``category``, ``listed_on``, ``delisted_on``
  (``YYYY-MM-DD`` or ``YYYY``), ``source_url``, ``notes``. Every column but ``name`` may be left out.
- ``csl``: the US Consolidated Screening List CSV export as trade.gov publishes it (``_id, source,
  entity_number, type, programs, name, title, addresses, ..., start_date, end_date, ..., remarks,
  source_list_url, alt_names, ...``). ``alt_names`` become aliases, ``source`` the category, ``start_date`` /
  ``end_date`` the listing dates; the country is a ``country`` column when present, else the ISO2 code that
  ends the first address (``..., Beijing, CN``). Its other columns are not used.
Files are small (thousands of rows): Python's csv module reads them. A bad value raises ``DataError`` naming
the file, the line and what to do; nothing is dropped silently.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

from stiwatch.errors import DataError

STIWATCH_COLUMNS = (
    "name", "aliases", "country", "ror_id", "category", "listed_on", "delisted_on", "source_url", "notes",
)  # fmt: skip
# The CSL columns read here; the export has more, which are left alone.
CSL_REQUIRED = ("source", "name", "alt_names")
_ROR_ID = re.compile(r"^(?:https?://ror\.org/)?(0[a-z0-9]{6}[0-9]{2})$")
_ISO2 = re.compile(r"^[A-Z]{2}$")
_YEAR = re.compile(r"^\d{4}$")


class IndicatorListError(DataError):
    """A landed indicator-list file that cannot be read as one of the two formats."""


def read_entries(path: Path) -> tuple[str, list[dict[str, object]]]:
    """The file's format and its entries (keys: the ``STIWATCH_COLUMNS``, aliases as a list, dates as dates,
    plus ``record_seq``, the 1-based data line)."""
    text = _decode(path)
    reader = csv.DictReader(io.StringIO(text))
    header = [column.strip() for column in reader.fieldnames or []]
    reader.fieldnames = header
    if "name" not in header:
        raise IndicatorListError(
            f"{path}: no `name` column in the header {header[:8]}; expected the documented CSV "
            f"({', '.join(STIWATCH_COLUMNS)}) or a Consolidated Screening List CSV export"
        )
    is_csl = all(column in header for column in CSL_REQUIRED) and "aliases" not in header
    if not is_csl:
        unknown = [column for column in header if column not in STIWATCH_COLUMNS]
        if unknown:
            raise IndicatorListError(
                f"{path}: unknown column(s) {unknown}; the documented CSV has {', '.join(STIWATCH_COLUMNS)} "
                "(a Consolidated Screening List export needs source, name and alt_names)"
            )
    entries = []
    for seq, row in enumerate(reader, start=1):
        where = f"{path}: data line {seq}"
        raw = {key: (value or "").strip() for key, value in row.items() if key is not None}
        entry = _from_csl(raw, where) if is_csl else _from_documented(raw, where)
        if not entry["name"]:
            raise IndicatorListError(f"{where}: empty name; give the organisation's name or remove the line")
        entries.append({**entry, "record_seq": seq})
    return ("csl" if is_csl else "stiwatch"), entries


def _from_documented(raw: dict[str, str], where: str) -> dict[str, object]:
    return {
        "name": raw.get("name", ""),
        "aliases": _split(raw.get("aliases", "")),
        "country": _country(raw.get("country", ""), where),
        "ror_id": _ror(raw.get("ror_id", ""), where),
        "category": raw.get("category") or None,
        "listed_on": _date(raw.get("listed_on", ""), "listed_on", where),
        "delisted_on": _date(raw.get("delisted_on", ""), "delisted_on", where),
        "source_url": raw.get("source_url") or None,
        "notes": raw.get("notes") or None,
    }


def _from_csl(raw: dict[str, str], where: str) -> dict[str, object]:
    country = raw.get("country", "")
    if not country:
        first_address = raw.get("addresses", "").split(";")[0]
        last_part = first_address.rsplit(",", 1)[-1].strip()
        country = last_part if _ISO2.match(last_part) else ""
    return {
        "name": raw.get("name", ""),
        "aliases": _split(raw.get("alt_names", "")),
        "country": _country(country, where),
        "ror_id": None,
        "category": raw.get("source") or None,
        "listed_on": _date(raw.get("start_date", ""), "start_date", where),
        "delisted_on": _date(raw.get("end_date", ""), "end_date", where),
        "source_url": raw.get("source_list_url") or raw.get("source_information_url") or None,
        "notes": raw.get("remarks") or None,
    }


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IndicatorListError(
            f"{path}: not UTF-8 (byte {exc.start}); save the list as UTF-8 CSV and land it again"
        ) from exc


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _country(value: str, where: str) -> str | None:
    code = value.strip().upper()
    if not code:
        return None
    if not _ISO2.match(code):
        raise IndicatorListError(f"{where}: country {value!r} is not an ISO 3166 alpha-2 code such as CN")
    return code


def _ror(value: str, where: str) -> str | None:
    if not value:
        return None
    match = _ROR_ID.match(value.strip().lower())
    if not match:
        raise IndicatorListError(
            f"{where}: ror_id {value!r} is not a ROR id (https://ror.org/01yqg2h08 or 01yqg2h08); "
            "fix it or leave it empty to match by name"
        )
    return f"https://ror.org/{match.group(1)}"


def _date(value: str, column: str, where: str) -> date | None:
    if not value:
        return None
    try:
        return date(int(value), 1, 1) if _YEAR.match(value) else date.fromisoformat(value[:10])
    except ValueError:
        raise IndicatorListError(f"{where}: {column} {value!r} is not a date (YYYY-MM-DD or YYYY)") from None
