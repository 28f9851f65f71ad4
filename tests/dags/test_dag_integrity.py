"""DAG integrity: the dags/ folder parses without errors, quickly, without heavy imports, and every DAG
follows the house rules (tags, docs, retries, one active run, the warehouse pool on warehouse writers).

The parse happens in a fresh subprocess so that ``sys.modules`` shows exactly what parsing imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from stiwatch.airflow_env import DAGS_FOLDER

HEAVY_MODULES = ("pandas", "duckdb", "pyarrow", "great_expectations", "dbt")
EXPECTED_DAGS = {
    "stiwatch_ingest_wos",
    "stiwatch_ingest_openalex",
    "stiwatch_ingest_patstat",
    "stiwatch_transform",
    "stiwatch_pull_openalex",
}

INGEST_PARALLELISM = 7  # not the default (2): proves the setting, not a literal, reaches the DAG

_PARSE = """
import json, sys
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(sys.argv[1])
print("RESULT " + json.dumps({
    "import_errors": {str(k): str(v) for k, v in bag.import_errors.items()},
    "heavy": sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[2].split(","))),
    "dags": {
        dag_id: {
            "tags": sorted(dag.tags),
            "doc_md": dag.doc_md or "",
            "max_active_runs": dag.max_active_runs,
            "tasks": {
                t.task_id: {
                    "retries": t.retries,
                    "pool": t.pool,
                    "outlets": [o.uri for o in t.outlets],
                    "max_active_tis_per_dagrun": t.max_active_tis_per_dagrun,
                    "upstream": sorted(t.upstream_task_ids),
                    "trigger_rule": getattr(t.trigger_rule, "value", str(t.trigger_rule)),
                }
                for t in dag.tasks
            },
        }
        for dag_id, dag in bag.dags.items()
    },
}))
"""


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(tmp_path_factory.mktemp("airflow_home")),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
        # A data root with no warehouse: parsing must not need one.
        "STIWATCH_DATA_DIR": str(tmp_path_factory.mktemp("empty_data_root")),
        "DO_NOT_TRACK": "1",
        "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
        "STIWATCH_INGEST_PARALLELISM": str(INGEST_PARALLELISM),
    }
    env.pop("STIWATCH_WAREHOUSE", None)
    proc = subprocess.run(
        [sys.executable, "-c", _PARSE, str(DAGS_FOLDER), ",".join(HEAVY_MODULES)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, f"DAG parse crashed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return json.loads(lines[-1][len("RESULT ") :])


def test_no_import_errors_and_all_dags_present(parsed: dict) -> None:
    assert parsed["import_errors"] == {}
    assert set(parsed["dags"]) == EXPECTED_DAGS


def test_parsing_imports_nothing_heavy(parsed: dict) -> None:
    assert parsed["heavy"] == [], (
        f"imported while parsing: {parsed['heavy']} (import them inside task bodies)"
    )


@pytest.mark.parametrize("dag_id", sorted(EXPECTED_DAGS))
def test_dag_house_rules(parsed: dict, dag_id: str) -> None:
    dag = parsed["dags"][dag_id]
    assert "stiwatch" in dag["tags"]
    assert len(dag["doc_md"].strip()) > 50
    assert dag["max_active_runs"] == 1
    assert dag["tasks"], "a DAG without tasks"
    for task_id, task in dag["tasks"].items():
        if task_id in NOT_RETRIED:
            assert task["retries"] == 0, f"{dag_id}.{task_id} must not retry a failed dbt build"
        else:
            assert task["retries"] >= 2, f"{dag_id}.{task_id} has retries={task['retries']}"


# A failed dbt build is a data or code problem: retrying it cannot help and only delays the report.
NOT_RETRIED = {"dbt_build", "dbt_build_dq_results"}


# dbt is the only writer of warehouse.duckdb (DuckDB allows one writer process): the dbt tasks hold the
# one-slot pool. The others only read it (read-only, ordered after the dbt task they need, one active
# run), or touch only the lake, the build record (warehouse_build.json) or the serving release BI reads.
DBT_TASKS = {"dbt_build", "dbt_build_dq_results", "generate_dbt_docs"}
READERS = {"resolve_institutions", "quality_check", "publish_serving_release", "build_figures_report"}
BUILD_RECORD_TASKS = {"plan_dbt_build", "record_dbt_build"}


def test_only_dbt_tasks_hold_the_single_slot_pool(parsed: dict) -> None:
    pools = {task_id: task["pool"] for task_id, task in parsed["dags"]["stiwatch_transform"]["tasks"].items()}
    assert set(pools) == DBT_TASKS | READERS | BUILD_RECORD_TASKS, pools
    assert {task_id for task_id, pool in pools.items() if pool == "duckdb_writer"} == DBT_TASKS


def test_the_newest_quality_run_reaches_dq_results_before_publishing(parsed: dict) -> None:
    tasks = parsed["dags"]["stiwatch_transform"]["tasks"]
    dq_results = tasks["dbt_build_dq_results"]
    assert dq_results["upstream"] == ["quality_check"]
    assert dq_results["trigger_rule"] == "all_done"  # a run that failed the gate is recorded too
    # Publishing waits for both: the findings are in dq_results, and the gate passed.
    assert set(tasks["publish_serving_release"]["upstream"]) == {"dbt_build_dq_results", "quality_check"}
    assert tasks["publish_serving_release"]["trigger_rule"] == "all_success"


def test_ingest_dags_map_files_and_publish_an_asset(parsed: dict) -> None:
    for source in ("wos", "openalex", "patstat"):
        assert set(parsed["dags"][f"stiwatch_ingest_{source}"]["tasks"]) == {
            "plan",
            "ingest_files",
            "snapshots",
            "finalize",
            "publish",
            "check_landing",
            "all_published",
        }
        tasks = parsed["dags"][f"stiwatch_ingest_{source}"]["tasks"]
        # Isolation: a failed file fails its own snapshot's finalize, the others still publish.
        assert tasks["finalize"]["trigger_rule"] == "all_done"
        assert tasks["publish"]["trigger_rule"] == "all_done"
        assert tasks["check_landing"]["upstream"] == []
        assert tasks["all_published"]["trigger_rule"] == "all_done"  # a leaf: fails the run for a lost one
        assert tasks["publish"]["outlets"] == [f"stiwatch://lake/{source}"]
        assert all(not t["outlets"] for task_id, t in tasks.items() if task_id != "publish")
        assert tasks["ingest_files"]["max_active_tis_per_dagrun"] == INGEST_PARALLELISM


def test_dag_files_are_thin() -> None:
    for path in Path(DAGS_FOLDER).glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 15, f"{path}: move logic to include/"
