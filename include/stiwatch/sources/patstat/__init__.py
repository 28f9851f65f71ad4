"""PATSTAT Global editions: delivered zipped CSV table parts -> lake Parquet (docs/ARCHITECTURE.md).

``ingest_file`` is what ``stiwatch.ingest`` maps over the files of an edition
(``landing/patstat/<edition_id>/tls201_part01.zip`` ...); ``edition_as_of`` dates an edition from its id.
"""

from stiwatch.sources.patstat.edition import edition_as_of, write_edition_meta
from stiwatch.sources.patstat.ingest import ingest_file

__all__ = ["edition_as_of", "ingest_file", "write_edition_meta"]
