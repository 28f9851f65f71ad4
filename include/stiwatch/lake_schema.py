"""The Arrow schemas of the lake tables WoS and OpenAlex share (docs/ARCHITECTURE.md, "Lake tables").

Defined once so both sources write the same column names and types; their ``SPEC``s reference them
(``stiwatch.sources.registry``), and dbt staging reads the union of all parts with these columns. Change a
schema here, in ``dbt/models/staging/lake/_lake__sources.yml`` (tests/sources/test_source_registry.py compares
them) and in ARCHITECTURE.md together.
"""

from __future__ import annotations

import pyarrow as pa

PUBLICATIONS = pa.schema(
    [
        ("snapshot_id", pa.string()),
        ("source_file", pa.string()),
        ("record_seq", pa.int32()),
        ("record_id", pa.string()),
        ("pub_year", pa.int32()),
        ("year_basis", pa.string()),
        ("doi", pa.string()),
        ("title", pa.string()),
        ("source_title", pa.string()),
        ("doc_type", pa.string()),
        ("abstract", pa.string()),
        ("keywords", pa.string()),
        ("updated_date", pa.date32()),
        ("n_addresses", pa.int32()),
    ]
)

AFFILIATIONS = pa.schema(
    [
        ("snapshot_id", pa.string()),
        ("source_file", pa.string()),
        ("record_id", pa.string()),
        ("affiliation_seq", pa.int32()),
        ("n_authors", pa.int32()),
        ("organisation", pa.string()),
        ("sub_units", pa.string()),
        ("city", pa.string()),
        ("institution_id", pa.string()),
        ("ror", pa.string()),
        ("country_raw", pa.string()),
        # OpenAlex: as delivered. WoS: NULL, decided in dbt from the seeds (parts ingested before the
        # country_form column existed carry the code decided at their ingest; dbt keeps it for them).
        ("country_code", pa.string()),
        ("country_basis", pa.string()),
        # WoS only, the parser's structural split (sources/wos/addresses.py); OpenAlex NULL.
        ("country_form", pa.string()),
        ("place_parts", pa.list_(pa.string())),
    ]
)

CATEGORIES = pa.schema(
    [
        ("snapshot_id", pa.string()),
        ("source_file", pa.string()),
        ("record_id", pa.string()),
        ("scheme", pa.string()),
        ("category_id", pa.string()),
        ("category", pa.string()),
        ("is_primary", pa.bool_()),
    ]
)

# table name (the folder under lake/<source>/snapshot=<id>/) -> schema
TABLES: dict[str, pa.Schema] = {
    "publications": PUBLICATIONS,
    "affiliations": AFFILIATIONS,
    "categories": CATEGORIES,
}
