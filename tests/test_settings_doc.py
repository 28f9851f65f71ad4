"""The settings table in README.md is the one generated from ``Settings``, and documents every setting."""

from __future__ import annotations

import inspect
import re
from dataclasses import fields

import pytest

from stiwatch import settings_doc
from stiwatch.config import Settings


def test_the_committed_readme_table_is_the_generated_one() -> None:
    text = settings_doc.README.read_text(encoding="utf-8")
    assert settings_doc.render_into(text) == text, "run: python -m stiwatch.settings_doc"
    assert settings_doc.main(["--check"]) == 0


def test_every_variable_from_env_reads_is_documented_and_the_other_way_round() -> None:
    # Read from the source of from_env, apart from the field metadata the table is rendered from.
    read = set(re.findall(r'"(STIWATCH_[A-Z0-9_]+)"', inspect.getsource(Settings.from_env)))
    documented = {item.metadata["env"] for item in fields(Settings)}
    assert read == documented
    table = settings_doc.settings_table()
    for name in read | {"STIWATCH_INCLUDE_UTILITY_MODELS", "STIWATCH_IMPUTE_PATENT_COUNTRIES"}:
        assert f"| `{name}` |" in table, name


def test_the_table_shows_defaults_as_written_in_the_docs() -> None:
    rows = {
        line.split(" | ")[0].strip("| `"): line for line in settings_doc.settings_table().splitlines()[2:]
    }
    assert len(rows) == len(fields(Settings))
    assert "| `0.9` |" in rows["STIWATCH_COMPLETENESS_RATIO"]
    assert "| `2` |" in rows["STIWATCH_COMPLETENESS_NOISE_SIGMAS"]  # 2.0, written as the dbt var default
    assert "| `true` |" in rows["STIWATCH_CN_INCLUDES_HK_MO"]
    assert "| unset |" in rows["STIWATCH_OPENALEX_MAILTO"]
    assert "1702\\|1707" in rows["STIWATCH_OPENALEX_FILTER"]  # a | inside a cell is escaped


def test_a_stale_table_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{settings_doc.BEGIN}\n| old |\n{settings_doc.END}\nrest\n", encoding="utf-8")
    monkeypatch.setattr(settings_doc, "README", readme)
    assert settings_doc.main(["--check"]) == 1
    assert settings_doc.main([]) == 0
    assert settings_doc.main(["--check"]) == 0
    assert readme.read_text(encoding="utf-8").endswith(f"{settings_doc.END}\nrest\n")
