"""Great Expectations really evaluates on the DuckDB path: clean data passes, planted faults fail the
expectation they break, and the report and dq_results are written.

Faults are planted in a copy of the built warehouse and lake (never in the shared fixture), all in one
run to keep the runtime modest; each sits in a different table so it can only fail its own expectation.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from stiwatch.config import Settings
from stiwatch.quality import QualityGateError, QualityResult, raise_if_critical, validate
from stiwatch.sources.patstat.schema import lake_schema

from .conftest import EDITION


@pytest.fixture(scope="module")
def clean_run(built_warehouse: Settings) -> QualityResult:
    return validate(built_warehouse, "clean-run")


def plant_faults(settings: Settings) -> None:
    with duckdb.connect(str(settings.warehouse_path)) as con:
        # `create table as` drops the contract's NOT NULL constraints, so the faults can be written.
        for table in (
            "fct_patent_missing_countries",
            "fct_copatent_sectors",
            "fct_top_applicants",
            "fct_copatent_output",
        ):
            con.execute(f"create or replace table {table} as select * from {table}")
        con.execute(  # a null key
            "update fct_patent_missing_countries set edition_id = null "
            "where filing_year = 2015 and basis = 'applicant'"
        )
        con.execute(  # a share above 1
            "update fct_copatent_sectors set share_of_copatents = 1.5 "
            "where rowid = (select min(rowid) from fct_copatent_sectors)"
        )
        con.execute(  # a duplicate row
            "insert into fct_top_applicants select * from fct_top_applicants where applicant_rank = 1 limit 1"
        )
        con.execute(  # an unknown region code
            "update fct_copatent_output set region_a = 'MARS' "
            "where rowid = (select min(rowid) from fct_copatent_output)"
        )
    # a lake row without its id, in an extra part of the edition's applications
    schema = lake_schema("tls201_appln")
    row = {name: None for name in schema.names} | {
        "snapshot_id": EDITION,
        "source_file": "planted.csv",
        "docdb_family_id": 1,
        "appln_filing_year": 2020,
    }
    part = settings.lake_dir / "patstat" / f"snapshot={EDITION}" / "tls201_appln" / "part-planted.parquet"
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist([row], schema=schema), part)


@pytest.fixture(scope="module")
def faulty_run(built_warehouse: Settings, tmp_path_factory: pytest.TempPathFactory) -> QualityResult:
    data_dir = tmp_path_factory.mktemp("faulty") / "data"
    shutil.copytree(built_warehouse.lake_dir, data_dir / "lake")
    shutil.copyfile(built_warehouse.warehouse_path, data_dir / "warehouse.duckdb")
    settings = Settings(data_dir=data_dir, warehouse_path=data_dir / "warehouse.duckdb")
    plant_faults(settings)
    return validate(settings, "faulty-run")


@pytest.mark.slow
def test_clean_data_passes_every_critical_check(clean_run: QualityResult) -> None:
    assert clean_run.critical_failures == []
    assert len(clean_run.findings) > 100  # every lake table and mart has a suite
    raise_if_critical(clean_run)  # does not raise


@pytest.mark.slow
def test_planted_faults_fail_the_right_expectations(faulty_run: QualityResult) -> None:
    failed = {(f.table_name, f.description) for f in faulty_run.critical_failures}
    assert failed == {
        ("fct_patent_missing_countries", "fct_patent_missing_countries.edition_id is never empty"),
        ("fct_copatent_sectors", "fct_copatent_sectors.share_of_copatents is a share: within [0, 1]"),
        (
            "fct_copatent_sectors",
            "fct_copatent_sectors.share_of_copatents adds up to 1 within each edition_id, filing_year, basis",
        ),
        (
            "fct_top_applicants",
            "fct_top_applicants: one row per edition_id, side, applicant_name (the mart's grain)",
        ),
        (
            "fct_copatent_output",
            "fct_copatent_output.region_a is a region of seed regions (or OTHER, UNKNOWN)",
        ),
        ("lake__patstat__tls201_appln", "lake__patstat__tls201_appln.appln_id is never empty"),
    }
    with pytest.raises(
        QualityGateError, match=r"(?s)6 critical data-quality check\(s\) failed.*fct_top_applicants"
    ):
        raise_if_critical(faulty_run)


@pytest.mark.slow
def test_thin_last_years_are_a_warning_naming_2021_and_2022(
    clean_run: QualityResult, built_warehouse: Settings
) -> None:
    with duckdb.connect(str(built_warehouse.warehouse_path), read_only=True) as con:
        flags = con.execute(
            "select year, is_provisional, is_incomplete from dq_year_completeness "
            "where source = 'patstat' and (is_provisional or is_incomplete)"
        ).fetchall()
        mart_flags = con.execute(
            "select distinct filing_year from fct_copatent_output where is_provisional or is_incomplete"
        ).fetchall()
    # 2021 and 2022 are within the 2-year lag of an edition as of 2023-08-01; 2022 at ~35% of trend is
    # also empirically incomplete. No complete year (2011-2020, 2019 among them) is flagged.
    assert {year for year, _, _ in flags} == {2021, 2022}
    assert dict((year, incomplete) for year, _, incomplete in flags)[2022] is True
    assert {year for (year,) in mart_flags} == {2021, 2022}
    (finding,) = [f for f in clean_run.warnings if f.table_name == "dq_year_completeness"]
    assert finding.observed_value == "2"  # UnexpectedRowsExpectation reports the number of rows found


@pytest.mark.slow
def test_report_and_dq_results(clean_run: QualityResult, built_warehouse: Settings) -> None:
    summary = clean_run.report_paths["summary"].read_text(encoding="utf-8")
    assert clean_run.report_paths["data_docs"].is_file()
    flagged_rows = re.findall(
        r"<tr><td>2023_autumn \(newest\)</td><td>(\d{4})</td><td>([a-z ]+)</td>", summary
    )
    assert flagged_rows == [("2021", "provisional"), ("2022", "provisional and incomplete")]
    assert "Every check passed" not in summary  # the completeness warning is listed
    docs = Path(clean_run.report_paths["data_docs"]).read_text(encoding="utf-8")
    assert "mart__dq_year_completeness" in docs
    with duckdb.connect(str(built_warehouse.warehouse_path), read_only=True) as con:
        rows = con.execute(
            "select count(*), count(*) filter (where not success), count(distinct suite) "
            "from dq_results where run_id = 'clean-run'"
        ).fetchone()
    assert rows == (
        len(clean_run.findings),
        len(clean_run.warnings),
        len({f.suite for f in clean_run.findings}),
    )
