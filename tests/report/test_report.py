"""The figures report, built from a published release of a contract-shaped warehouse, rendered in Chromium."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import duckdb
import pytest

from machine_tools import required_command
from stiwatch.config import Settings
from stiwatch.publish import publish
from stiwatch.report import build_report

from .fixture_release import HOSTILE_NAME, build_warehouse

FIGURE_IDS = (
    "copublications", "publications", "top-institutions", "field-shares",
    "copatents", "copatent-sectors", "top-applicants",
)  # fmt: skip
SNAPSHOT_IDS = ("2025-03-01_cur", "2024-01-10_old", "2025-06-01", "2024_autumn")

# Non-final points/bars per figure and status: the flags planted in the fixture (see fixture_release).
EXPECTED_MARKS = {
    "copublications": {"provisional": 6, "incomplete": 1},
    "publications": {"provisional": 6, "incomplete": 0},
    "copatents": {"provisional": 2, "incomplete": 2},
    "copatent-sectors": {"provisional": 2, "incomplete": 2},
}


def build(settings: Settings, *, with_flags: bool = True, marts: tuple[str, ...] | None = None) -> Path:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    build_warehouse(settings.warehouse_path, with_flags=with_flags, marts=marts)
    return build_report(settings, publish(settings))


def figure_html(page: str, figure_id: str) -> str:
    match = re.search(rf'<figure id="fig-{figure_id}".*?</figure>', page, flags=re.DOTALL)
    assert match, f"figure {figure_id} missing"
    return match.group(0)


def marks_with_status(svg: str, status: str) -> list[str]:
    """The drawn marks (points, bars) whose data row has this status (vl-convert writes it in aria-label)."""
    return [
        mark
        for mark in re.findall(r'<path [^>]*aria-roledescription="(?:point|bar)"[^>]*>', svg)
        if f"status: {status}" in mark
    ]


def expected_marks(svg: str) -> list[str]:
    """The drawn nowcast points (their tooltip, in aria-label, says kind: expected)."""
    return [
        mark
        for mark in re.findall(r'<path [^>]*aria-roledescription="point"[^>]*>', svg)
        if "kind: expected" in mark
    ]


def test_page_marks_non_final_years(settings: Settings) -> None:
    page = build(settings).read_text(encoding="utf-8")

    for figure_id, expected in EXPECTED_MARKS.items():
        svg = figure_html(page, figure_id)
        for status, count in expected.items():
            assert len(marks_with_status(svg, status)) == count, (figure_id, status)
        if figure_id in ("copublications", "publications", "copatents"):
            for point in marks_with_status(svg, "provisional") + marks_with_status(svg, "incomplete"):
                assert 'fill="white"' in point  # hollow
            assert 'stroke-dasharray="5,4"' in svg  # the dashed tail
    assert page.count("completeness flags.") == 4  # the four yearly figures say how they were marked
    # Expected (nowcast) marks: the four applicant rows of fct_copatent_nowcast, apart from the observed
    # points counted above (those counts are unchanged), each with its bounds as a dashed bar.
    copatents = figure_html(page, "copatents")
    assert len(expected_marks(copatents)) == 4
    assert all(
        "method: default_curve" in mark and 'fill="white"' in mark for mark in expected_marks(copatents)
    )
    assert 'stroke-dasharray="3,3"' in copatents  # the bounds
    marks_2023 = [mark for mark in expected_marks(copatents) if "year: 2023;" in mark]
    assert any("expected: 123;" in mark for mark in marks_2023)  # 43 / 0.35
    assert "Diamonds on dashed bars are expected final counts" in page
    # The co-publication figure: the three pair rows of fct_publication_nowcast (current WoS state, 2025).
    copublications = figure_html(page, "copublications")
    assert len(expected_marks(copublications)) == 3
    assert all(
        "year: 2025;" in mark and "method: default_curve" in mark for mark in expected_marks(copublications)
    )
    assert any("expected: 583;" in mark for mark in expected_marks(copublications))  # 105 / 0.18
    assert "fct_publication_nowcast, method: default_curve" in page


def test_a_release_without_completeness_flags_is_refused(settings: Settings) -> None:
    # The report takes provisional years from the marts only; it never re-derives dbt's lag rule.
    with pytest.raises(ValueError, match=r"fct_\w+ in this release has no is_provisional, is_incomplete"):
        build(settings, with_flags=False)


def test_figures_are_written_as_files_and_plot_only_current_snapshots(settings: Settings) -> None:
    index = build(settings)

    assert sorted(p.stem for p in index.parent.glob("*.svg")) == sorted(FIGURE_IDS)
    page = index.read_text(encoding="utf-8")
    copublications = figure_html(page, "copublications")
    assert "2024-01-10_old" not in copublications  # the older wos snapshot is listed, not plotted
    assert "co-publications: 5;" not in copublications  # its only row
    assert "Oxford Test Univ" not in page  # variant 'all' is not Fig. 3
    assert "OTHER" not in figure_html(page, "publications")


def test_missing_marts_are_named_instead_of_drawn(settings: Settings) -> None:
    page = build(settings, marts=("fct_region_pair_output",)).read_text(encoding="utf-8")

    assert page.count("<svg") >= 1
    assert "fct_copatent_output is not in this release." in page
    assert "fct_field_shares is not in this release." in page


def test_a_folder_that_is_no_release_is_refused(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"release\.json.*stiwatch publish"):
        build_report(settings, tmp_path)


def chromium() -> str:
    return required_command(
        "chromium",
        "chromium-browser",
        "google-chrome",
        missing="headless Chromium not installed (Debian: apt-get install chromium)",
    )


def run_chromium(tmp_path: Path, *args: str) -> str:
    command = [
        chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium-profile'}", *args,
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_report_renders_in_chromium(settings: Settings, tmp_path: Path) -> None:
    index = build(settings, with_flags=True)

    dom = run_chromium(tmp_path, "--dump-dom", index.as_uri())
    screenshot = tmp_path / "report.png"
    run_chromium(tmp_path, "--window-size=1300,4000", f"--screenshot={screenshot}", index.as_uri())

    assert screenshot.stat().st_size > 50_000  # a blank page of that size compresses to a few kB
    for figure_id in FIGURE_IDS:
        svg = figure_html(dom, figure_id)
        assert "<svg" in svg
        drawn = re.findall(r'<path [^>]*aria-roledescription="(?:point|bar|line mark)"[^>]*d="M[^"]+"', svg)
        assert drawn, f"{figure_id}: no marks drawn"
    assert len(marks_with_status(figure_html(dom, "copublications"), "incomplete")) == 1
    # The changelog section sits at the top; the nowcast's expected marks are drawn (diamonds with a path).
    assert dom.index('<section id="what-changed">') < dom.index('<table id="snapshots">')
    assert "First release" in dom
    drawn_expected = [m for m in expected_marks(figure_html(dom, "copatents")) if re.search(r'd="M[^"]+"', m)]
    assert len(drawn_expected) == 4
    drawn = [m for m in expected_marks(figure_html(dom, "copublications")) if re.search(r'd="M[^"]+"', m)]
    assert len(drawn) == 3
    assert "Years marked by the warehouse's completeness flags." in dom
    snapshots = re.search(r'<table id="snapshots">.*?</table>', dom, flags=re.DOTALL).group(0)
    for snapshot_id in SNAPSHOT_IDS:
        assert snapshot_id in snapshots
    assert "per_source" in re.search(r'<table id="settings">.*?</table>', dom, flags=re.DOTALL).group(0)
    # The hostile institution name is text everywhere (table cell and SVG label), never an element.
    escaped = HOSTILE_NAME.replace("<", "&lt;").replace(">", "&gt;")
    assert f"<td>{escaped}</td>" in dom
    assert f"{escaped} (DE)</text>" in dom
    assert "<script" not in dom.lower()
    # Offline: nothing fetched from anywhere (no scripts, stylesheets, images or frames by URL).
    assert not re.search(r"<(?:script|link|img|iframe)\b", dom, flags=re.IGNORECASE)


def test_what_changed_says_first_release_then_lists_notable_changes(settings: Settings) -> None:
    page = build(settings).read_text(encoding="utf-8")
    section = re.search(r'<section id="what-changed">.*?</section>', page, flags=re.DOTALL).group(0)
    assert "First release" in section

    # A later release: one co-patent count rose from 41 to 70 (+70.7%), one fell from 29 to 28 (not notable).
    with duckdb.connect(str(settings.warehouse_path)) as con:
        con.execute(
            "update fct_copatent_output set copatent_families = 70 where filing_year = 2021 "
            "and region_pair = 'CN-US'"
        )
        con.execute(
            "update fct_copatent_output set copatent_families = 28 where filing_year = 2019 "
            "and region_pair = 'CN-EU27/AC'"
        )
    page = build_report(settings, publish(settings)).read_text(encoding="utf-8")
    section = re.search(r'<section id="what-changed">.*?</section>', page, flags=re.DOTALL).group(0)
    assert "2 changed values, 1 notable" in section
    assert section.count("<li>patstat fct_copatent_output") == 1
    assert "copatent_families (2021, CN-US, applicant): 41 -&gt; 70 (+70.7%)" in section
    table = re.search(r'<table id="changes-table">.*?</table>', section, flags=re.DOTALL).group(0)
    assert table.count("<tr>") == 2  # header + the one notable change
    assert "+70.7%" in table
    # No recorded input changed (same code, seeds, settings and snapshots; the marts were edited by hand):
    # said, not hidden.
    assert "<strong>patstat</strong>: no recorded input changed" in section
    assert "because unexplained" in section
