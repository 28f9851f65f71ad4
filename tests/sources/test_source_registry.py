"""The source registry is the one list of sources: dbt's declarations of the lake tables must match it.

dbt staging reads the lake through sources declared in YAML (column names and types, used for empty
relations); the ingest writes Parquet with the registry's Arrow schemas. These tests tie the two copies.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
import yaml

from stiwatch import ingest, landing
from stiwatch.config import DBT_PROJECT_DIR, SOURCES, Settings
from stiwatch.quality.batches import LAKE_TABLES
from stiwatch.sources.registry import COUNTED_SOURCES, REFERENCE_SOURCES, SPECS, spec_for

# Where dbt declares the lake tables of each source (the ``lake`` source there is the manifests).
SOURCE_FILES = (
    DBT_PROJECT_DIR / "models" / "staging" / "lake" / "_lake__sources.yml",
    DBT_PROJECT_DIR / "models" / "staging" / "patstat" / "_patstat__sources.yml",
)
NOT_A_SOURCE = {"lake"}

# Written apart from the code: the dbt type each Arrow type of the lake reads as, on both engines
# (`string` is DuckDB's alias of varchar; a list type differs, so the YAML picks it by target).
DBT_TYPES = {
    pa.string(): "string",
    pa.int32(): "integer",
    pa.int64(): "bigint",
    pa.float64(): "double",
    pa.bool_(): "boolean",
    pa.date32(): "date",
    pa.list_(pa.string()): "{{ 'array<string>' if target.type == 'spark' else 'varchar[]' }}",
}


def _dbt_sources() -> dict[str, dict[str, dict[str, str]]]:
    """source -> table -> column -> data_type, over every YAML file that declares lake tables."""
    declared: dict[str, dict[str, dict[str, str]]] = {}
    for path in SOURCE_FILES:
        for source in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]:
            if source["name"] in NOT_A_SOURCE:
                continue
            tables = declared.setdefault(source["name"], {})
            for table in source["tables"]:
                tables[table["name"]] = {c["name"]: c.get("data_type") for c in table.get("columns", [])}
    return declared


def test_dbt_declares_exactly_the_counted_sources_and_their_tables() -> None:
    declared = _dbt_sources()
    assert sorted(declared) == sorted(COUNTED_SOURCES) == ["openalex", "patstat", "wos"]
    for source in COUNTED_SOURCES:
        assert sorted(declared[source]) == sorted(SPECS[source].tables), source


@pytest.mark.parametrize("source", COUNTED_SOURCES)
def test_dbt_columns_and_types_match_the_arrow_schemas(source: str) -> None:
    declared = _dbt_sources()[source]
    for table, schema in SPECS[source].arrow_schemas().items():
        expected = {field.name: DBT_TYPES[field.type] for field in schema}
        assert declared[table] == expected, f"{source}.{table}: dbt YAML and Arrow schema differ"


def test_the_registry_feeds_config_ingest_quality_landing_and_dbt() -> None:
    assert SOURCES == ("wos", "openalex", "patstat")
    assert REFERENCE_SOURCES == ("ror", "indicators")
    assert {name: SPECS[name].tables for name in SOURCES} == LAKE_TABLES
    assert LAKE_TABLES["openalex"][-1] == "merged_ids"
    assert {"openalex"} == landing.DELTA_SOURCES
    assert ingest.parser_for("wos") is SPECS["wos"]
    with pytest.raises(ValueError, match="reference data"):
        ingest.parser_for("ror")
    with pytest.raises(ValueError, match="unknown source 'scopus'"):
        spec_for("scopus")
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    assert project["vars"]["counted_sources"] == list(COUNTED_SOURCES)


def test_settings_hand_dbt_the_counted_sources(settings: Settings) -> None:
    assert settings.dbt_vars()["counted_sources"] == ["wos", "openalex", "patstat"]


def test_a_patstat_edition_name_dates_the_snapshot_and_other_sources_do_not(tmp_path: Path) -> None:
    for source, snapshot_id in (("patstat", "2023_autumn"), ("wos", "2023_autumn")):
        folder = tmp_path / "landing" / source / snapshot_id
        folder.mkdir(parents=True)
        (folder / "data.txt").write_text("x")
    assert str(landing.open_snapshot(tmp_path / "landing", "patstat", "2023_autumn").as_of) == "2023-08-01"
    # WoS has no naming rule: the newest file date (today), not August 2023.
    assert str(landing.open_snapshot(tmp_path / "landing", "wos", "2023_autumn").as_of) != "2023-08-01"
