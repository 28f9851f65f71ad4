"""Indicator lists (public government lists of organisations of concern): reference data for the watch list.

Landed as ``landing/indicators/<list_id>/<version_id>/`` (one folder per delivered version of a list; the
version's as-of date follows the landing contract), read and resolved to institutions by
``stiwatch.indicators`` (not by ``stiwatch.ingest``) into ``lake/indicators/entries.parquet``, and not
counted in the marts.
"""

from stiwatch.sources.spec import SourceSpec

# The table shape is decided by stiwatch.indicators.formats (ENTRY_COLUMNS): no load_schemas.
SPEC = SourceSpec(name="indicators", tables=("entries",), reference=True)

__all__ = ["SPEC"]
