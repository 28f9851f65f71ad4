"""Every source the pipeline knows, by name: the one list the rest of the code derives from.

Add a source by writing its ``stiwatch.sources.<name>`` package with a ``SPEC`` and listing it here.
"""

from __future__ import annotations

from stiwatch.sources import indicators, openalex, patstat, ror, wos
from stiwatch.sources.spec import SourceSpec

SPECS: dict[str, SourceSpec] = {
    spec.name: spec for spec in (wos.SPEC, openalex.SPEC, patstat.SPEC, ror.SPEC, indicators.SPEC)
}
# Sources ingested by stiwatch.ingest and counted in the marts, in the order they are ingested.
COUNTED_SOURCES: tuple[str, ...] = tuple(name for name, spec in SPECS.items() if not spec.reference)
# Reference data landed and written to the lake by its own step, not counted (ROR, indicator lists).
REFERENCE_SOURCES: tuple[str, ...] = tuple(name for name, spec in SPECS.items() if spec.reference)


def spec_for(source: str) -> SourceSpec:
    try:
        return SPECS[source]
    except KeyError:
        raise ValueError(f"unknown source {source!r}; expected one of {sorted(SPECS)}") from None


def counted_spec(source: str) -> SourceSpec:
    """The spec of a source that ``stiwatch.ingest`` parses (not reference data)."""
    spec = spec_for(source)
    if spec.reference:
        raise ValueError(
            f"{source!r} is reference data, not an ingested source; expected one of {COUNTED_SOURCES}"
        )
    return spec
