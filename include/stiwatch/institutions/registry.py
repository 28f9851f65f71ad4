"""The ROR registry: read a real ROR data dump (schema v1 or v2) into two tables and write them to the lake.

Accepted inputs (several may be given; an id seen twice keeps its schema-v2 record, then the later input's):
- the official Zenodo dump, e.g. ``v1.55-2024-10-31-ror-data.zip``: a zip holding one JSON array per schema
  (``...-ror-data.json`` and, since v1.45, ``...-ror-data_schema_v2.json``). Only the v2 member is read when
  present (both hold the same records); the member is copied out of the zip in chunks, never held in memory;
- a JSON array file (``.json``, optionally gzipped) or JSON lines (``.jsonl``, ``.jsonl.gz``).

The schema is detected per record (v2 has ``names[]``; v1 has ``name``): the shared ror-records files mix
both. DuckDB parses the JSON with an explicit column list, so a dump of a few hundred MB streams.

Tables (docs/ARCHITECTURE.md, "ROR registry"):
- ``organizations``: ror_id, display_name, country_code, country_name, city, status, types, established,
  schema_version. Only active records unless ``include_inactive``.
- ``names``: ror_id, name, name_type (display/label/alias/acronym), lang, for the kept organisations.
- ``successors``: ror_id, successor_id for every record that names a successor (whatever its status), so an
  old id found in another source can be redirected.
- ``parents``: ror_id, parent_id for every kept organisation that names a parent (a CAS institute and the
  Chinese Academy of Sciences, a university's medical campus and the university).
"""

from __future__ import annotations

import gzip
import logging
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from stiwatch.atomic_io import write_json_atomic, write_parquet_atomic
from stiwatch.sources.ror import SPEC as ROR

log = logging.getLogger(__name__)

SOURCE = ROR.name
TABLES = ROR.tables
_ROR_ID = r"^https://ror\.org/0[a-z0-9]{6}[0-9]{2}$"
_DUMP_ID = re.compile(r"^[A-Za-z0-9_.-]+$")
_GZIP_MAGIC = b"\x1f\x8b"
_V2_MEMBER_SUFFIX = "_schema_v2.json"

# Both schemas in one column list: keys a record lacks come back NULL, which is how the version is told.
_COLUMNS = {
    "id": "VARCHAR",
    "status": "VARCHAR",
    "types": "VARCHAR[]",
    "established": "INTEGER",
    "relationships": "STRUCT(type VARCHAR, id VARCHAR)[]",
    # schema v1
    "name": "VARCHAR",
    "aliases": "VARCHAR[]",
    "acronyms": "VARCHAR[]",
    "labels": "STRUCT(label VARCHAR, iso639 VARCHAR)[]",
    "country": "STRUCT(country_code VARCHAR, country_name VARCHAR)",
    "addresses": "STRUCT(city VARCHAR)[]",
    # schema v2
    "names": "STRUCT(value VARCHAR, types VARCHAR[], lang VARCHAR)[]",
    "locations": "STRUCT(geonames_details STRUCT(country_code VARCHAR, country_name VARCHAR, name VARCHAR))[]",  # noqa: E501
}

_RECORDS_SQL = """
CREATE TEMP TABLE records AS
SELECT * EXCLUDE (keep_rank) FROM (
    SELECT *, row_number() OVER (PARTITION BY id ORDER BY schema_version DESC, input_rank DESC) AS keep_rank
    FROM (SELECT *, CASE WHEN names IS NOT NULL THEN 2 ELSE 1 END AS schema_version FROM raw)
)
WHERE keep_rank = 1
"""

_KEPT = "(SELECT * FROM records WHERE $include_inactive OR lower(status) = 'active')"

_ORGANIZATIONS_SQL = f"""
SELECT
    id AS ror_id,
    CASE WHEN schema_version = 2
        THEN list_filter(names, lambda n: list_contains(n.types, 'ror_display'))[1].value
        ELSE name END AS display_name,
    CASE WHEN schema_version = 2 THEN locations[1].geonames_details.country_code
        ELSE country.country_code END AS country_code,
    CASE WHEN schema_version = 2 THEN locations[1].geonames_details.country_name
        ELSE country.country_name END AS country_name,
    CASE WHEN schema_version = 2 THEN locations[1].geonames_details.name ELSE addresses[1].city END AS city,
    lower(status) AS status,
    list_transform(types, lambda t: lower(t)) AS types,
    established,
    schema_version::TINYINT AS schema_version
FROM {_KEPT}
ORDER BY ror_id
"""

# v1 keeps names in four fields; v2 lists each name once with all its types (``ror_display`` -> display).
_NAMES_SQL = f"""
WITH kept AS {_KEPT},
v2_names AS (SELECT id, unnest(names) AS n FROM kept WHERE schema_version = 2),
v2_typed AS (SELECT id, n.value AS name, unnest(n.types) AS name_type, n.lang FROM v2_names),
v1_labels AS (SELECT id, unnest(labels) AS l FROM kept WHERE schema_version = 1)
SELECT ror_id, name, name_type, lang FROM (
    SELECT id AS ror_id, name, lang,
        CASE name_type WHEN 'ror_display' THEN 'display' ELSE name_type END AS name_type
    FROM v2_typed
    UNION ALL SELECT id, name, NULL, 'display' FROM kept WHERE schema_version = 1
    UNION ALL SELECT id, l.label, l.iso639, 'label' FROM v1_labels
    UNION ALL SELECT id, unnest(aliases), NULL, 'alias' FROM kept WHERE schema_version = 1
    UNION ALL SELECT id, unnest(acronyms), NULL, 'acronym' FROM kept WHERE schema_version = 1
)
WHERE trim(name) <> ''
ORDER BY ror_id, name_type, name
"""

_SUCCESSORS_SQL = """
SELECT DISTINCT id AS ror_id, r.id AS successor_id
FROM (SELECT id, unnest(relationships) AS r FROM records)
WHERE lower(r.type) = 'successor'
ORDER BY ror_id, successor_id
"""


PARENTS_SCHEMA = pa.schema([("ror_id", pa.string()), ("parent_id", pa.string())])
_PARENTS_SQL = f"""
SELECT DISTINCT id AS ror_id, r.id AS parent_id
FROM (SELECT id, unnest(relationships) AS r FROM {_KEPT})
WHERE lower(r.type) = 'parent'
ORDER BY ror_id, parent_id
"""


@dataclass(frozen=True)
class Registry:
    """ROR organisations, their names and relationships; ``inputs`` records what was read (for the lake
    manifest)."""

    organizations: pa.Table
    names: pa.Table
    successors: pa.Table
    inputs: tuple[dict[str, object], ...]
    # Last and optional, so registries built before it existed keep their constructor call.
    parents: pa.Table = field(default_factory=lambda: PARENTS_SCHEMA.empty_table())

    def __len__(self) -> int:
        return self.organizations.num_rows


def load_ror(paths: Sequence[Path] | Path, include_inactive: bool = False) -> Registry:
    """Read ROR records from dump zips, JSON arrays or JSON lines (see the module docstring)."""
    paths = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    con = duckdb.connect()
    inputs: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="stiwatch-ror-") as workdir:
        for rank, (label, json_path) in enumerate(_json_inputs(paths, Path(workdir))):
            json_format = _json_format(json_path)
            select = (
                "SELECT $rank AS input_rank, $label AS input, row_number() OVER () AS record_number, * "
                "FROM read_json($path, format = $format, columns = $columns)"
            )
            params = {"rank": rank, "label": label, "path": str(json_path), "format": json_format}
            statement = "CREATE TEMP TABLE raw AS " if rank == 0 else "INSERT INTO raw "
            con.execute(statement + select, {**params, "columns": _COLUMNS})
            (records,) = con.execute(
                "SELECT count(*) FROM raw WHERE input_rank = $rank", {"rank": rank}
            ).fetchone()
            inputs.append({"input": label, "format": json_format, "records": records})
            log.info("read %s ROR records from %s (%s)", records, label, json_format)
    if not inputs:
        raise ValueError("load_ror: no input files given; pass a ROR dump zip, .json or .jsonl(.gz) path")
    _check_records(con)
    con.execute(_RECORDS_SQL)
    flag = {"include_inactive": include_inactive}
    return Registry(
        organizations=con.sql(_ORGANIZATIONS_SQL, params=flag).to_arrow_table(),
        names=con.sql(_NAMES_SQL, params=flag).to_arrow_table(),
        successors=con.sql(_SUCCESSORS_SQL).to_arrow_table(),
        parents=con.sql(_PARENTS_SQL, params=flag).to_arrow_table(),
        inputs=tuple(inputs),
    )


def write_registry(registry: Registry, lake_dir: Path, dump_id: str) -> Path:
    """Write the tables to ``lake/ror/snapshot=<dump_id>/<table>/data.parquet``, then the manifest last."""
    if not _DUMP_ID.match(dump_id):
        raise ValueError(f"ROR dump id {dump_id!r} must match [A-Za-z0-9_.-]+ (e.g. v1.55-2024-10-31)")
    folder = lake_dir / SOURCE / f"snapshot={dump_id}"
    for table in TABLES:
        write_parquet_atomic(getattr(registry, table), folder / table / "data.parquet")
    manifest = {
        "source": SOURCE,
        "snapshot_id": dump_id,
        "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "inputs": list(registry.inputs),
        "rows": {table: getattr(registry, table).num_rows for table in TABLES},
    }
    return write_json_atomic(manifest, folder / "_manifest.json")


def dump_id_of(path: Path) -> str:
    """A dump id from a file name: ``v1.55-2024-10-31-ror-data.zip`` -> ``v1.55-2024-10-31-ror-data``."""
    name = path.name
    for suffix in (".gz", ".zip", ".jsonl", ".json"):
        name = name.removesuffix(suffix)
    return name


def _json_inputs(paths: list[Path], workdir: Path) -> Iterator[tuple[str, Path]]:
    for number, path in enumerate(paths):
        if not path.is_file():
            raise FileNotFoundError(
                f"{path}: ROR input not found; pass a dump zip, .json or .jsonl(.gz) file"
            )
        if not zipfile.is_zipfile(path):
            yield str(path), path
            continue
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.namelist() if m.endswith(".json") and not m.startswith("__MACOSX")]
            chosen = [m for m in members if m.endswith(_V2_MEMBER_SUFFIX)] or members
            if not chosen:
                raise ValueError(
                    f"{path}: no .json member in the zip (found {archive.namelist()[:5]}); expected a "
                    "ROR data dump from Zenodo holding ...-ror-data.json"
                )
            for member in chosen:
                target = workdir / f"{number}-{Path(member).name}"
                with archive.open(member) as source, target.open("wb") as copy:
                    shutil.copyfileobj(source, copy, length=1 << 20)
                yield f"{path}!{member}", target


def _json_format(path: Path) -> str:
    """``array`` for a dump's JSON array, ``newline_delimited`` for JSON lines (gzip or not)."""
    with path.open("rb") as raw:
        is_gzip = raw.read(2) == _GZIP_MAGIC
    with gzip.open(path, "rb") if is_gzip else path.open("rb") as fh:
        head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"["):
        return "array"
    if head.startswith(b"{"):
        return "newline_delimited"
    raise ValueError(
        f"{path}: neither a JSON array nor JSON lines (starts with {head[:20]!r}); not a ROR dump"
    )


def _check_records(con: duckdb.DuckDBPyConnection) -> None:
    """Fail on the first record without a valid id or display name, naming its input and record number."""
    bad = con.execute(
        f"""
        SELECT input, record_number, id FROM raw
        WHERE id IS NULL OR NOT regexp_matches(id, '{_ROR_ID}')
           OR (names IS NULL AND coalesce(trim(name), '') = '')
           OR (names IS NOT NULL AND NOT list_contains(flatten(list_transform(names, lambda n: n.types)),
                                                       'ror_display'))
        ORDER BY input_rank, record_number
        LIMIT 1
        """
    ).fetchone()
    if bad:
        input_label, record_number, ror_id = bad
        raise ValueError(
            f"{input_label}: record {record_number} (id {ror_id!r}) has no valid ROR id or no display "
            "name (v1 `name`, v2 `names[]` with type ror_display); fix or remove the record, or use an "
            "official dump"
        )
