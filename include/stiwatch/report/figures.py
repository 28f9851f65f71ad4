"""Vega-Lite charts (Altair) of the report, one panel per source, provisional years marked.

Marking: a year that is not final is drawn with a hollow point and reached by a dashed line; the point's
shape says whether it is provisional (triangle) or incomplete (square). Bars of such years are paler.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

STATUSES = ("final", "provisional", "incomplete")
STATUS_SHAPES = ("circle", "triangle-up", "square")
STATUS_OPACITY = (1.0, 0.45, 0.25)
PANEL_WIDTH = 380
PANEL_HEIGHT = 240
BAR_STEP = 16
NAME_LABEL_LIMIT = 320


def _panel_header() -> alt.Header:
    return alt.Header(title=None, labelFontSize=12, labelFontWeight="bold", labelLimit=600)


def _with_dashed_tail(rows: pd.DataFrame) -> pd.DataFrame:
    """Flag the rows the dashed line goes through: non-final years and the final year just before one."""
    rows = rows.sort_values(["panel", "series", "year"]).copy()
    is_final = rows["status"] == "final"
    next_not_final = ~is_final.groupby([rows["panel"], rows["series"]]).shift(-1, fill_value=True)
    rows["dashed"] = ~is_final | next_not_final
    return rows


def yearly_lines(rows: pd.DataFrame, value_title: str, series_title: str) -> alt.FacetChart:
    """Lines per series over years; one panel per source and snapshot; non-final years hollow and dashed.

    Rows with ``kind = 'expected'`` (a nowcast, with ``lower``/``upper``) are drawn apart from the observed
    series: a hollow diamond on a dashed bar spanning the bounds, never joined to the lines.
    """
    observed = rows[rows["kind"] == "observed"] if "kind" in rows else rows
    data = _with_dashed_tail(observed.drop(columns=["kind"], errors="ignore")).assign(kind="observed")
    if "kind" in rows:
        data = pd.concat([data, rows[rows["kind"] == "expected"]], ignore_index=True)
    is_observed = alt.datum.kind == "observed"
    base = alt.Chart().encode(
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=value_title),
        color=alt.Color("series:N", title=series_title),
    )
    solid = base.mark_line(strokeWidth=2).transform_filter(is_observed & (alt.datum.status == "final"))
    dashed = base.mark_line(strokeWidth=2, strokeDash=[5, 4]).transform_filter(is_observed & alt.datum.dashed)
    points = (
        base.mark_point(size=70, strokeWidth=2, filled=True, opacity=1)
        .encode(
            shape=alt.Shape(
                "status:N",
                title="year",
                scale=alt.Scale(domain=list(STATUSES), range=list(STATUS_SHAPES)),
                # The points' fill and stroke follow the series; legend symbols need a colour of their own.
                legend=alt.Legend(symbolStrokeColor="#444", symbolStrokeWidth=1.5),
            ),
            fill=alt.when(alt.datum.status == "final")
            .then(alt.Fill("series:N", legend=None))
            .otherwise(alt.value("white")),
            stroke=alt.Stroke("series:N", legend=None),
            tooltip=["series:N", "year:O", alt.Tooltip("value:Q", format=",.0f"), "status:N"],
        )
        .transform_filter(is_observed)
    )
    layers = [solid, dashed, points]
    if "kind" in rows and (rows["kind"] == "expected").any():
        expected = base.transform_filter(alt.datum.kind == "expected")
        tooltip = [
            "series:N", "year:O", alt.Tooltip("value:Q", title="expected", format=",.0f"),
            alt.Tooltip("lower:Q", format=",.0f"), alt.Tooltip("upper:Q", format=",.0f"),
            alt.Tooltip("observed:Q", format=",.0f"), "method:N", "kind:N",
        ]  # fmt: skip
        layers += [
            expected.mark_rule(strokeWidth=1.5, strokeDash=[3, 3]).encode(y="lower:Q", y2="upper:Q"),
            expected.mark_point(shape="diamond", size=80, strokeWidth=2, filled=True, opacity=1).encode(
                fill=alt.value("white"), stroke=alt.Stroke("series:N", legend=None), tooltip=tooltip
            ),
        ]
    return (
        alt.layer(*layers, data=data)
        .properties(width=PANEL_WIDTH, height=PANEL_HEIGHT)
        .facet(column=alt.Column("panel:N", header=_panel_header()))
        .resolve_scale(x="independent", y="independent")
    )


def stacked_years(rows: pd.DataFrame, value_title: str, series_title: str) -> alt.FacetChart:
    """Stacked bars per year; non-final years paler (legend "year")."""
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("sum(value):Q", title=value_title),
            color=alt.Color("series:N", title=series_title),
            opacity=alt.Opacity(
                "status:N", title="year", scale=alt.Scale(domain=list(STATUSES), range=list(STATUS_OPACITY))
            ),
            tooltip=["series:N", "year:O", alt.Tooltip("value:Q", format=",.1f"), "status:N"],
        )
    )
    return (
        alt.layer(bars, data=rows)
        .properties(width=PANEL_WIDTH, height=PANEL_HEIGHT)
        .facet(column=alt.Column("panel:N", header=_panel_header()))
        .resolve_scale(x="independent", y="independent")
    )


def ranked_bars(
    rows: pd.DataFrame, value_title: str, *, color: alt.Color | None = None, row: str | None = None
) -> alt.FacetChart:
    """Horizontal bars of a ranking (label by rank order), one panel per source (and per ``row``)."""
    data = rows.assign(label=rows["name"] + " (" + rows["country"].fillna("?") + ")")
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            y=alt.Y(
                "label:N", title=None, sort=alt.SortField("rank"), axis=alt.Axis(labelLimit=NAME_LABEL_LIMIT)
            ),
            x=alt.X("value:Q", title=value_title),
            color=color if color is not None else alt.value("#4c78a8"),
            tooltip=["rank:Q", "label:N", "value:Q"],
        )
    )
    facet = {"column": alt.Column("panel:N", header=_panel_header())}
    if row is not None:
        facet["row"] = alt.Row(f"{row}:N", header=alt.Header(title=None, labelFontWeight="bold"))
    return (
        alt.layer(bars, data=data)
        .properties(width=PANEL_WIDTH, height=alt.Step(BAR_STEP))
        .facet(**facet)
        .resolve_scale(x="independent", y="independent")
    )


def share_bars(rows: pd.DataFrame, value_title: str) -> alt.FacetChart:
    """Horizontal bars of shares (0..1) by category, largest first, one panel per source."""
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            y=alt.Y("name:N", title=None, sort="-x", axis=alt.Axis(labelLimit=NAME_LABEL_LIMIT)),
            x=alt.X("value:Q", title=value_title, axis=alt.Axis(format="%")),
            tooltip=["name:N", alt.Tooltip("value:Q", format=".1%")],
        )
    )
    return (
        alt.layer(bars, data=rows)
        .properties(width=PANEL_WIDTH, height=alt.Step(BAR_STEP))
        .facet(column=alt.Column("panel:N", header=_panel_header()))
        .resolve_scale(y="independent")
    )
