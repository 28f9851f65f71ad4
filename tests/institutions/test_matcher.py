"""The matcher on WoS-style and free-text strings, against ids looked up by hand in the raw ROR files
(e.g. `zcat ror_records_v1_schema.jsonl.gz | grep '"name": "Delft University of Technology"'`)."""

from __future__ import annotations

import pytest

from stiwatch.institutions import Matcher, Registry, load_aliases
from stiwatch.institutions.normalise import load_abbreviator, normalise

CAS = "https://ror.org/034t30j35"  # Chinese Academy of Sciences, CN
CAS_AUTOMATION = "https://ror.org/022c3hy66"  # Institute of Automation, CN; its ROR parent is CAS
UCAS = "https://ror.org/05qbk4x57"  # University of Chinese Academy of Sciences, CN
TU_DELFT = "https://ror.org/02e2c7k09"  # Delft University of Technology, NL
DTU = "https://ror.org/04qtj9h94"  # Technical University of Denmark, DK
TSINGHUA = "https://ror.org/03cve4549"  # Tsinghua University, CN
NEU_SHENYANG = "https://ror.org/03awzbc87"  # Northeastern University, CN (Shenyang)
NEU_BOSTON = "https://ror.org/04t5xt781"  # Northeastern University, US (Boston)


def test_normalise_folds_case_accents_and_punctuation() -> None:
    assert normalise("Université Paris-Saclay") == "universite paris saclay"
    assert normalise("King's Coll & Hosp") == "kings coll and hosp"
    assert normalise("  Łódź  Straße ") == "lodz strasse"


def test_abbreviated_keys_meet_wos_spelling() -> None:
    abbreviator = load_abbreviator()
    assert abbreviator.key(normalise("University of Science and Technology of China")) == abbreviator.key(
        normalise("Univ Sci & Technol China")
    )
    assert abbreviator.key(normalise("Xi'an Jiaotong University")) == abbreviator.key(
        normalise("Xi An Jiao Tong Univ")
    )


@pytest.mark.shared
@pytest.mark.parametrize(
    ("organisation", "country", "expected"),
    [
        ("Chinese Acad Sci", "CN", CAS),
        ("Univ Chinese Acad Sci", "CN", UCAS),
        ("Delft Univ Technol", "NL", TU_DELFT),
        ("Tech Univ Denmark", "DK", DTU),
        ("Chinese Acad Sci", None, CAS),
    ],
)
def test_alias_seed_resolves_wos_organisations(matcher: Matcher, organisation, country, expected) -> None:
    match = matcher.resolve(organisation, country)
    assert (match.ror_id, match.method, match.confidence) == (expected, "alias", 1.0)


@pytest.mark.shared
def test_alias_seed_gives_distinct_ids(matcher: Matcher) -> None:
    resolved = {matcher.resolve(name).ror_id for name in ("Chinese Acad Sci", "Univ Chinese Acad Sci")}
    resolved |= {matcher.resolve("Delft Univ Technol").ror_id, matcher.resolve("Tech Univ Denmark").ror_id}
    assert resolved == {CAS, UCAS, TU_DELFT, DTU}


@pytest.mark.shared
def test_every_seed_row_points_at_a_loaded_organisation_of_its_country(registry: Registry) -> None:
    organisations = {row["ror_id"]: row for row in registry.organizations.to_pylist()}
    for alias in load_aliases():
        row = organisations.get(alias.ror_id)
        assert row is not None, f"{alias.alias}: {alias.ror_id} not in the shared ROR files"
        assert (row["display_name"], row["country_code"]) == (alias.canonical_name, alias.country_code), alias


@pytest.mark.shared
def test_country_decides_between_same_named_institutions(matcher: Matcher) -> None:
    assert matcher.resolve("Northeastern Univ", "CN").ror_id == NEU_SHENYANG
    assert matcher.resolve("Northeastern Univ", "US").ror_id == NEU_BOSTON
    assert not matcher.resolve("Northeastern Univ").resolved


@pytest.mark.shared
def test_full_wos_address_and_free_text_affiliation(matcher: Matcher) -> None:
    wos = matcher.resolve(
        "Chinese Acad Sci, Inst Automat, Beijing 100190, Peoples R China", organisation_first=True
    )
    # The address names CAS and one of its institutes: the institute, CAS's child, is the organisation.
    assert (wos.ror_id, wos.country_code, wos.institution_country) == (CAS_AUTOMATION, "CN", "CN")
    assert (wos.matched_part, matcher.resolve("Chinese Acad Sci", "CN").ror_id) == ("Inst Automat", CAS)
    springer = matcher.resolve("Department of Physics, Tsinghua University, Beijing, China")
    assert (springer.ror_id, springer.institution_name, springer.matched_part) == (
        TSINGHUA,
        "Tsinghua University",
        "Tsinghua University",
    )


@pytest.mark.shared
def test_registry_names_match_without_the_seed(registry: Registry) -> None:
    bare = Matcher(registry)
    assert bare.resolve("Delft University of Technology", "NL").method == "exact"
    # Abbreviated WoS spelling reached through the abbreviation seed, not the alias seed:
    match = bare.resolve("Tech Univ Denmark", "DK")
    assert (match.ror_id, match.method) == (DTU, "abbreviated")


@pytest.mark.shared
def test_unresolved_strings_are_kept_and_listed(matcher: Matcher) -> None:
    unresolved = matcher.resolve("Qwxz Fictional Inst", "DE")
    assert (unresolved.method, unresolved.institution_id, unresolved.ror_id) == (
        "unresolved",
        "unresolved:DE:qwxz fictional inst",
        None,
    )
    assert matcher.resolve("Chinese Acad Sci", "CN").method != "unresolved"
