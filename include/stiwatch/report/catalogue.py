"""The report's figures: what each shows, where its data comes from and how it is drawn."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd

from stiwatch.report import data, figures


@dataclass(frozen=True)
class FigureSpec:
    figure_id: str
    title: str
    caption: str
    load: Callable[[Any], data.FigureData]
    draw: Callable[[pd.DataFrame], alt.TopLevelMixin]
    # (column, header) of a table printed under the chart: exact names and numbers of rankings.
    table: tuple[tuple[str, str], ...] = ()


def _applicant_chart(rows: pd.DataFrame) -> alt.TopLevelMixin:
    color = alt.Color(
        "is_intra_group:N",
        title="intra-group",
        scale=alt.Scale(domain=[False, True], range=["#4c78a8", "#f58518"]),
    )
    return figures.ranked_bars(rows, "co-patent families", color=color, row="side")


FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec(
        "copublications",
        "Co-publications per region pair and year",
        "The brief's Fig. 1. Full counting: a paper with CN, DE and US addresses counts for all three "
        "pairs, so the pair series overlap and do not add up (see trilateral_copublications).",
        data.region_pair_output,
        lambda rows: figures.yearly_lines(rows, "co-publications", "region pair"),
    ),
    FigureSpec(
        "publications",
        "Publications per region and year",
        "The brief's Fig. 2. A publication counts for every region among its addresses (full counting). "
        "OTHER and UNKNOWN are in fct_region_output.",
        data.region_output,
        lambda rows: figures.yearly_lines(rows, "publications", "region"),
    ),
    FigureSpec(
        "top-institutions",
        "Top 15 European institutions co-publishing with China, UK excluded",
        "The brief's Fig. 3: EU27/AC institutions outside the United Kingdom ranked by co-publications with "
        "a Chinese institution, all years of the snapshot together (its provisional year included).",
        data.top_institutions,
        lambda rows: figures.ranked_bars(rows, "co-publications with China"),
        table=(
            ("source", "source"),
            ("rank", "rank"),
            ("name", "institution"),
            ("country", "country"),
            ("value", "co-publications with CN"),
            ("main_partner_name", "main Chinese partner"),
            ("main_partner_copublications", "with that partner"),
        ),
    ),
    FigureSpec(
        "field-shares",
        "Fields of EU27/AC-China co-publications",
        "Share of the pair's co-publications per field group, all years together. A publication in k mapped "
        "fields counts 1/k in each, so the shares add up to 100%.",
        data.field_shares,
        lambda rows: figures.share_bars(rows, "share of EU27/AC-CN co-publications"),
    ),
    FigureSpec(
        "copatents",
        "Co-patent families per region pair and filing year",
        "DOCDB families by earliest filing year with an applicant in each region of the pair (full counting: "
        "the pairs overlap). The last filing years of an edition are always thin (publication lag).",
        data.copatent_output,
        lambda rows: figures.yearly_lines(rows, "co-patent families", "region pair"),
    ),
    FigureSpec(
        "copatent-sectors",
        "EU27/AC-China co-patents by technology sector",
        "WIPO technology sectors of EU27/AC-CN co-patent families (applicants), fractional counts: a family "
        "spread over k fields counts 1/k in each.",
        data.copatent_sectors,
        lambda rows: figures.stacked_years(rows, "co-patent families (fractional)", "sector"),
    ),
    FigureSpec(
        "top-applicants",
        "Top applicants of EU27/AC-China co-patents",
        "European and Chinese applicants by harmonised name, all filing years of the edition. Intra-group: "
        "the same group files from both sides (a European parent and its Chinese subsidiary).",
        data.top_applicants,
        _applicant_chart,
        table=(
            ("source", "source"),
            ("side", "side"),
            ("rank", "rank"),
            ("name", "applicant"),
            ("country", "countries"),
            ("value", "co-patent families"),
            ("is_intra_group", "intra-group"),
        ),
    ),
)
