"""ROR data dumps: reference data for the institution step (``stiwatch.institutions``).

Landed under ``landing/ror/<dump_id>/`` like a source, written to ``lake/ror/snapshot=<dump_id>/`` by
``stiwatch.institutions.ror_landing`` (not by ``stiwatch.ingest``), and not counted in the marts.
"""

from stiwatch.sources.spec import SourceSpec

# The table shapes follow the dump's JSON (stiwatch.institutions.registry): no load_schemas.
SPEC = SourceSpec(name="ror", tables=("organizations", "names", "successors", "parents"), reference=True)

__all__ = ["SPEC"]
