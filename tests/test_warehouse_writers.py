"""dbt is the only writer of warehouse.duckdb: no code of the package opens it read-write.

A scan of the source: every ``duckdb.connect(...)`` of a path named like the warehouse passes
``read_only=True``, and every SQL ``attach`` passes ``read_only``. (tests/quality/test_validate.py checks
the same at run time, over a quality run and a publish.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import stiwatch

PACKAGE = Path(stiwatch.__file__).parent


def _sources() -> list[tuple[Path, str, ast.Module]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        found.append((path, text, ast.parse(text)))
    return found


def _is_connect(call: ast.Call) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "connect"
        and getattr(func.value, "id", "") == "duckdb"
    )


def _read_only(call: ast.Call) -> bool:
    return any(
        k.arg == "read_only" and isinstance(k.value, ast.Constant) and k.value.value is True
        for k in call.keywords
    )


def test_the_scan_finds_the_package_readers() -> None:
    connects = [
        node
        for _, _, tree in _sources()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _is_connect(node)
    ]
    assert len(connects) >= 5  # the scan is looking at the right code


def test_no_read_write_connect_to_the_warehouse() -> None:
    offenders = []
    for path, text, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _is_connect(node) and node.args:
                argument = ast.get_source_segment(text, node.args[0]) or ""
                if "warehouse" in argument.lower() and not _read_only(node):
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {argument}")
    assert offenders == [], "open the warehouse with read_only=True (dbt is its only writer)"


def test_every_attach_is_read_only() -> None:
    offenders = []
    attaches = 0
    for path, text, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr | ast.Constant) and not isinstance(
                getattr(node, "value", ""), bytes
            ):
                segment = ast.get_source_segment(text, node) or ""
                if segment.lstrip("f\"' ").lower().startswith("attach "):
                    attaches += 1
                    # The in-memory catalog holding the views over Spark's Parquet output is no file.
                    if "read_only" not in segment.lower() and ":memory:" not in segment:
                        offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {segment}")
    assert attaches >= 2  # the reader's attach of the warehouse file and of its in-memory catalog
    assert offenders == []
