"""The figures' data, read from a serving release (never from the file dbt writes).

Only the current snapshot (edition) of each source is read; every row keeps its source and snapshot, and
figures draw one panel per source, so numbers of different sources are never added together.
Each yearly series gets a ``status``: ``final``, ``provisional`` or ``incomplete``, from the marts'
completeness flags (``is_provisional`` / ``is_incomplete``): dbt owns the lag and completeness rules, the
report never repeats them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

# The region pair whose field profile and top institutions the brief shows.
EU_CN_PAIR = "CN-EU27/AC"
# The brief's Fig. 2 regions; OTHER and UNKNOWN stay in fct_region_output.
NAMED_REGIONS = ("EU27/AC", "CN", "US")
# METHOD.md: co-patents are counted by applicants by default (inventors are a variant).
DEFAULT_PATENT_BASIS = "applicant"
TOP_N = 15

FLAG_COLUMNS = ("is_provisional", "is_incomplete")


@dataclass(frozen=True)
class FigureData:
    """Rows of one figure (None: the mart is not in the release) and how years were marked."""

    mart: str
    rows: pd.DataFrame | None
    marking: str | None = None
    # Says what the expected (nowcast) marks are, when the rows carry some (column kind = 'expected').
    expected_note: str | None = None


def table_columns(con: Any, table: str) -> set[str]:
    found = con.execute(
        "select column_name from information_schema.columns where table_schema = 'main' and table_name = ?",
        [table],
    ).fetchall()
    return {name for (name,) in found}


# The flag that wins when both are set: an incomplete year is also provisional, and worse.
STATUS_SQL = (
    "case when coalesce(is_incomplete, false) then 'incomplete' "
    "when coalesce(is_provisional, false) then 'provisional' else 'final' end"
)
MARKING = "marked by the warehouse's completeness flags"


def _publication_panel() -> str:
    return "source || ' · ' || snapshot_id || ' (as of ' || cast(snapshot_as_of as varchar) || ')'"


def _patent_panel() -> str:
    return "source || ' · ' || edition_id || ' (as of ' || cast(edition_as_of as varchar) || ')'"


def _yearly(con: Any, mart: str, select_sql: str) -> FigureData:
    columns = table_columns(con, mart)
    if not columns:
        return FigureData(mart, None)
    missing = [column for column in FLAG_COLUMNS if column not in columns]
    if missing:
        raise ValueError(
            f"{mart} in this release has no {', '.join(missing)}: it was built before the marts carried "
            "completeness flags. Rebuild and publish a new release (stiwatch refresh), then build the report."
        )
    return FigureData(mart, con.execute(select_sql.format(status=STATUS_SQL)).df(), MARKING)


def region_pair_output(con: Any) -> FigureData:
    sql = f"""
        select source, {_publication_panel()} as panel, pub_year as year, region_pair as series,
            copublications as value, {{status}} as status
        from fct_region_pair_output where is_current_snapshot order by source, series, year
    """
    observed = _yearly(con, "fct_region_pair_output", sql)
    return _with_expected(observed, publication_nowcast(con), PUBLICATION_NOWCAST_MART)


PUBLICATION_NOWCAST_MART = "fct_publication_nowcast"


def publication_nowcast(con: Any) -> pd.DataFrame | None:
    """Expected final co-publications of the current states' as-of years (None: not in this release)."""
    if not table_columns(con, PUBLICATION_NOWCAST_MART):
        return None
    sql = f"""
        select source, {_publication_panel()} as panel, pub_year as year, series,
            nowcast_count as value, 'expected' as status, 'expected' as kind,
            nowcast_lower as lower, nowcast_upper as upper, nowcast_method as method,
            observed_count as observed
        from {PUBLICATION_NOWCAST_MART} where is_current_snapshot and measure = 'copublications'
        order by source, series, year
    """
    return con.execute(sql).df()


def _with_expected(observed: FigureData, expected: pd.DataFrame | None, mart: str) -> FigureData:
    """The observed rows plus the nowcast rows as a layer of their own (kind = 'expected'), with a note."""
    if observed.rows is None or expected is None or expected.empty:
        return observed
    methods = ", ".join(sorted(expected["method"].unique()))
    note = (
        f"Diamonds on dashed bars are expected final counts of the provisional years ({mart}, "
        f"method: {methods}; the bar spans its bounds): estimates, not observations, never part of the lines."
    )
    rows = pd.concat([observed.rows.assign(kind="observed"), expected], ignore_index=True)
    return FigureData(observed.mart, rows, observed.marking, note)


def region_output(con: Any) -> FigureData:
    regions = ", ".join(f"'{region}'" for region in NAMED_REGIONS)
    sql = f"""
        select source, {_publication_panel()} as panel, pub_year as year, region as series,
            publications as value, {{status}} as status
        from fct_region_output where is_current_snapshot and region in ({regions})
        order by source, series, year
    """
    return _yearly(con, "fct_region_output", sql)


def copatent_output(con: Any) -> FigureData:
    sql = f"""
        select source, {_patent_panel()} as panel, filing_year as year, region_pair as series,
            copatent_families as value, {{status}} as status
        from fct_copatent_output where is_current_edition and basis = '{DEFAULT_PATENT_BASIS}'
        order by source, series, year
    """
    observed = _yearly(con, "fct_copatent_output", sql)
    return _with_expected(observed, copatent_nowcast(con), NOWCAST_MART)


NOWCAST_MART = "fct_copatent_nowcast"


def copatent_nowcast(con: Any) -> pd.DataFrame | None:
    """Expected final counts of the current edition's provisional years (None: not in this release)."""
    if not table_columns(con, NOWCAST_MART):
        return None
    sql = f"""
        select source, {_patent_panel()} as panel, filing_year as year, region_pair as series,
            nowcast_copatent_families as value, 'expected' as status, 'expected' as kind,
            nowcast_lower as lower, nowcast_upper as upper, nowcast_method as method,
            observed_copatent_families as observed
        from {NOWCAST_MART} where is_current_edition and basis = '{DEFAULT_PATENT_BASIS}'
        order by source, series, year
    """
    return con.execute(sql).df()


def copatent_sectors(con: Any) -> FigureData:
    # The flags are per filing year: every field row of a year has the same status.
    sql = f"""
        select source, {_patent_panel()} as panel, filing_year as year, sector as series,
            sum(copatent_families_fractional) as value, any_value({{status}}) as status
        from fct_copatent_sectors where is_current_edition and basis = '{DEFAULT_PATENT_BASIS}'
        group by all order by source, year, series
    """
    return _yearly(con, "fct_copatent_sectors", sql)


def _ranked(con: Any, mart: str, sql: str) -> FigureData:
    if not table_columns(con, mart):
        return FigureData(mart, None)
    return FigureData(mart, con.execute(sql).df())


def top_institutions(con: Any) -> FigureData:
    """The brief's Fig. 3: European institutions outside the UK ranked by co-publications with China."""
    sql = f"""
        select source, {_publication_panel()} as panel, institution_rank as rank, institution_name as name,
            institution_country as country, copublications as value, share_of_pair,
            main_partner_name, main_partner_copublications
        from fct_top_institutions
        where is_current_snapshot and period = 'all' and side = 'EU27/AC' and variant = 'excluding_uk'
            and institution_rank <= {TOP_N}
        order by source, rank
    """
    return _ranked(con, "fct_top_institutions", sql)


def top_applicants(con: Any) -> FigureData:
    sql = f"""
        select source, {_patent_panel()} as panel, side, applicant_rank as rank, applicant_name as name,
            country_codes as country, copatent_families as value, is_intra_group
        from fct_top_applicants
        where is_current_edition and applicant_rank <= {TOP_N}
        order by source, side, rank
    """
    return _ranked(con, "fct_top_applicants", sql)


def field_shares(con: Any) -> FigureData:
    sql = f"""
        select source, {_publication_panel()} as panel, field_group as name, share_of_pair as value,
            copublications_fractional, pair_copublications
        from fct_field_shares
        where is_current_snapshot and period = 'all' and region_pair = '{EU_CN_PAIR}'
        order by source, value desc, name
    """
    return _ranked(con, "fct_field_shares", sql)
