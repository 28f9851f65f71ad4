"""A plain-Python reference of the publication nowcast (doc block publication_nowcast_method), shared by
test_publication_nowcast.py. No code of the model."""

from __future__ import annotations

import math
from datetime import date

# Seed publication_nowcast_default_curve (dbt/seeds): as-of month -> (completion share, standard error).
SHARES = (0.03, 0.10, 0.18, 0.26, 0.34, 0.42, 0.50, 0.58, 0.66, 0.74, 0.81, 0.88)
SES = (0.015, 0.03, 0.04, 0.045, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.045, 0.04)
DEFAULT_CURVE = {month: (share, se) for month, (share, se) in enumerate(zip(SHARES, SES, strict=True), 1)}
Z = 1.645  # dbt var nowcast_z default
COMPLETE_MONTHS = 13  # dbt var publication_nowcast_complete_months default


def publication_nowcast(
    as_of: dict[str, date],
    current: str,
    year_counts: dict[str, dict[int, int]],
    observed: dict[str, dict[tuple, int]],
    curve: dict[int, tuple[float, float]] = DEFAULT_CURVE,
    z: float = Z,
) -> dict[tuple, tuple[float, float, float, str]]:
    """(state, year, *key) -> (nowcast, lower, upper, method) for the states of one source.

    ``year_counts``: all publications per year of each state; ``observed``: the counts to nowcast, keyed
    (year, *key), per state; ``current``: the source's current state.
    """
    early: dict[int, int] = {}
    late: dict[int, int] = {}
    now = as_of[current]
    for state, day in as_of.items():
        if state == current or day.month not in curve:
            continue
        if 12 * (now.year - day.year) + now.month < COMPLETE_MONTHS:
            continue  # the year is not complete in the current state yet
        final = year_counts[current].get(day.year)
        if final is None:
            continue
        early[day.month] = early.get(day.month, 0) + year_counts[state].get(day.year, 0)
        late[day.month] = late.get(day.month, 0) + final
    shares = {}
    for month, (default_share, default_se) in curve.items():
        if early.get(month, 0) > 0 and late.get(month, 0) > 0:
            ratio = early[month] / late[month]
            shares[month] = (min(ratio, 1.0), max(1 - ratio, 0) / ratio / late[month], "states")
        else:
            shares[month] = (default_share, (default_se / default_share) ** 2, "default_curve")
    found = {}
    for state, counts in observed.items():
        day = as_of[state]
        for (year, *key), n in counts.items():
            if year != day.year or day.month not in shares:
                continue
            share, curve_variance, method = shares[day.month]
            nowcast = n / share
            se = math.sqrt((n + 1) * (1 - share) / share**2 + nowcast**2 * curve_variance)
            found[(state, year, *key)] = (nowcast, max(n, nowcast - z * se), nowcast + z * se, method)
    return found
