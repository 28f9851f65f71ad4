"""The lake index a build reads: every manifest, one per line, frozen while no dbt writer runs."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import replace

import pytest

from stiwatch import build_plan
from stiwatch.config import Settings
from stiwatch.errors import DataError
from stiwatch.lake_index import check_lake_index, freeze_lake_index, read_lake_index
from stiwatch.warehouse_lock import WarehouseLockedError, acquire


def _manifest(settings: Settings, source: str, snapshot_id: str, text: str) -> None:
    path = settings.lake_dir / source / f"snapshot={snapshot_id}" / "_manifest.json"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")


def _wos(snapshot_id: str, as_of: str) -> str:
    return json.dumps({"source": "wos", "snapshot_id": snapshot_id, "as_of": as_of, "ingested_at": "t"})


def test_every_manifest_becomes_one_line_and_an_empty_lake_an_empty_file(settings: Settings) -> None:
    freeze_lake_index(settings)
    assert settings.lake_index_path.read_text(encoding="utf-8") == ""
    first = {"source": "wos", "snapshot_id": "a", "files": [{"path": "x.txt", "records": 3}]}
    second = {"source": "ror", "snapshot_id": "b", "note": "Zürich's"}
    _manifest(settings, "wos", "a", json.dumps(first, indent=2))
    _manifest(settings, "ror", "b", json.dumps(second, indent=2))
    frozen = freeze_lake_index(settings)
    assert frozen.manifests == [second, first]  # sorted by path: ror/ before wos/
    assert frozen.sha256 == hashlib.sha256(settings.lake_index_path.read_bytes()).hexdigest()
    lines = settings.lake_index_path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [second, first]
    assert read_lake_index(settings) == [second, first]


def test_a_damaged_manifest_is_named(settings: Settings) -> None:
    _manifest(settings, "wos", "a", '{"source": "wos",')
    with pytest.raises(DataError, match=r"wos/snapshot=a/_manifest\.json"):
        freeze_lake_index(settings)
    assert not settings.lake_index_path.exists()  # nothing half-written is left


def test_a_missing_index_is_named_with_the_fix(settings: Settings) -> None:
    with pytest.raises(DataError, match=f"{settings.lake_index_path} is missing.*stiwatch refresh"):
        read_lake_index(settings)


def test_the_index_never_changes_under_a_running_writer(settings: Settings) -> None:
    _manifest(settings, "wos", "a", _wos("a", "2024-01-01"))
    freeze_lake_index(settings)
    _manifest(settings, "wos", "b", _wos("b", "2024-02-01"))
    lock = acquire(settings.warehouse_path, 0)  # a dbt build is running
    try:
        with pytest.raises(WarehouseLockedError, match="another writer holds"):
            freeze_lake_index(replace(settings, warehouse_lock_wait=0.2))
    finally:
        os.close(lock)
    assert [m["snapshot_id"] for m in read_lake_index(settings)] == ["a"]


def test_the_record_lists_what_the_build_read_not_the_lake_now(settings: Settings) -> None:
    _manifest(settings, "wos", "a", _wos("a", "2024-01-01"))
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    settings.warehouse_path.touch()
    build_plan.plan_frozen_build(settings)
    _manifest(settings, "wos", "b", _wos("b", "2024-02-01"))  # published while dbt runs
    build_plan.record_build(settings)
    assert json.loads(build_plan.record_path(settings).read_text("utf-8"))["deliveries"] == {"wos": ["a@t"]}
    plan = build_plan.plan_build(settings)  # the next refresh: b is new, a build is due
    assert not plan.full_refresh and "wos" not in plan.unchanged_sources


def test_a_build_refuses_an_index_frozen_again_after_its_plan(settings: Settings) -> None:
    _manifest(settings, "wos", "a", _wos("a", "2024-01-01"))
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    settings.warehouse_path.touch()
    plan = build_plan.plan_frozen_build(settings)
    assert plan.lake_index_sha256 is not None
    check_lake_index(settings, plan.lake_index_sha256)  # the transform DAG's dbt tasks, before dbt
    _manifest(settings, "wos", "b", _wos("b", "2024-02-01"))
    freeze_lake_index(settings)  # a dbt command run by hand in between
    with pytest.raises(RuntimeError, match=r"manifests\.jsonl is not the one the build plan froze"):
        check_lake_index(settings, plan.lake_index_sha256)


class _TaskInstance:
    """The one call a dbt task's pre_execute makes on its context's task instance."""

    def __init__(self, plan: dict | None) -> None:
        self.plan = plan

    def xcom_pull(self, task_ids: str) -> dict | None:
        assert task_ids == "plan_dbt_build"
        return self.plan


def test_the_transform_dag_checks_its_plan_before_dbt(settings: Settings) -> None:
    from stiwatch.orchestration.transform_dag import _prepare_planned_build

    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    settings.warehouse_path.touch()
    plan = build_plan.plan_frozen_build(settings)
    _prepare_planned_build(settings, {"ti": _TaskInstance({"lake_index_sha256": plan.lake_index_sha256})})
    with pytest.raises(RuntimeError, match="not the one the build plan froze"):
        _prepare_planned_build(settings, {"ti": _TaskInstance({"lake_index_sha256": "0" * 64})})
    with pytest.raises(RuntimeError, match="plan_dbt_build returned no plan"):
        _prepare_planned_build(settings, {"ti": _TaskInstance(None)})
