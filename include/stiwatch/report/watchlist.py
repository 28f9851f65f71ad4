"""The "Watch list" page of the figures report: ``reports/figures/watchlist.html``, beside ``index.html``.

Read from the serving release like the figures (current snapshot of each source, period ``all``):
- the ranked profile of European institutions (fct_institution_risk_profile), sortable without JavaScript:
  the table is rendered once per sort order and a radio button shows one (CSS ``:checked``), so the page
  stays static and offline like the figures page;
- the institution x sensitive-topic heat map (fct_institution_topic_profile): an HTML table whose cell
  shade is the topic's share of the institution's co-publications with China;
- the listed partners of each institution (fct_watch_list, topic ``all_topics``), each linked to its list
  entry in the entries table (dim_indicator_entry, newest version of each list).
Every text from the data is escaped by Jinja2 autoescaping; links are written only for http(s) URLs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stiwatch.report.data import table_columns

TOP_N = 25
WATCH_MARTS = (
    "fct_institution_risk_profile",
    "fct_institution_topic_profile",
    "fct_watch_list",
    "dim_indicator_entry",
)
# (key, header, column, descending first): the orders the profile table can be sorted by.
SORTS = (
    ("rank", "rank", "risk_rank", False),
    ("name", "institution", "institution_name", False),
    ("copublications", "co-publications with China", "copublications_with_cn", True),
    ("listed", "with a listed organisation", "listed_copublications", True),
    ("listed-share", "listed share", "listed_share", True),
    ("sensitive-share", "sensitive-topic share", "sensitive_share", True),
)


@dataclass
class SourceWatch:
    """What the page shows for one source's current snapshot."""

    source: str
    snapshot_id: str
    profiles: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # sort key -> rows
    topics: list[tuple[str, str]] = field(default_factory=list)  # (topic_id, label)
    heat: list[dict[str, Any]] = field(default_factory=list)  # institution rows with cells per topic
    partners: list[dict[str, Any]] = field(default_factory=list)  # institution -> its listed partners


def load_watch(con: Any) -> tuple[list[SourceWatch], list[dict[str, Any]], list[str]]:
    """The page's data: per source, the current entries, and the watch marts missing from the release."""
    missing = [mart for mart in WATCH_MARTS if not table_columns(con, mart)]
    if missing:
        return [], [], missing
    sources = [
        SourceWatch(source, snapshot_id)
        for source, snapshot_id in con.execute(
            "select distinct source, snapshot_id from fct_institution_risk_profile "
            "where is_current_snapshot order by source"
        ).fetchall()
    ]
    for watch in sources:
        _load_source(con, watch)
    entries = _records(
        con,
        """select entry_id, list_id, list_version, name, aliases, country_code, category, listed_on,
                  delisted_on, source_url, resolution_method, resolution_score, matched_text,
                  institution_key, institution_name, flagged_in_sources
           from dim_indicator_entry where is_current_version order by list_id, record_seq, entry_id""",
    )
    for entry in entries:
        entry["link"] = _safe_url(entry["source_url"])
    return sources, entries, []


def _load_source(con: Any, watch: SourceWatch) -> None:
    key = [watch.source, watch.snapshot_id]
    ranked = _records(
        con,
        """select risk_rank, institution_key, institution_name, institution_country, copublications_with_cn,
                  listed_copublications, listed_share, sensitive_share, listed_sensitive_copublications,
                  top_listed_partners
           from fct_institution_risk_profile
           where source = ? and snapshot_id = ? and period = 'all' and risk_rank <= ?
           order by risk_rank""",
        [*key, TOP_N],
    )
    for sort_key, _, column, descending in SORTS:
        # Ties keep the rank order; names sort case-insensitively.
        def order(row: dict[str, Any], column: str = column) -> Any:
            value = row[column]
            return value.lower() if isinstance(value, str) else (value or 0)

        watch.profiles[sort_key] = sorted(ranked, key=order, reverse=descending)
    watch.topics = con.execute(
        """select distinct topic_id, topic_label from fct_institution_topic_profile
           where source = ? and snapshot_id = ? order by topic_label""",
        key,
    ).fetchall()
    shares = {
        (institution_key, topic_id): (share, listed)
        for institution_key, topic_id, share, listed in con.execute(
            """select institution_key, topic_id, topic_share, listed_topic_copublications
               from fct_institution_topic_profile where source = ? and snapshot_id = ? and period = 'all'""",
            key,
        ).fetchall()
    }
    watch.heat = [
        {
            "name": row["institution_name"],
            "cells": [
                {
                    "share": shares.get((row["institution_key"], topic_id), (0.0, 0))[0] or 0.0,
                    "listed": shares.get((row["institution_key"], topic_id), (0.0, 0))[1] or 0,
                }
                for topic_id, _ in watch.topics
            ],
        }
        for row in ranked
    ]
    links = _records(
        con,
        """select institution_key, institution_name, list_id, listed_institution_name, copublications,
                  first_year_shared, last_year_shared, entry_ids, match_methods
           from fct_watch_list
           where source = ? and snapshot_id = ? and period = 'all' and topic_id = 'all_topics'
           order by institution_name, institution_key, copublications desc, listed_institution_name""",
        key,
    )
    by_institution: dict[str, dict[str, Any]] = {}
    for link in links:
        link["entries"] = [entry_id.strip() for entry_id in (link["entry_ids"] or "").split(",") if entry_id]
        holder = by_institution.setdefault(
            link["institution_key"], {"name": link["institution_name"], "links": []}
        )
        holder["links"].append(link)
    ranked_keys = [row["institution_key"] for row in ranked]
    watch.partners = [by_institution[k] for k in ranked_keys if k in by_institution]


def _records(con: Any, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params or [])
    columns = [description[0] for description in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _safe_url(url: str | None) -> str | None:
    """Only http(s) links: a ``javascript:`` URL in a list file must not become a link."""
    if url and url.strip().lower().startswith(("https://", "http://")):
        return url.strip()
    return None
