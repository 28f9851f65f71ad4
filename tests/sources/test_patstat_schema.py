"""schema.py matches the PATSTAT schema files in ../shared/data/patstat/schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from stiwatch.sources.patstat.schema import LAKE_COLUMNS, SCHEMA_COLUMNS

FROM_MARKDOWN = {"tls230_appln_techn_field", "tls901_techn_field_ipc"}
_MD_TYPES = {"INTEGER": "INT64", "FLOAT": "FLOAT64", "STRING": "STRING", "DATE": "DATE"}


@pytest.mark.shared
def test_tables_match_information_schema(shared_data: Path) -> None:
    dump = json.loads((shared_data / "patstat/schema/epo_tip_bigquery_information_schema.json").read_text())
    documented = {
        t["table_name"]: tuple((c["column_name"], c["data_type"]) for c in t["columns"])
        for t in dump["key_table_schemas"]
    }
    for table, columns in SCHEMA_COLUMNS.items():
        if table not in FROM_MARKDOWN:
            assert columns == documented[table], table


@pytest.mark.shared
def test_tables_missing_from_the_dump_match_the_reference(shared_data: Path) -> None:
    text = (shared_data / "patstat/schema/patstat_bigquery_schema_reference.md").read_text()
    for table in FROM_MARKDOWN:
        section = text.split(f"### {table}", 1)[1].split("###", 1)[0]
        rows = re.findall(r"^\| `(\w+)` \| (\w+) \|", section, flags=re.MULTILINE)
        assert SCHEMA_COLUMNS[table] == tuple((name, _MD_TYPES[kind]) for name, kind in rows), table


def test_lake_columns_are_schema_columns() -> None:
    for table, columns in LAKE_COLUMNS.items():
        assert set(columns) <= {name for name, _ in SCHEMA_COLUMNS[table]}, table
