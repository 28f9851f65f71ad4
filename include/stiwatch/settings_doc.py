"""The settings table of README.md, generated from the ``Settings`` fields (env var, default, meaning).

``python -m stiwatch.settings_doc`` rewrites the table between the markers in README.md; ``--check`` only
reports whether it is current (tests/test_settings_doc.py fails when it is not). docs/ARCHITECTURE.md links
to that one table.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import MISSING, fields

from stiwatch.config import PROJECT_ROOT, Settings

README = PROJECT_ROOT / "README.md"
BEGIN = (
    "<!-- settings-table:begin (generated from stiwatch.config.Settings: python -m stiwatch.settings_doc) -->"
)
END = "<!-- settings-table:end -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _default(value: object) -> str:
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float):
        return f"`{value:g}`"
    return f"`{value}`"


def settings_table() -> str:
    """One markdown row per ``Settings`` field, in declaration order."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for item in fields(Settings):
        meta = item.metadata
        if not meta.get("env") or not meta.get("doc"):
            raise ValueError(f"Settings.{item.name} has no env var or description: declare it with setting()")
        if meta["shown"] is not None:
            default = meta["shown"]
        elif item.default is not MISSING:
            default = _default(item.default)
        else:
            raise ValueError(f"Settings.{item.name} has no default to document: give setting(shown=...)")
        rows.append(f"| `{meta['env']}` | {_cell(default)} | {_cell(meta['doc'])} |")
    return "\n".join(rows) + "\n"


def render_into(text: str) -> str:
    """``text`` with the block between the markers replaced by the current table."""
    try:
        head, rest = text.split(BEGIN + "\n", 1)
        _, tail = rest.split(END, 1)
    except ValueError:
        raise ValueError(f"{README}: the settings table markers are missing ({BEGIN} ... {END})") from None
    return f"{head}{BEGIN}\n{settings_table()}{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stiwatch.settings_doc", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 when README.md's table is not current")
    args = parser.parse_args(argv)
    current = README.read_text(encoding="utf-8")
    wanted = render_into(current)
    if args.check:
        if wanted != current:
            print(
                f"{README}: the settings table is stale; run python -m stiwatch.settings_doc", file=sys.stderr
            )
            return 1
        return 0
    README.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
