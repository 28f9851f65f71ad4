"""Map one raw WoS record to its lake rows: a publication, its affiliations and its categories."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .addresses import ParsedAddress, parse_address
from .errors import WosFormatError
from .raw import RawRecord

_YEAR = re.compile(r"\b(\d{4})\b")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", re.IGNORECASE)
# lake scheme -> WoS field holding '; '-separated labels
CATEGORY_FIELDS = {"wos_category": "WC", "wos_research_area": "SC"}
KEYWORD_FIELDS = ("DE", "ID")


@dataclass
class MappedRecord:
    publication: dict[str, Any]
    affiliations: list[dict[str, Any]] = field(default_factory=list)
    categories: list[dict[str, Any]] = field(default_factory=list)
    addresses: list[ParsedAddress] = field(default_factory=list)


def record_id(record: RawRecord, path: Path) -> str:
    ut = record.get("UT")
    if ut is None:
        raise WosFormatError(
            f"{path}: record {record.seq} (line {record.line}) has no UT (accession number), so it cannot "
            "be identified or de-duplicated. Re-export the records from Web of Science with the UT field "
            "(choose 'Full Record')."
        )
    return ut


def publication_year(record: RawRecord, path: Path) -> tuple[int | None, str | None]:
    """(year, basis): PY, else the year of the early-access date EA, else (None, None)."""
    for code in ("PY", "EA"):
        text = record.get(code)
        if text is None:
            continue
        found = _YEAR.search(text)
        if found is None:
            raise WosFormatError(
                f"{path}: record {record.seq} (line {record.line}): field {code}={text!r} holds no "
                "four-digit year. Fix or re-export the record."
            )
        return int(found.group(1)), code
    return None, None


def normalise_doi(text: str | None) -> str | None:
    if text is None:
        return None
    return _DOI_PREFIX.sub("", text.strip()).lower() or None


def split_labels(text: str | None) -> list[str]:
    return [label.strip() for label in (text or "").split(";") if label.strip()]


def map_record(record: RawRecord, path: Path, snapshot_id: str, source_file: str) -> MappedRecord:
    rid = record_id(record, path)
    year, year_basis = publication_year(record, path)
    keywords = [kw for code in KEYWORD_FIELDS for kw in split_labels(record.get(code))]
    key = {"snapshot_id": snapshot_id, "source_file": source_file, "record_id": rid}
    mapped = MappedRecord(
        publication={
            "snapshot_id": snapshot_id,
            "source_file": source_file,
            "record_seq": record.seq,
            "record_id": rid,
            "pub_year": year,
            "year_basis": year_basis,
            "doi": normalise_doi(record.get("DI")),
            "title": record.get("TI"),
            "source_title": record.get("SO"),
            "doc_type": record.get("DT"),
            "abstract": record.get("AB"),
            "keywords": "; ".join(keywords) or None,
            "updated_date": None,
            "n_addresses": len(record.addresses),
        }
    )
    for seq, entry in enumerate(record.addresses, start=1):
        parsed = parse_address(entry)
        mapped.addresses.append(parsed)
        mapped.affiliations.append(
            key
            | {
                "affiliation_seq": seq,
                "n_authors": parsed.n_authors,
                "organisation": parsed.organisation,
                "sub_units": parsed.sub_units,
                "city": parsed.city,
                "institution_id": None,
                "ror": None,
                "country_raw": parsed.country_raw,
                "country_code": None,  # decided in dbt from the seeds (int_wos_affiliations_coded)
                "country_basis": None,
                "country_form": parsed.country_form,
                "place_parts": list(parsed.place_parts),
            }
        )
    for scheme, code in CATEGORY_FIELDS.items():
        for label in split_labels(record.get(code)):
            mapped.categories.append(
                key | {"scheme": scheme, "category_id": label, "category": label, "is_primary": False}
            )
    return mapped
