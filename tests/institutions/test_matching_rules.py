"""Each matching rule on hand-made strings against a hand-made registry: every expected id is written here.

The registry below is invented (ids in ROR's format, names and relationships chosen for the rule under
test), so each test shows one rule deciding and nothing else in the real files interfering.
"""

from __future__ import annotations

import pyarrow as pa

from stiwatch.institutions import Matcher, Registry

UNI_VIENNA = "https://ror.org/0aaaaaa01"  # University of Vienna, AT; German label Universität Wien
INSERM = "https://ror.org/0aaaaaa02"  # Inserm, FR; acronym INSERM
ACADEMY = "https://ror.org/0aaaaaa03"  # Academy of Qwerty Sciences, CN; not a university
ACADEMY_INSTITUTE = "https://ror.org/0aaaaaa04"  # Institute of Zorblat Physics, CN; child of ACADEMY
UNI_QWERTY = "https://ror.org/0aaaaaa05"  # Qwerty University, CN
UNI_LAB = "https://ror.org/0aaaaaa06"  # State Key Laboratory of Zorblat Optics, CN; child of UNI_QWERTY
LINDEN_DE = "https://ror.org/0aaaaaa07"  # Linden Institute, DE
LINDEN_AT = "https://ror.org/0aaaaaa08"  # Linden Institute, AT
HARBOUR_UNI = "https://ror.org/0aaaaaa09"  # Harbour University, US, in the city Providence
PROVIDENCE_COLLEGE = "https://ror.org/0aaaaaa10"  # Providence College, US, alias "Providence"
SYSTEM = "https://ror.org/0aaaaaa11"  # University of Wexford System, US; parent of WEXFORD_NORTH
WEXFORD_NORTH = "https://ror.org/0aaaaaa12"  # University of Wexford North, US
SANOFI = "https://ror.org/0aaaaaa13"  # Sanofi (France), FR
MAPLE_NORTH = "https://ror.org/0aaaaaa14"  # Maple University, North Campus, US; alias "Maple University"
NIT_ZORBLAT = "https://ror.org/0aaaaaa15"  # Zorblat National Institute of Technology, CN; generic alias
KESTREL = "https://ror.org/0aaaaaa16"  # Kestrel Memorial Hospital, CN

ORGANISATIONS = [
    # ror_id, display name, country, country name, city, types
    (UNI_VIENNA, "University of Vienna", "AT", "Austria", "Vienna", ["education"]),
    (INSERM, "Inserm", "FR", "France", "Paris", ["government"]),
    (ACADEMY, "Academy of Qwerty Sciences", "CN", "China", "Beijing", ["government"]),
    (ACADEMY_INSTITUTE, "Institute of Zorblat Physics", "CN", "China", "Beijing", ["facility"]),
    (UNI_QWERTY, "Qwerty University", "CN", "China", "Hefei", ["education"]),
    (UNI_LAB, "State Key Laboratory of Zorblat Optics", "CN", "China", "Hefei", ["facility"]),
    (LINDEN_DE, "Linden Institute", "DE", "Germany", "Bonn", ["facility"]),
    (LINDEN_AT, "Linden Institute", "AT", "Austria", "Graz", ["facility"]),
    (HARBOUR_UNI, "Harbour University", "US", "United States", "Providence", ["education"]),
    (PROVIDENCE_COLLEGE, "Providence College", "US", "United States", "Smithfield", ["education"]),
    (SYSTEM, "University of Wexford System", "US", "United States", "Wexford", ["education"]),
    (WEXFORD_NORTH, "University of Wexford North", "US", "United States", "Wexford", ["education"]),
    (SANOFI, "Sanofi (France)", "FR", "France", "Paris", ["company"]),
    (MAPLE_NORTH, "Maple University, North Campus", "US", "United States", "Boston", ["education"]),
    (NIT_ZORBLAT, "Zorblat National Institute of Technology", "CN", "China", "Hefei", ["education"]),
    (KESTREL, "Kestrel Memorial Hospital", "CN", "China", "Hefei", ["healthcare"]),
]
NAMES = [
    *((ror_id, name, "display") for ror_id, name, *_ in ORGANISATIONS),
    (UNI_VIENNA, "Universität Wien", "label"),
    (INSERM, "INSERM", "acronym"),
    (PROVIDENCE_COLLEGE, "Providence", "alias"),
    (SYSTEM, "University of Wexford", "alias"),
    (MAPLE_NORTH, "Maple University", "alias"),
    (NIT_ZORBLAT, "National Institute of Technology", "alias"),
    (ACADEMY, "AQS", "acronym"),
]
PARENTS = [(ACADEMY_INSTITUTE, ACADEMY), (UNI_LAB, UNI_QWERTY), (WEXFORD_NORTH, SYSTEM)]


def _registry() -> Registry:
    columns = ["ror_id", "display_name", "country_code", "country_name", "city", "types"]
    organizations = pa.table(
        {column: [row[index] for row in ORGANISATIONS] for index, column in enumerate(columns)}
    )
    names = pa.table(
        {
            column: [row[index] for row in NAMES]
            for index, column in enumerate(["ror_id", "name", "name_type"])
        }
    )
    parents = pa.table({"ror_id": [c for c, _ in PARENTS], "parent_id": [p for _, p in PARENTS]})
    successors = pa.table({"ror_id": pa.array([], pa.string()), "successor_id": pa.array([], pa.string())})
    return Registry(organizations, names, successors, inputs=(), parents=parents)


MATCHER = Matcher(_registry())


def test_country_named_in_another_language_decides_between_same_named_institutes() -> None:
    # "Linden Institute" is in DE and AT: the country part decides, in German as well as in English.
    assert MATCHER.resolve("Linden Institute, Bonn, Deutschland").ror_id == LINDEN_DE
    assert MATCHER.resolve("Linden Institute, Graz, Österreich").ror_id == LINDEN_AT
    assert MATCHER.resolve("Linden Institute, Graz, Austria").ror_id == LINDEN_AT
    match = MATCHER.resolve("Linden Institute, Bonn, Deutschland")
    assert (match.country_code, match.method) == ("DE", "exact")
    # Without a country the name is shared and nothing is claimed.
    assert not MATCHER.resolve("Linden Institute").resolved


def test_label_in_another_language() -> None:
    match = MATCHER.resolve("Institut für Zeitgeschichte, Universität Wien, Wien, Österreich")
    assert (match.ror_id, match.method, match.matched_part) == (UNI_VIENNA, "exact", "Universität Wien")


def test_acronym_as_a_word_beside_a_unit_code() -> None:
    match = MATCHER.resolve("INSERM U1148, Paris, France")
    assert (match.ror_id, match.method) == (INSERM, "acronym")
    # Acronyms are used only within a known country: the same string without one stays unresolved.
    assert not MATCHER.resolve("INSERM U1148").resolved
    # An acronym in front of a name is the parent of an institute ROR may hold apart: not claimed.
    assert not MATCHER.resolve("INSERM Zorblat Optics Unit, Paris, France").resolved


def test_child_of_a_non_university_parent_is_preferred() -> None:
    # The academy is named last (tried first), but the institute it parents is the organisation meant.
    match = MATCHER.resolve(
        "Lab of Things, Institute of Zorblat Physics, Academy of Qwerty Sciences, Beijing, China"
    )
    assert (match.ror_id, match.matched_part) == (ACADEMY_INSTITUTE, "Institute of Zorblat Physics")


def test_university_keeps_the_lab_it_parents() -> None:
    match = MATCHER.resolve("State Key Laboratory of Zorblat Optics, Qwerty University, Hefei, China")
    assert (match.ror_id, match.matched_part) == (UNI_QWERTY, "Qwerty University")
    # Named alone, the lab is the lab.
    assert MATCHER.resolve("State Key Laboratory of Zorblat Optics, Hefei, China").ror_id == UNI_LAB


def test_a_city_part_names_no_institution() -> None:
    # "Providence" is an alias of Providence College, and the city of Harbour University's campus.
    assert not MATCHER.resolve("Warren Clinic, Providence, USA").resolved
    assert MATCHER.resolve("Dept of Art, Providence College, Providence, USA").ror_id == PROVIDENCE_COLLEGE


def test_institution_named_inside_a_part() -> None:
    match = MATCHER.resolve("Black Hole Initiative at Harbour University, Providence, USA")
    assert (match.ror_id, match.method) == (HARBOUR_UNI, "contained")
    # A hospital of a university is an organisation of its own: the university is not claimed for it.
    assert not MATCHER.resolve(
        "The Second Affiliated Hospital of Harbour University, Providence, USA"
    ).resolved


def test_university_system_only_when_the_string_says_system() -> None:
    assert MATCHER.resolve("University of Wexford System, Wexford, USA").ror_id == SYSTEM
    assert MATCHER.resolve("University of Wexford North, Wexford, USA").ror_id == WEXFORD_NORTH
    assert not MATCHER.resolve("Dept of Physics, University of Wexford, Wexford, USA").resolved


def test_country_in_brackets_of_a_registry_name_is_not_required() -> None:
    match = MATCHER.resolve("Global Epidemiology, Sanofi, Chilly-Mazarin, France")
    assert (match.ror_id, match.institution_name) == (SANOFI, "Sanofi (France)")


def test_a_system_is_not_taken_by_a_fuzzy_match_either() -> None:
    # The system carries its bare name as an alias, so the fuzzy stage scores the campus string 1.0 ...
    assert MATCHER._by_similarity("university of wexford", None) == (SYSTEM, 1.0)
    # ... and still the system is not claimed: the string does not say "system".
    assert not MATCHER.resolve("Dept of Physics, University of Wexford").resolved
    assert MATCHER.resolve("University of Wexford System").ror_id == SYSTEM


def test_a_name_inside_a_part_counts_only_as_an_organisation_s_own_name() -> None:
    # "Maple University" is only an alias of the North Campus: inside a longer part it names no one ...
    assert not MATCHER.resolve("School of Business, Maple University Online Academy, Boston, USA").resolved
    # ... while the whole part still resolves by the alias, and a display name still resolves as a prefix.
    match = MATCHER.resolve("School of Business, Maple University, Boston, USA")
    assert (match.ror_id, match.method) == (MAPLE_NORTH, "exact")
    match = MATCHER.resolve("Harbour University School of Medicine, Providence, USA")
    assert (match.ror_id, match.method) == (HARBOUR_UNI, "prefix")


def test_commas_inside_brackets_cut_no_part() -> None:
    # "AQS" inside the bracket would otherwise be a part of its own, the academy's acronym.
    assert MATCHER.resolve("Qwerty Academy Annex, AQS, Hefei, China").ror_id == ACADEMY
    assert not MATCHER.resolve(
        "Dept of Physics, Zorblat Polytechnic (Deemed to be University, AQS, Govt.), Hefei, China"
    ).resolved
    assert MATCHER.resolve("Qwerty University (AQS, Hefei), Hefei, China").ror_id == UNI_QWERTY


def test_a_generic_name_held_as_an_alias_names_no_particular_organisation() -> None:
    # The name lookups (exact and abbreviated) refuse it; in a full registry the fuzzy stage never
    # retrieves by generic words alone (each is in more than _MAX_POSTINGS names), in this tiny one it does.
    china = frozenset({"CN"})
    assert MATCHER._by_exact("national institute of technology", china) is None
    assert MATCHER._by_abbreviation("national institute of technology", china) is None
    match = MATCHER.resolve("Dept of Mechanical Engineering, Zorblat National Institute of Technology, China")
    assert (match.ror_id, match.method) == (NIT_ZORBLAT, "exact")
    # A specific alias is still an alias.
    assert MATCHER._by_exact("maple university", None) == MAPLE_NORTH


def test_a_prefix_followed_by_a_site_of_its_own_is_not_the_answer() -> None:
    # A branch, a hospital, a campus named by words of their own are organisations of their own.
    assert not MATCHER.resolve("Dept of Surgery, Kestrel Memorial Hospital Lakeside Branch, China").resolved
    assert not MATCHER.resolve("Data Center, Qwerty University West Lake Hospital, China").resolved
    assert not MATCHER.resolve("School of Law, Harbour University Global Campus, USA").resolved
    # The campus word alone, or a hospital joined by "and", leaves the university named first.
    assert MATCHER.resolve("Ecology Program, Qwerty University Campus, China").ror_id == UNI_QWERTY
    match = MATCHER.resolve("PET Centre, Qwerty University and Kestrel Memorial Hospital, China")
    assert (match.ror_id, match.method) == (UNI_QWERTY, "prefix")
