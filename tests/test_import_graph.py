"""The stiwatch package has no import cycle, and every module imports on its own in a fresh interpreter.

The graph is built from the source with ``ast``: an edge for every ``import`` of a stiwatch module, at
module level (what runs on import) and, separately, inside functions too (a deferred import that closes a
loop still couples the two modules; landing.py and sources/patstat/edition.py once did).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "include" / "stiwatch"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE_DIR.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, module: str, is_package: bool, top_level_only: bool) -> set[str]:
    """The stiwatch modules ``module`` imports (``from pkg import name`` counts pkg.name when a module)."""
    found: set[str] = set()

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue  # annotations only, never executed
            inner = nested or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if inner and top_level_only:
                continue
            if isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names if alias.name.split(".")[0] == "stiwatch")
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = module.split(".") if is_package else module.split(".")[:-1]
                    base = base[: len(base) - (child.level - 1)]
                    target = ".".join(base + ([child.module] if child.module else []))
                else:
                    target = child.module or ""
                if target.split(".")[0] != "stiwatch":
                    continue
                for alias in child.names:
                    found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in MODULES else target)
            visit(child, inner)

    visit(tree, False)
    found.discard(module)
    return found


def _graph(top_level_only: bool) -> dict[str, set[str]]:
    graph = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[name] = _imports(tree, name, path.name == "__init__.py", top_level_only) & MODULES.keys()
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a list of modules (first == last), or None; depth-first search with colours."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_cycle_finder_finds_a_planted_cycle() -> None:
    # The detector itself must be able to fail: a -> b -> c -> a, and d -> a outside the loop.
    planted = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycle(planted) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_the_graph_sees_the_known_edges() -> None:
    graph = _graph(top_level_only=True)
    assert "stiwatch.sources.registry" in graph["stiwatch.landing"]
    assert "stiwatch.sources.patstat.edition" in graph["stiwatch.sources.patstat"]
    assert "stiwatch.sources.wos.encoding" in graph["stiwatch.sources.wos.ingest"]  # a relative import
    # The spec defers its parser (no pyarrow while DAG files parse): an edge only with deferred imports.
    assert "stiwatch.sources.wos.ingest" not in graph["stiwatch.sources.wos"]
    assert "stiwatch.sources.wos.ingest" in _graph(top_level_only=False)["stiwatch.sources.wos"]
    assert "stiwatch.landing" not in graph["stiwatch.sources.patstat.edition"]


@pytest.mark.parametrize("top_level_only", [True, False], ids=["module-level", "with-deferred"])
def test_the_import_graph_is_acyclic(top_level_only: bool) -> None:
    assert _cycle(_graph(top_level_only)) is None


@pytest.mark.parametrize("order", ["sorted", "reversed"])
def test_every_module_imports_in_a_fresh_interpreter(order: str) -> None:
    # A partly initialised module (the symptom of a cycle) fails depending on which side is imported
    # first: every module, in a fresh interpreter, in both orders. (One interpreter per module would
    # take minutes: the DAG modules import Airflow.)
    names = sorted(MODULES, reverse=order == "reversed")
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    result = subprocess.run([sys.executable, "-c", code, *names], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
