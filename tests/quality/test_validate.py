"""Great Expectations really evaluates on the DuckDB path: clean data passes, planted faults fail the
expectation they break, and the report and the findings file are written; dbt builds dq_results from it.

Faults are planted in a copy of the built warehouse and lake (never in the shared fixture), all in one
run to keep the runtime modest; each sits in a different table so it can only fail its own check. Faults
that dbt owns (a null key, a broken grain, a share above 1) are not GX's: they must fail dbt instead.
No step of the quality run or the publish opens the warehouse read-write (dbt is its only writer).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from stiwatch.config import Settings
from stiwatch.dbt_runner import run_dbt
from stiwatch.publish import publish
from stiwatch.quality import Finding, QualityGateError, QualityResult, raise_if_critical, validate
from stiwatch.quality.results import build_dq_results, write_results
from stiwatch.sources.patstat.schema import lake_schema

from .conftest import EDITION


class ConnectRecorder:
    """Wraps duckdb.connect: records every database file opened (with its read_only flag) and, on
    connections opened by stiwatch code, every ATTACH statement (how the quality step and publishing reach
    the warehouse)."""

    def __init__(self) -> None:
        self.opened: list[tuple[Path, bool]] = []
        self.attached: list[str] = []
        self._connect = duckdb.connect

    def __call__(self, database: object = ":memory:", read_only: bool = False, **kwargs: object):
        con = self._connect(database, read_only=read_only, **kwargs)
        if str(database) not in (":memory:", ""):
            self.opened.append((Path(str(database)).resolve(), bool(read_only)))
        caller = sys._getframe(1).f_globals.get("__name__", "")
        return _RecordingConnection(con, self) if caller.startswith("stiwatch") else con

    def warehouse_access(self, warehouse: Path) -> tuple[list[str], list[str]]:
        """(read-only accesses, read-write accesses) of the warehouse file."""
        path = warehouse.resolve()
        opens = [("connect", ro) for p, ro in self.opened if p == path]
        attaches = [("attach", "read_only" in sql.lower()) for sql in self.attached if str(path) in sql]
        accesses = opens + attaches
        return [kind for kind, ro in accesses if ro], [kind for kind, ro in accesses if not ro]


class _RecordingConnection:
    def __init__(self, con: duckdb.DuckDBPyConnection, recorder: ConnectRecorder) -> None:
        self._con = con
        self._recorder = recorder

    def execute(self, sql: str, *args: object, **kwargs: object) -> object:
        if re.match(r"\s*attach\b", sql, flags=re.IGNORECASE):
            self._recorder.attached.append(sql)
        return self._con.execute(sql, *args, **kwargs)

    def __getattr__(self, name: str) -> object:
        return getattr(self._con, name)

    def __enter__(self) -> _RecordingConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self._con.__exit__(*exc)


@pytest.fixture(scope="module")
def connects() -> ConnectRecorder:
    return ConnectRecorder()


@pytest.fixture(scope="module")
def clean_run(built_warehouse: Settings, connects: ConnectRecorder) -> QualityResult:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(duckdb, "connect", connects)
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
def faulty(built_warehouse: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data_dir = tmp_path_factory.mktemp("faulty") / "data"
    shutil.copytree(built_warehouse.lake_dir, data_dir / "lake")
    shutil.copyfile(built_warehouse.warehouse_path, data_dir / "warehouse.duckdb")
    settings = Settings(data_dir=data_dir, warehouse_path=data_dir / "warehouse.duckdb")
    plant_faults(settings)
    return settings


@pytest.fixture(scope="module")
def faulty_run(faulty: Settings) -> QualityResult:
    return validate(faulty, "faulty-run")


@pytest.mark.slow
def test_clean_data_passes_every_critical_check(clean_run: QualityResult) -> None:
    assert clean_run.critical_failures == []
    # Every lake table of the edition, and the patent marts and completeness findings, have a suite.
    suites = {f.suite for f in clean_run.findings}
    assert {s for s in suites if s.startswith("lake__")} == {
        f"lake__patstat__{table}"
        for table in (
            "tls201_appln", "tls206_person", "tls207_pers_appln", "tls209_appln_ipc", "tls224_appln_cpc",
            "tls230_appln_techn_field", "tls901_techn_field_ipc",
        )
    }  # fmt: skip
    assert suites >= {
        "mart__fct_copatent_output",
        "mart__fct_copatent_countries",
        "mart__fct_copatent_sectors",
        "mart__fct_patent_missing_countries",
        "mart__fct_top_applicants",
        "mart__dq_year_completeness",
    }
    assert "mart__dq_results" not in suites  # GX's own output is not validated
    raise_if_critical(clean_run)  # does not raise


@pytest.mark.slow
def test_planted_faults_fail_the_right_expectations(faulty_run: QualityResult) -> None:
    failed = {(f.table_name, f.description) for f in faulty_run.critical_failures}
    # The null key, the duplicate grain row and the share above 1 are planted too, but dbt owns those
    # checks (test_faults_dbt_owns_fail_dbt): GX must not report them a second time.
    assert failed == {
        (
            "fct_copatent_output",
            "fct_copatent_output.region_a is a region of seed regions (or OTHER, UNKNOWN)",
        ),
        ("lake__patstat__tls201_appln", "lake__patstat__tls201_appln.appln_id is never empty"),
    }
    with pytest.raises(
        QualityGateError, match=r"(?s)2 critical data-quality check\(s\) failed.*fct_copatent_output"
    ):
        raise_if_critical(faulty_run)


@pytest.mark.slow
def test_faults_dbt_owns_fail_dbt(built_warehouse: Settings, faulty: Settings, tmp_path: Path) -> None:
    """The mart faults GX no longer checks fail the tests `dbt build` runs after each model (run here as
    `dbt test`: a build would first rebuild the marts and so remove the planted rows), and a null key
    cannot even enter a contracted mart."""
    result = run_dbt(faulty, "test", "--select", "fct_top_applicants fct_copatent_sectors", check=False)
    assert result.returncode != 0
    failed = set(re.findall(r"\d+ of \d+ FAIL \d+ (\S+)", result.stdout))
    assert failed == {
        "unique_combination_fct_top_applicants_edition_id__side__applicant_name",
        "assert_copatent_sector_shares_sum_to_one",
        "expression_is_true_fct_copatent_sectors_share_of_copatents_0_and_share_of_copatents_1_1e_9",
    }, result.stdout[-3000:]
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(built_warehouse.warehouse_path, copy)
    with duckdb.connect(str(copy)) as con, pytest.raises(duckdb.ConstraintException, match="NOT NULL"):
        con.execute(
            "insert into fct_patent_missing_countries by name "
            "select * replace (null as edition_id) from fct_patent_missing_countries limit 1"
        )


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
    docs_index = Path(clean_run.report_paths["data_docs"])
    docs = docs_index.read_text(encoding="utf-8")
    assert "mart__dq_year_completeness" in docs
    # Data Docs hold a page for every suite with a check in this run (validations/<suite>/<run>/<time>/).
    pages = {page.parents[2].name for page in docs_index.parent.glob("validations/*/clean-run/*/*.html")}
    assert pages >= {f.suite for f in clean_run.findings}
    build_dq_results(built_warehouse)  # what the DAG's dbt_build_dq_results task runs
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


@pytest.mark.slow
def test_dq_results_grows_by_one_set_of_rows_per_run(
    clean_run: QualityResult, built_warehouse: Settings
) -> None:
    def runs() -> dict[str, int]:
        with duckdb.connect(str(built_warehouse.warehouse_path), read_only=True) as con:
            return dict(con.execute("select run_id, count(*) from dq_results group by run_id").fetchall())

    build_dq_results(built_warehouse)
    before = runs()
    assert before["clean-run"] == len(clean_run.findings)
    findings = (
        Finding("mart__x", "x", "unexpected_rows_expectation", "first", "warning", True, None),
        Finding("mart__x", "x", "unexpected_rows_expectation", "second", "critical", False, "1 unexpected"),
    )
    # An Airflow run id, with the characters a folder name should not carry.
    second = QualityResult("manual__2026-01-02T03:04:05+00:00", clean_run.run_time, findings)
    write_results(built_warehouse, second)
    write_results(built_warehouse, second)  # a retried run replaces its own file
    build_dq_results(built_warehouse)
    assert runs() == {**before, second.run_id: 2}


@pytest.mark.slow
def test_quality_and_publish_never_open_the_warehouse_read_write(
    clean_run: QualityResult, built_warehouse: Settings, connects: ConnectRecorder
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(duckdb, "connect", connects)
        release = publish(built_warehouse)
    read_only, read_write = connects.warehouse_access(built_warehouse.warehouse_path)
    assert read_only.count("attach") >= 2  # the recorder saw the quality step and publishing read it
    assert read_write == []
    meta = json.loads((release / "release.json").read_text(encoding="utf-8"))
    # From dim_snapshot: the one generated edition, and the patent settings of dbt_project.yml.
    assert meta["snapshots"] == {
        "patstat": [{"snapshot_id": EDITION, "as_of": "2023-08-01", "is_current": True}]
    }
    assert meta["settings"]["patent_scope"] == ["ai_big_data"]
    assert meta["settings"]["include_utility_models"] == [False]
    assert "scope_version" not in meta["settings"]  # no publication snapshot: the scope shapes nothing
