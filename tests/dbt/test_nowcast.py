"""Calibration of the nowcast of provisional filing years (fct_copatent_nowcast, doc block nowcast_method).

In plain Python, sharing no code with the model (its SQL is held to the same reference by
test_patent_marts.test_nowcast_model_follows_the_reference_and_beats_the_observed_count): editions of one
generated universe (stiwatch.demo.patstat, ``universe_last_year``) whose final counts are known (an edition
five years later holds every family). ``nowcast_reference`` (tests/dbt/nowcast_reference.py) applies the
documented method to the families per filing year read from the generated CSV files. Over 30 seeds the
nowcast is closer to the final count than the observed count, and the final count lies within the bounds
in at least 80% of cases (the bounds are nominally 90%), with the curve measured from two editions and
with the default curve of a single edition.
"""

from __future__ import annotations

from pathlib import Path

from nowcast_reference import family_years, nowcast_reference

from stiwatch.demo.patstat import generate_edition

SEEDS = range(30)
OBSERVED_EDITIONS = {"2021_autumn": 2021, "2022_autumn": 2022}
FINAL_EDITION = "2026_spring"  # five years after the universe's last filing year: every family visible
CALIBRATION_LAST_YEAR = 2021


def test_nowcast_is_closer_to_the_final_count_and_the_bounds_cover_it(tmp_path: Path) -> None:
    cases = covered = 0
    nowcast_error = observed_error = 0.0
    default_cases = default_covered = 0
    for seed in SEEDS:
        landing = tmp_path / f"seed{seed}"
        counts = {
            edition: family_years(
                generate_edition(landing, edition, n_families=300, seed=seed,
                                 universe_last_year=CALIBRATION_LAST_YEAR)
            )
            for edition in (*OBSERVED_EDITIONS, FINAL_EDITION)
        }  # fmt: skip
        truth = counts[FINAL_EDITION]
        current = "2022_autumn"
        observed = {current: {(year,): counts[current][year] for year in (2020, 2021)}}
        both = nowcast_reference(OBSERVED_EDITIONS, counts, observed)
        alone = nowcast_reference({current: 2022}, counts, observed)  # a single edition: default curve
        for (_, year), (nowcast, lower, upper, method) in both.items():
            assert method == "editions"
            cases += 1
            covered += lower <= truth[year] <= upper
            nowcast_error += abs(nowcast - truth[year])
            observed_error += abs(counts[current][year] - truth[year])
        for (_, year), (_, lower, upper, method) in alone.items():
            assert method == "default_curve"
            default_cases += 1
            default_covered += lower <= truth[year] <= upper
    assert cases == 2 * len(SEEDS)
    assert nowcast_error < 0.5 * observed_error, (nowcast_error, observed_error)
    assert covered / cases >= 0.8, f"the final count is within the bounds in {covered}/{cases} cases"
    assert default_covered / default_cases >= 0.8, f"default curve: {default_covered}/{default_cases}"
