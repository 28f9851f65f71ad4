"""Top-level parents from the registry's parent links: followed while exactly one active parent is named."""

from __future__ import annotations

import pyarrow as pa

from stiwatch.institutions.hierarchy import top_parents
from stiwatch.institutions.registry import Registry


def _registry(organisations: list[str], links: list[tuple[str, str]]) -> Registry:
    return Registry(
        organizations=pa.table(
            {
                "ror_id": organisations,
                "display_name": [f"Org {o}" for o in organisations],
                "country_code": ["CN"] * len(organisations),
                "country_name": ["China"] * len(organisations),
            }
        ),
        names=pa.table(
            {
                "ror_id": pa.array([], pa.string()),
                "name": pa.array([], pa.string()),
                "name_type": pa.array([], pa.string()),
            }
        ),
        successors=pa.table({"ror_id": pa.array([], pa.string()), "successor_id": pa.array([], pa.string())}),
        inputs=(),
        parents=pa.table({"ror_id": [c for c, _ in links], "parent_id": [p for _, p in links]}),
    )


def test_single_active_parents_are_followed_to_the_top() -> None:
    registry = _registry(
        ["lab", "institute", "academy", "joint", "uni1", "uni2", "orphan", "x", "y"],
        [
            ("lab", "institute"),  # lab -> institute -> academy: two levels
            ("institute", "academy"),
            ("joint", "uni1"),  # two active parents: its own top
            ("joint", "uni2"),
            ("orphan", "gone"),  # the parent is no active organisation: its own top
            ("x", "y"),  # a cycle stops at the first repeated organisation
            ("y", "x"),
        ],
    )
    rows = top_parents(registry, "dump1").to_pylist()
    tops = {row["ror_id"]: (row["top_ror_id"], row["levels"], row["top_name"]) for row in rows}
    assert tops["lab"] == ("academy", 2, "Org academy")
    assert tops["institute"] == ("academy", 1, "Org academy")
    assert "joint" not in tops and "orphan" not in tops and "academy" not in tops
    assert tops["x"][:2] == ("y", 1) and tops["y"][:2] == ("x", 1)
    assert {row["registry_id"] for row in rows} == {"dump1"}
