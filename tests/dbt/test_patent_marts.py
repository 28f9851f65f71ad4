"""The patent marts agree with a reference computed in plain Python from the generated CSV files.

The reference below reads the zipped parts with the csv module and applies METHOD.md "Patents" directly
(hard-coded scope codes, regions and field map for the generator's codes), sharing no code with the
ingest or the dbt models. Two editions are built: 2023_autumn with tls230, and 2022_spring as an older
edition (no tls230, no reg_code, granted as 1/0), so the concordance fallback is compared too.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

import duckdb
import pytest
from lake_fixtures import land_patstat_edition
from nowcast_reference import nowcast_reference

from stiwatch.config import DBT_PROJECT_DIR, Settings
from stiwatch.dbt_runner import dbt_env
from stiwatch.demo.patstat import generate_edition
from stiwatch.executables import venv_executable
from stiwatch.lake_index import freeze_lake_index

EU27_AC = {
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "NO", "CH", "GB",
}  # fmt: skip
# METHOD.md scope: core AI G06N 3, 5, 7, 20, 99 (CPC and IPC) plus the application codes.
SCOPE_PREFIXES = ("G06N3/", "G06N5/", "G06N7/", "G06N20/", "G06N99/")
SCOPE_EXACT_CPC = {"H04L41/16", "G06T2207/20081", "G06T2207/20084", "G10L15/16"}
SCOPE_EXACT_IPC = {"G10L15/16"}
# WIPO fields of the subclasses / main groups the generator uses (from the WIPO concordance table).
WIPO_FIELD = {
    "G06N": 6, "G06T": 6, "G10L": 6, "G06F": 6, "H04L": 4, "H04W": 4, "H04B": 3, "H04N19": 2,
    "H01L": 8, "G06Q": 7, "A61B": 13, "B60W": 32, "H01M": 1, "G01S": 10,
}  # fmt: skip
# Two editions of one universe of families (same seed, universe_last_year): the older one holds fewer of
# the recent years' families, as real editions do; tests/dbt/test_nowcast.py reads this warehouse too.
UNIVERSE_LAST_YEAR = 2022
EDITIONS = {
    "2023_autumn": {"seed": 11, "with_tls230": True, "omit": {}, "digits": False},
    "2022_spring": {
        "seed": 11,
        "with_tls230": False,
        "omit": {"tls206_person": ("reg_code",)},
        "digits": True,
    },
}
N_FAMILIES = 500
FIRST_YEAR = 2011


def read_table(edition_dir: Path, number: str) -> list[dict[str, str]]:
    rows = []
    for part in sorted(edition_dir.glob(f"{number}_part*.zip")):
        with zipfile.ZipFile(part) as archive:
            (member,) = archive.namelist()
            with archive.open(member) as raw:
                rows.extend(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline="")))
    return rows


def region_of(country: str, cn_includes_hk_mo: bool) -> str:
    if country == "UNKNOWN":
        return "UNKNOWN"
    if country in EU27_AC:
        return "EU27/AC"
    if country == "CN" or (cn_includes_hk_mo and country in ("HK", "MO")):
        return "CN"
    return "US" if country == "US" else "OTHER"


def in_scope(cpcs: list[str], ipcs: list[str]) -> bool:
    return any(c.startswith(SCOPE_PREFIXES) or c in SCOPE_EXACT_CPC for c in cpcs) or any(
        c.startswith(SCOPE_PREFIXES) or c in SCOPE_EXACT_IPC for c in ipcs
    )


def wipo_field(symbol: str) -> int:
    subclass, main_group = symbol[:4], symbol[4:].split("/")[0]
    return WIPO_FIELD.get(subclass + main_group, WIPO_FIELD.get(subclass, 0))


def reference(
    edition_dir: Path, *, include_um: bool = False, impute: bool = False, cn_includes_hk_mo: bool = True
) -> dict[str, dict]:
    apps = {
        r["appln_id"]: r
        for r in read_table(edition_dir, "tls201")
        if r["ipr_type"] == "PI" or (include_um and r["ipr_type"] == "UM")
    }
    persons = {r["person_id"]: r for r in read_table(edition_dir, "tls206")}
    links = read_table(edition_dir, "tls207")
    cpc, ipc, tls230 = defaultdict(list), defaultdict(list), defaultdict(dict)
    for r in read_table(edition_dir, "tls224"):
        cpc[r["appln_id"]].append(r["cpc_class_symbol"].replace(" ", ""))
    for r in read_table(edition_dir, "tls209"):
        ipc[r["appln_id"]].append(r["ipc_class_symbol"].replace(" ", ""))
    for r in read_table(edition_dir, "tls230"):
        tls230[r["appln_id"]][int(r["techn_field_nr"])] = float(r["weight"])

    def reported(person_id: str) -> str:
        return persons[person_id]["person_ctry_code"].strip() or "UNKNOWN"

    # Imputation: most frequent reported country of the same psn_id (over links), else han_id.
    by_psn, by_han = defaultdict(Counter), defaultdict(Counter)
    for link in links:
        person = persons[link["person_id"]]
        if reported(link["person_id"]) != "UNKNOWN":
            by_psn[person["psn_id"]][reported(link["person_id"])] += 1
            by_han[person["han_id"]][reported(link["person_id"])] += 1

    def country(person_id: str) -> str:
        found = reported(person_id)
        if found == "UNKNOWN" and impute:
            person = persons[person_id]
            for counts in (by_psn[person["psn_id"]], by_han[person["han_id"]]):
                if counts:
                    return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        return found

    families: dict[str, dict] = defaultdict(
        lambda: {"years": [], "apps": [], "applicant": set(), "inventor": set()}
    )
    for appln_id, app in apps.items():
        family = families[app["docdb_family_id"]]
        family["apps"].append(appln_id)
        if app["appln_filing_year"] != "9999":
            family["years"].append(int(app["appln_filing_year"]))
    for link in links:
        if link["appln_id"] in apps:
            family = families[apps[link["appln_id"]]["docdb_family_id"]]
            if int(link["applt_seq_nr"]) > 0:
                family["applicant"].add(link["person_id"])
            if int(link["invt_seq_nr"]) > 0:
                family["inventor"].add(link["person_id"])
    counted = {
        fid: f
        for fid, f in families.items()
        if f["years"]
        and min(f["years"]) >= FIRST_YEAR
        and in_scope([c for a in f["apps"] for c in cpc[a]], [c for a in f["apps"] for c in ipc[a]])
    }

    output, countries, applicants, missing, sectors = Counter(), Counter(), {}, Counter(), Counter()
    pairs = (("CN", "EU27/AC"), ("CN", "US"), ("EU27/AC", "US"))
    for f in counted.values():
        year = min(f["years"])
        for basis in ("applicant", "inventor"):
            located = {p: country(p) for p in f[basis]}
            regions = {region_of(c, cn_includes_hk_mo) for c in located.values()}
            for a, b in pairs:
                output[(year, f"{a}-{b}", basis)] += a in regions and b in regions
            missing[(year, basis, "families")] += 1
            missing[(year, basis, "unknown")] += "UNKNOWN" in located.values()
            missing[(year, basis, "no_known")] += all(c == "UNKNOWN" for c in located.values())
            if not {"EU27/AC", "CN"} <= regions:
                continue
            for c in {c for c in located.values() if region_of(c, cn_includes_hk_mo) == "EU27/AC"}:
                countries[(basis, c)] += 1
            weights = [tls230[a] for a in f["apps"] if tls230[a]]
            weights += [
                {field: 1 / len(fields) for field in fields}
                for a in f["apps"]
                if not tls230[a] and (fields := {wipo_field(s) for s in ipc[a]} - {0})
            ]
            for w in weights:
                for field, value in w.items():
                    sectors[(year, basis, field)] += value / len(weights)
            if not weights:
                sectors[(year, basis, 0)] += 1.0
            if basis == "applicant":
                sides = defaultdict(set)
                for p, c in located.items():
                    person = persons[p]
                    name = person["han_name"] or person["psn_name"] or person["person_name"]
                    if region_of(c, cn_includes_hk_mo) in ("EU27/AC", "CN"):
                        sides[name].add(region_of(c, cn_includes_hk_mo))
                for name, name_sides in sides.items():
                    for side in name_sides:
                        entry = applicants.setdefault((side, name), [0, 0])
                        entry[0] += 1
                        entry[1] += len(name_sides) == 2
    return {
        "output": dict(output),
        "countries": dict(countries),
        "applicants": {k: tuple(v) for k, v in applicants.items()},
        "missing": dict(missing),
        "sectors": {k: round(v, 6) for k, v in sectors.items()},
    }


def build(settings: Settings, dbt_vars: dict[str, object], *, full_refresh: bool = False) -> None:
    command = [
        # cautious: run only tests whose parents are all built (publication-side tests would otherwise be
        # picked up through the shared completeness models without their own models being built)
        venv_executable("dbt"), "build", "--select", "+path:models/marts/patents",
        "--indirect-selection", "cautious",
        "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
        "--vars", json.dumps({**settings.dbt_vars(), **dbt_vars}),
        *(["--full-refresh"] if full_refresh else []),
    ]  # fmt: skip
    freeze_lake_index(settings)
    result = subprocess.run(command, env=dbt_env(settings), capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-4000:]


def mart_values(settings: Settings, edition_id: str) -> dict[str, dict]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:

        def rows(sql: str) -> list[tuple]:
            return con.execute(sql, [edition_id]).fetchall()

        output = rows(
            "select filing_year, region_pair, basis, copatent_families from fct_copatent_output "
            "where edition_id = ?"
        )
        countries = rows(
            "select basis, country_code, copatent_families_with_cn from fct_copatent_countries "
            "where edition_id = ?"
        )
        applicants = rows(
            "select side, applicant_name, copatent_families, intra_group_families from fct_top_applicants "
            "where edition_id = ?"
        )
        missing = rows(
            "select filing_year, basis, families, families_with_unknown_country, "
            "families_without_known_country from fct_patent_missing_countries where edition_id = ?"
        )
        sectors = rows(
            "select filing_year, basis, field_id, copatent_families_fractional from fct_copatent_sectors "
            "where edition_id = ?"
        )
    missing_values = {}
    for year, basis, families, unknown, no_known in missing:
        missing_values |= {(year, basis, "families"): families, (year, basis, "unknown"): unknown}
        missing_values[(year, basis, "no_known")] = no_known
    return {
        "output": {(y, p, b): n for y, p, b, n in output},
        "countries": {(b, c): n for b, c, n in countries},
        "applicants": {(s, name): (n, intra) for s, name, n, intra in applicants},
        "missing": missing_values,
        "sectors": {(y, b, f): round(v, 6) for y, b, f, v in sectors},
    }


def land_edition(settings: Settings, edition_id: str) -> None:
    spec = EDITIONS[edition_id]
    land_patstat_edition(
        settings, edition_id, n_families=N_FAMILIES, seed=spec["seed"],
        with_tls230=spec["with_tls230"], omit_columns=spec["omit"], granted_as_digits=spec["digits"],
        universe_last_year=UNIVERSE_LAST_YEAR,
    )  # fmt: skip


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data_dir = tmp_path_factory.mktemp("patents") / "data"
    settings = Settings(data_dir=data_dir, warehouse_path=data_dir / "warehouse.duckdb")
    for edition_id in EDITIONS:
        land_edition(settings, edition_id)
    build(settings, {})
    return settings


@pytest.mark.slow
@pytest.mark.parametrize("edition_id", sorted(EDITIONS))
@pytest.mark.parametrize("mart", ["output", "countries", "applicants", "missing", "sectors"])
def test_mart_matches_reference(warehouse: Settings, edition_id: str, mart: str) -> None:
    expected = reference(warehouse.landing_dir / "patstat" / edition_id)[mart]
    actual = mart_values(warehouse, edition_id)[mart]
    if mart == "output":  # the mart is dense (rows of 0); the reference only has the years it counted
        actual = {key: n for key, n in actual.items() if key in expected or n}
    assert actual == expected
    assert any(expected.values()), "the generated edition must produce non-trivial numbers"


@pytest.mark.slow
def test_incremental_edition_build_matches_full_build(
    warehouse: Settings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """One edition built, then the other added incrementally: the patent marts equal the full build's."""
    data_dir = tmp_path_factory.mktemp("patents_incremental") / "data"
    settings = Settings(data_dir=data_dir, warehouse_path=data_dir / "warehouse.duckdb")
    first, second = sorted(EDITIONS)
    land_edition(settings, first)
    build(settings, {})
    land_edition(settings, second)
    build(settings, {})
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        con.execute(f"attach '{warehouse.warehouse_path}' as full_build (read_only)")
        marts = [p.stem for p in (DBT_PROJECT_DIR / "models" / "marts" / "patents").glob("*.sql")]
        assert len(marts) == 6, marts
        for mart in marts:
            # Fractional sums may differ in the last bits with the order of addition: doubles are rounded.
            select = ", ".join(
                f"round({c}, 9)" if t in ("DOUBLE", "FLOAT") else c
                for c, t in con.execute(f"select column_name, column_type from (describe {mart})").fetchall()
                if c not in ("built_at", "dbt_invocation_id")
            )
            for a, b in ((mart, f"full_build.{mart}"), (f"full_build.{mart}", mart)):
                diff = con.execute(f"select {select} from {a} except all select {select} from {b}").fetchall()
                assert diff == [], f"{mart}: rows of {a} not in {b}"


@pytest.mark.slow
def test_nowcast_model_follows_the_reference_and_beats_the_observed_count(
    warehouse: Settings, tmp_path: Path
) -> None:
    """fct_copatent_nowcast equals the plain-Python reference of the method on these two editions of one
    universe, and nowcasts the current edition's provisional years closer to the true final counts (an
    edition years later, counted by ``reference``) than the observed counts are. Runs before
    test_settings_variant_matches_reference, which rebuilds this warehouse with other settings."""
    with duckdb.connect(str(warehouse.warehouse_path), read_only=True) as con:
        output = con.execute(
            "select edition_id, year(edition_as_of), filing_year, region_pair, basis, copatent_families, "
            "families_in_year from fct_copatent_output"
        ).fetchall()
        model = con.execute(
            "select edition_id, filing_year, region_pair, basis, nowcast_copatent_families, nowcast_lower, "
            "nowcast_upper, nowcast_method, observed_copatent_families, is_current_edition "
            "from fct_copatent_nowcast"
        ).fetchall()
    as_of_years = {edition: as_of_year for edition, as_of_year, *_ in output}
    families: dict[str, Counter] = {edition: Counter() for edition in as_of_years}
    observed: dict[str, dict[tuple, int]] = {edition: {} for edition in as_of_years}
    for edition, _, year, pair, basis, n, in_year in output:
        families[edition][year] = in_year
        observed[edition][(year, pair, basis)] = n
    expected = nowcast_reference(as_of_years, families, observed)

    assert {row[:4] for row in model} == set(expected)
    for edition, year, pair, basis, nowcast, lower, upper, method, *_ in model:
        want = expected[(edition, year, pair, basis)]
        assert (nowcast, lower, upper) == pytest.approx(want[:3], rel=1e-9), (edition, year, pair, basis)
        assert method == want[3] == "editions"  # two editions with consecutive as-of years

    # The truth: the final co-patent counts of the universe, from an edition years later, counted by the
    # plain-Python reference of test_patent_marts.
    final_dir = generate_edition(
        tmp_path, "2027_spring", n_families=500, seed=EDITIONS["2023_autumn"]["seed"],
        universe_last_year=UNIVERSE_LAST_YEAR,
    )  # fmt: skip
    truth = reference(final_dir)["output"]
    current = [row for row in model if row[-1]]
    assert {row[1] for row in current} == {2021, 2022}
    nowcast_error = sum(abs(row[4] - truth.get((row[1], row[2], row[3]), 0)) for row in current)
    observed_error = sum(abs(row[8] - truth.get((row[1], row[2], row[3]), 0)) for row in current)
    assert nowcast_error < observed_error, (nowcast_error, observed_error)


@pytest.mark.slow
def test_settings_variant_matches_reference(warehouse: Settings) -> None:
    """Utility models counted, countries imputed, HK/MO outside CN: the marts follow the reference."""
    # Other settings over the same warehouse: every edition is rebuilt, as stiwatch.build_plan decides
    # for a refresh whose dbt vars changed (the incremental models would otherwise keep the old rows).
    build(
        warehouse,
        {"include_utility_models": True, "patstat_impute_countries": True, "cn_includes_hk_mo": False},
        full_refresh=True,
    )
    for edition_id in EDITIONS:
        expected = reference(
            warehouse.landing_dir / "patstat" / edition_id,
            include_um=True,
            impute=True,
            cn_includes_hk_mo=False,
        )
        actual = mart_values(warehouse, edition_id)
        for mart in ("output", "countries", "applicants", "missing"):
            got = {k: v for k, v in actual[mart].items() if mart != "output" or k in expected[mart] or v}
            assert got == expected[mart], (edition_id, mart)
    with duckdb.connect(str(warehouse.warehouse_path), read_only=True) as con:
        flags = con.execute(
            "select distinct include_utility_models, impute_countries, cn_includes_hk_mo "
            "from fct_copatent_output"
        ).fetchall()
        imputed = con.execute(
            "select sum(families_with_imputed_country) from fct_patent_missing_countries"
        ).fetchone()
    assert flags == [(True, True, False)]
    assert imputed[0] > 0
    # Runs last in this module: the warehouse now holds the variant build.
