"""The "Watch list" page beside the figures, from a contract-shaped release, rendered in headless Chromium.

Rows are chosen by hand (the contracts give the columns): one European institution with a hostile name,
partner names with markup, a list entry whose source URL is a javascript: link.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb

from stiwatch.config import Settings
from stiwatch.publish import publish
from stiwatch.report import build_report

from .fixture_release import HOSTILE_NAME, WOS, build_warehouse, contract_columns
from .test_report import run_chromium

HOSTILE_PARTNER = "Beihang <b>University</b>"
CURRENT = {**WOS, "is_current_snapshot": True, "period": "all", "institution_level": "institution"}
HIT, HOSTILE_KEY, DELFT_KEY = "seven:aaaaaaaaaaaa", "https://ror.org/0hostile1", "https://ror.org/02e2c7k09"
BEIHANG = "seven:bbbbbbbbbbbb"
ROWS = {
    "fct_institution_risk_profile": [
        {
            **CURRENT,
            "risk_rank": 1,
            "institution_key": HOSTILE_KEY,
            "institution_name": HOSTILE_NAME,
            "institution_country": "DE",
            "copublications_with_cn": 10,
            "listed_copublications": 3,
            "listed_share": 0.3,
            "sensitive_copublications": 5,
            "sensitive_share": 0.5,
            "listed_sensitive_copublications": 2,
            "top_listed_partners": "Harbin Institute of Technology (3)",
        },
        {
            **CURRENT,
            "risk_rank": 2,
            "institution_key": DELFT_KEY,
            "institution_name": "Delft University of Technology",
            "institution_country": "NL",
            "copublications_with_cn": 20,
            "listed_copublications": 1,
            "listed_share": 0.05,
            "sensitive_copublications": 2,
            "sensitive_share": 0.1,
            "listed_sensitive_copublications": 0,
            "top_listed_partners": f"{HOSTILE_PARTNER} (1)",
        },
        {  # a co-patent profile: the page says what its numbers count
            **CURRENT,
            "source": "patstat",
            "snapshot_id": "2024_autumn",
            "snapshot_as_of": date(2024, 8, 1),
            "institution_level": "applicant",
            "risk_rank": 1,
            "institution_key": "ROBERT BOSCH GMBH",
            "institution_name": "ROBERT BOSCH GMBH",
            "institution_country": "DE",
            "copublications_with_cn": 3,
            "listed_copublications": 1,
            "listed_share": 1 / 3,
            "sensitive_copublications": 3,
            "sensitive_share": 1.0,
            "listed_sensitive_copublications": 1,
            "top_listed_partners": "Huawei Technologies (China) (1)",
        },
    ],
    "fct_institution_topic_profile": [
        {
            **CURRENT,
            "institution_key": HOSTILE_KEY,
            "institution_name": HOSTILE_NAME,
            "topic_id": "surveillance",
            "topic_label": "Surveillance computer vision",
            "topic_copublications": 5,
            "copublications_with_cn": 10,
            "topic_share": 0.5,
            "listed_topic_copublications": 2,
        },
        {
            **CURRENT,
            "institution_key": DELFT_KEY,
            "institution_name": "Delft University of Technology",
            "topic_id": "quantum",
            "topic_label": "Quantum technologies",
            "topic_copublications": 2,
            "copublications_with_cn": 20,
            "topic_share": 0.1,
            "listed_topic_copublications": 0,
        },
    ],
    "fct_watch_list": [
        {
            **CURRENT,
            "institution_key": HOSTILE_KEY,
            "institution_name": HOSTILE_NAME,
            "list_id": "seven",
            "listed_institution_key": "https://ror.org/01yqg2h08",
            "listed_institution_name": "Harbin Institute of Technology",
            "topic_id": "all_topics",
            "topic_label": "All topics",
            "copublications": 3,
            "first_year_shared": 2019,
            "last_year_shared": 2023,
            "entry_ids": HIT,
            "match_methods": "ror_id",
        },
        {
            **CURRENT,
            "institution_key": DELFT_KEY,
            "institution_name": "Delft University of Technology",
            "list_id": "seven",
            "listed_institution_key": "https://ror.org/00wk2mp56",
            "listed_institution_name": HOSTILE_PARTNER,
            "topic_id": "all_topics",
            "topic_label": "All topics",
            "copublications": 1,
            "first_year_shared": 2021,
            "last_year_shared": 2021,
            "entry_ids": BEIHANG,
            "match_methods": "alias:exact",
        },
    ],
    "dim_indicator_entry": [
        {
            "entry_id": HIT,
            "list_id": "seven",
            "list_version": "2025-01-01",
            "is_current_version": True,
            "record_seq": 1,
            "name": "Harbin Institute of Technology",
            "resolution_method": "ror_id",
            "resolution_score": 1.0,
            "institution_name": "Harbin Institute of Technology",
            "flagged_in_sources": "wos",
            "source_url": "https://example.org/list",
            "listed_on": date(2021, 1, 1),
        },
        {
            "entry_id": BEIHANG,
            "list_id": "seven",
            "list_version": "2025-01-01",
            "is_current_version": True,
            "record_seq": 2,
            "name": "BUAA",
            "aliases": HOSTILE_PARTNER,
            "resolution_method": "alias:exact",
            "resolution_score": 1.0,
            "institution_name": HOSTILE_PARTNER,
            "flagged_in_sources": "wos",
            "source_url": "javascript:alert(1)",
        },
        {
            "entry_id": "seven:cccccccccccc",
            "list_id": "seven",
            "list_version": "2025-01-01",
            "is_current_version": True,
            "record_seq": 3,
            "name": "Nowhere Institute",
            "resolution_method": "unresolved",
            "resolution_score": 0.0,
        },
    ],
}


def _add_watch_marts(path: Path) -> None:
    contracts = contract_columns()
    with duckdb.connect(str(path)) as con:
        for mart, rows in ROWS.items():
            columns = contracts[mart]
            unknown = {key for row in rows for key in row} - {name for name, _ in columns}
            assert not unknown, f"fixture columns {unknown} are not in the contract of {mart}"
            con.execute(f"create table {mart} ({', '.join(f'{n} {t}' for n, t in columns)})")
            con.executemany(
                f"insert into {mart} values ({', '.join('?' for _ in columns)})",
                [[row.get(name) for name, _ in columns] for row in rows],
            )


def _build(settings: Settings, with_watch: bool = True) -> Path:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    build_warehouse(settings.warehouse_path, with_flags=True)
    if with_watch:
        _add_watch_marts(settings.warehouse_path)
    return build_report(settings, publish(settings)).with_name("watchlist.html")


def _table(page: str, css_class: str) -> str:
    match = re.search(rf'<table class="{css_class}".*?</table>', page, flags=re.DOTALL)
    assert match, css_class
    return match.group(0)


def test_watch_page_renders_escaped_and_linked_in_chromium(settings: Settings, tmp_path: Path) -> None:
    page_path = _build(settings)
    dom = run_chromium(tmp_path, "--dump-dom", page_path.as_uri())

    assert "These are indicators, not verdicts." in dom
    escaped = HOSTILE_NAME.replace("<", "&lt;").replace(">", "&gt;")
    assert f"<td>{escaped}</td>" in dom  # profile, heat map and partners: text, never an element
    assert "<script" not in dom.lower() and "<b>" not in dom
    assert "Beihang &lt;b&gt;University&lt;/b&gt;" in dom
    # Each flag links to its list entry, which is on the page.
    flags = re.findall(r'<a class="flag" href="#entry-([^"]+)">', dom)
    assert sorted(flags) == sorted([HIT, BEIHANG])
    for entry_id in flags:
        assert f'<tr id="entry-{entry_id}">' in dom
    # A javascript: source URL is not made a link; an https one is.
    assert "javascript:" not in dom and 'href="https://example.org/list"' in dom
    entries = re.search(r'<table id="entries">.*?</table>', dom, flags=re.DOTALL).group(0)
    assert "unresolved" in entries and entries.count("<td>nothing</td>") == 1  # flags nothing
    # Sortable: one rendering per order; by co-publications Delft (20) comes before the hostile one (10).
    assert len(re.findall(r'<table class="sorted by-', dom)) == 12  # wos and patstat sections
    sections = dict(re.findall(r'<section class="source" id="source-(\w+)">(.*?)</section>', dom, re.DOTALL))
    assert sorted(sections) == ["patstat", "wos"]
    assert "co-patent family" in sections["patstat"] and "co-patent" not in sections["wos"]
    by_rank, by_copublications = (
        _table(sections["wos"], "sorted by-rank profile"),
        _table(sections["wos"], "sorted by-copublications profile"),
    )
    assert by_rank.index(escaped) < by_rank.index("Delft University")
    assert by_copublications.index("Delft University") < by_copublications.index(escaped)
    # Heat map: one row per ranked institution, one cell per topic, shaded by the share.
    heat = re.search(r'<table class="heatmap" id="heatmap-wos">.*?</table>', dom, flags=re.DOTALL).group(0)
    assert heat.count('<td class="heat"') == 4
    assert "rgba(200, 60, 40, 0.50)" in heat and "50% (2)" in heat
    assert not re.search(r"<(?:script|link|img|iframe)\b", dom, flags=re.IGNORECASE)  # offline
    figures = run_chromium(tmp_path, "--dump-dom", page_path.with_name("index.html").as_uri())
    assert 'href="watchlist.html"' in figures


def test_watch_page_names_missing_marts(settings: Settings) -> None:
    page = _build(settings, with_watch=False).read_text(encoding="utf-8")
    assert "No watch list: fct_institution_risk_profile, fct_institution_topic_profile" in page
