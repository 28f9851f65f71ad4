"""Calibration of the publication nowcast (doc block publication_nowcast_method), in plain Python.

States of one generated universe (stiwatch.demo.model: papers, and ``visible_from``, the indexing lag read
as a completion curve by as-of month) whose final counts are known: every paper of a year is in any state
of a later year. Per seed: a state as of June 2023 and the current state as of June 2024; the current
state's 2024 co-publications per pair are nowcast from c(6) measured on 2023 (``states``), and alone from
the default curve. Over 20 seeds the nowcast is closer to the final count than the observed count, and the
final count lies within the bounds (nominally 90%) in at least 80% of cases.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from itertools import combinations

from publication_nowcast_reference import publication_nowcast

from stiwatch.demo.model import is_visible, make_paper

SEEDS = range(20)
N_PAPERS = 1500
SOURCE = "wos"
STATES = {"early": date(2023, 6, 15), "current": date(2024, 6, 15)}


def pairs_of(paper) -> set[tuple[str, str]]:
    regions = {a.institution.region for a in paper.addresses if a.institution.iso2}
    return {pair for pair in combinations(("CN", "EU", "US"), 2) if set(pair) <= regions}


def test_nowcast_is_closer_to_the_final_count_and_the_bounds_cover_it() -> None:
    cases = covered = default_cases = default_covered = 0
    nowcast_error = observed_error = 0.0
    for seed in SEEDS:
        papers = [make_paper(seed, SOURCE, i) for i in range(N_PAPERS)]
        year_counts: dict[str, Counter] = {}
        pair_counts: dict[str, Counter] = {}
        for state, day in STATES.items():
            held = [p for p in papers if is_visible(p, seed, SOURCE, day.year, day.month)]
            year_counts[state] = Counter(p.year for p in held)
            pair_counts[state] = Counter((p.year, pair) for p in held for pair in pairs_of(p))
        truth = Counter(pair for p in papers if p.year == 2024 for pair in pairs_of(p))
        observed = {"current": {key: n for key, n in pair_counts["current"].items() if key[0] == 2024}}
        both = publication_nowcast(STATES, "current", year_counts, observed)
        alone = publication_nowcast({"current": STATES["current"]}, "current", year_counts, observed)
        for (_, _, pair), (nowcast, lower, upper, method) in both.items():
            assert method == "states"
            cases += 1
            covered += lower <= truth[pair] <= upper
            nowcast_error += abs(nowcast - truth[pair])
            observed_error += abs(observed["current"][(2024, pair)] - truth[pair])
        for (_, _, pair), (_, lower, upper, method) in alone.items():
            assert method == "default_curve"
            default_cases += 1
            default_covered += lower <= truth[pair] <= upper
    assert cases >= 2 * len(SEEDS)
    assert nowcast_error < 0.5 * observed_error, (nowcast_error, observed_error)
    assert covered / cases >= 0.8, f"the final count is within the bounds in {covered}/{cases} cases"
    assert default_covered / default_cases >= 0.8, f"default curve: {default_covered}/{default_cases}"
