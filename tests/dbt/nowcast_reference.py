"""A plain-Python reference of the nowcast method (doc block nowcast_method), shared by the calibration
test (test_nowcast.py) and the check of the dbt model (test_patent_marts.py). No code of the model."""

from __future__ import annotations

import csv
import io
import math
import zipfile
from collections import Counter
from pathlib import Path

# Seed nowcast_default_curve (dbt/seeds): lag -> (completion share, standard error).
DEFAULT_CURVE = {1: (0.35, 0.10), 2: (0.75, 0.08)}
Z = 1.645  # dbt var nowcast_z default


def nowcast_reference(
    as_of_years: dict[str, int],
    families: dict[str, Counter],
    observed: dict[str, dict[tuple, int]],
    curve: dict[int, tuple[float, float]] = DEFAULT_CURVE,
    z: float = Z,
) -> dict[tuple, tuple[float, float, float, str]]:
    """(edition, year, *key) -> (nowcast, lower, upper, method), from the method as documented.

    ``families``: all families per filing year of each edition (what the curve is measured on);
    ``observed``: the counts to nowcast, keyed (filing year, *key), per edition.
    """
    newest_per_year = {}
    for edition, year in sorted(as_of_years.items()):  # one edition per as-of year in these tests
        newest_per_year[year] = edition
    steps = {}
    for lag in curve:
        early = late = 0
        for year, edition in newest_per_year.items():
            later = newest_per_year.get(year + 1)
            if later is None or families[later][year - lag] == 0:
                continue
            early += families[edition][year - lag]
            late += families[later][year - lag]
        if early > 0 and late > 0:
            ratio = early / late
            steps[lag] = (ratio, max(1 - ratio, 0) / ratio / late)
    shares = {}
    for lag, (default_share, default_se) in curve.items():
        needed = [j for j in curve if j >= lag]
        if all(j in steps for j in needed):
            share = min(math.prod(steps[j][0] for j in needed), 1.0)
            shares[lag] = (share, sum(steps[j][1] for j in needed), "editions")
        else:
            shares[lag] = (default_share, (default_se / default_share) ** 2, "default_curve")
    found = {}
    for edition, counts in observed.items():
        for (year, *key), n in counts.items():
            lag = as_of_years[edition] - year
            if lag not in shares:
                continue
            share, curve_variance, method = shares[lag]
            nowcast = n / share
            se = math.sqrt((n + 1) * (1 - share) / share**2 + nowcast**2 * curve_variance)
            found[(edition, year, *key)] = (nowcast, max(n, nowcast - z * se), nowcast + z * se, method)
    return found


def family_years(edition_dir: Path) -> Counter:
    """Families per earliest filing year (9999 ignored), read from the generated tls201 CSV files."""
    earliest: dict[str, int] = {}
    for part in sorted(edition_dir.glob("tls201_part*.zip")):
        with zipfile.ZipFile(part) as archive:
            (member,) = archive.namelist()
            with archive.open(member) as raw:
                for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline="")):
                    year = int(row["appln_filing_year"])
                    if year != 9999:
                        family = row["docdb_family_id"]
                        earliest[family] = min(earliest.get(family, year), year)
    return Counter(earliest.values())
