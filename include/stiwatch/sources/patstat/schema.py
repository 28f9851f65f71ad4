"""The PATSTAT tables the co-patent marts use: every column with its type, as EPO documents them.

``SCHEMA_COLUMNS`` was written once from ``../shared/data/patstat/schema``: the BigQuery INFORMATION_SCHEMA
dump of the 2025 Autumn edition (``epo_tip_bigquery_information_schema.json``) for the tables it covers, and
the human reference (``patstat_bigquery_schema_reference.md``) for tls230 and tls901, which the dump lacks.
``tests/sources/test_patstat_schema.py`` checks it still matches those files. Types are the dump's names
(INT64, STRING, DATE, FLOAT64).

``LAKE_COLUMNS`` is the subset written to the lake (what the marts need). Older editions lack some columns
(``OPTIONAL_COLUMNS``): they load with the column NULL and are listed as ``columns_missing`` in the manifest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

SCHEMA_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "tls201_appln": (
        ("appln_id", "INT64"),
        ("appln_auth", "STRING"),
        ("appln_nr", "STRING"),
        ("appln_kind", "STRING"),
        ("appln_filing_date", "DATE"),
        ("appln_filing_year", "INT64"),
        ("appln_nr_epodoc", "STRING"),
        ("appln_nr_original", "STRING"),
        ("ipr_type", "STRING"),
        ("receiving_office", "STRING"),
        ("internat_appln_id", "INT64"),
        ("int_phase", "STRING"),
        ("reg_phase", "STRING"),
        ("nat_phase", "STRING"),
        ("earliest_filing_date", "DATE"),
        ("earliest_filing_year", "INT64"),
        ("earliest_filing_id", "INT64"),
        ("earliest_publn_date", "DATE"),
        ("earliest_publn_year", "INT64"),
        ("earliest_pat_publn_id", "INT64"),
        ("granted", "STRING"),
        ("docdb_family_id", "INT64"),
        ("inpadoc_family_id", "INT64"),
        ("docdb_family_size", "INT64"),
        ("nb_citing_docdb_fam", "INT64"),
        ("nb_applicants", "INT64"),
        ("nb_inventors", "INT64"),
    ),
    "tls206_person": (
        ("person_id", "INT64"),
        ("person_name", "STRING"),
        ("person_name_orig_lg", "STRING"),
        ("person_address", "STRING"),
        ("person_ctry_code", "STRING"),
        ("nuts", "STRING"),
        ("nuts_level", "INT64"),
        ("doc_std_name_id", "INT64"),
        ("doc_std_name", "STRING"),
        ("psn_id", "INT64"),
        ("psn_name", "STRING"),
        ("psn_level", "INT64"),
        ("psn_sector", "STRING"),
        ("han_id", "INT64"),
        ("han_name", "STRING"),
        ("han_harmonized", "INT64"),
        ("reg_code", "STRING"),
    ),
    "tls207_pers_appln": (
        ("person_id", "INT64"),
        ("appln_id", "INT64"),
        ("applt_seq_nr", "INT64"),
        ("invt_seq_nr", "INT64"),
    ),
    "tls209_appln_ipc": (
        ("appln_id", "INT64"),
        ("ipc_class_symbol", "STRING"),
        ("ipc_class_level", "STRING"),
        ("ipc_version", "DATE"),
        ("ipc_value", "STRING"),
        ("ipc_position", "STRING"),
        ("ipc_gener_auth", "STRING"),
    ),
    "tls224_appln_cpc": (
        ("appln_id", "INT64"),
        ("cpc_class_symbol", "STRING"),
    ),
    "tls230_appln_techn_field": (
        ("appln_id", "INT64"),
        ("techn_field_nr", "INT64"),
        ("weight", "FLOAT64"),
    ),
    "tls901_techn_field_ipc": (
        ("ipc_maingroup_symbol", "STRING"),
        ("techn_field_nr", "INT64"),
        ("techn_sector", "STRING"),
        ("techn_field", "STRING"),
    ),
}

# The table number in a delivered file name (tls201_part01.zip) -> the table name used in the lake.
TABLE_BY_NUMBER: dict[str, str] = {name[:6]: name for name in SCHEMA_COLUMNS}

LAKE_COLUMNS: dict[str, tuple[str, ...]] = {
    "tls201_appln": (
        "appln_id",
        "appln_auth",
        "appln_kind",
        "appln_filing_date",
        "appln_filing_year",
        "ipr_type",
        "granted",
        "docdb_family_id",
        "earliest_filing_year",
    ),
    "tls206_person": (
        "person_id",
        "person_name",
        "person_ctry_code",
        "psn_id",
        "psn_name",
        "psn_sector",
        "han_id",
        "han_name",
        "reg_code",
    ),
    "tls207_pers_appln": ("person_id", "appln_id", "applt_seq_nr", "invt_seq_nr"),
    "tls209_appln_ipc": ("appln_id", "ipc_class_symbol", "ipc_value", "ipc_position"),
    "tls224_appln_cpc": ("appln_id", "cpc_class_symbol"),
    "tls230_appln_techn_field": ("appln_id", "techn_field_nr", "weight"),
    "tls901_techn_field_ipc": ("ipc_maingroup_symbol", "techn_field_nr", "techn_sector", "techn_field"),
}

# Columns added in later editions (reg_code: 2024; the HAN and sector columns came after the first
# editions). Any other lake column missing from a file is an error: the marts cannot be computed without it.
OPTIONAL_COLUMNS: dict[str, frozenset[str]] = {
    "tls201_appln": frozenset({"granted", "earliest_filing_year", "appln_filing_date"}),
    "tls206_person": frozenset({"reg_code", "psn_sector", "han_id", "han_name"}),
}


def arrow_type(table: str, column: str) -> pa.DataType:
    """The Arrow type a column is read as (``granted`` is read as text and normalised afterwards)."""
    import pyarrow as pa  # on use: the source registry imports this module when DAG files are parsed

    arrow_types = {"INT64": pa.int64(), "STRING": pa.string(), "DATE": pa.date32(), "FLOAT64": pa.float64()}
    return arrow_types[dict(SCHEMA_COLUMNS[table])[column]]


def lake_schema(table: str) -> pa.Schema:
    """The Parquet schema of a lake table: provenance columns, then the used columns."""
    import pyarrow as pa

    fields = [pa.field("snapshot_id", pa.string()), pa.field("source_file", pa.string())]
    for column in LAKE_COLUMNS[table]:
        # granted is Y/N in current editions and 0/1 in older ones: stored as a boolean.
        fields.append(pa.field(column, pa.bool_() if column == "granted" else arrow_type(table, column)))
    return pa.schema(fields)
