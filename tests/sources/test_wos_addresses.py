"""The C1 rules of METHOD.md on hand-written addresses, with the project's real seeds."""

from __future__ import annotations

import pytest

from stiwatch.sources.wos.addresses import parse_address, split_author_group, split_c1_field
from stiwatch.sources.wos.countries import default_lookup


def parse(entry: str):
    return parse_address(entry, default_lookup())


def test_new_style_address_parts() -> None:
    a = parse("[Rossi, A; Bianchi, B] Univ Florence, Dept Phys, Lab X, I-50139 Florence, Italy.")
    assert a.n_authors == 2
    assert a.organisation == "Univ Florence"
    assert a.sub_units == "Dept Phys; Lab X"
    assert a.city == "Florence"
    assert (a.country_raw, a.country_code, a.country_basis) == ("Italy", "IT", "address")


def test_postcode_after_city_is_stripped() -> None:
    a = parse("[Li, X] Chinese Acad Sci, Inst Automat, Beijing 100190, Peoples R China")
    assert (a.organisation, a.sub_units, a.city) == ("Chinese Acad Sci", "Inst Automat", "Beijing")
    assert (a.country_raw, a.country_code) == ("Peoples R China", "CN")


@pytest.mark.parametrize(
    ("last", "city"),
    [("MA 02115 USA", "Boston"), ("MA USA", "Boston"), ("NJ 08855-4141 USA", "Boston"), ("USA", "Boston")],
)
def test_state_zip_usa(last: str, city: str) -> None:
    a = parse(f"[Doe, J] Harvard Univ, Sch Med, Boston, {last}.")
    assert (a.city, a.country_raw, a.country_code, a.country_basis) == (city, "USA", "US", "address")


@pytest.mark.parametrize(
    ("entry", "raw", "city"),
    [
        ("UNIV ROCHESTER,ROCHESTER,NY 14627.", "NY 14627", "ROCHESTER"),
        ("ST LOUIS UNIV,MED CTR,ST LOUIS,MO.", "MO", "ST LOUIS"),
        ("UNIV MISSOURI,COLUMBIA,MO 65201-1234", "MO 65201-1234", "COLUMBIA"),
    ],
)
def test_old_us_state_without_country(entry: str, raw: str, city: str) -> None:
    a = parse(entry)
    assert (a.country_raw, a.country_code, a.country_basis, a.city) == (raw, "US", "us_state_zip", city)
    assert not a.unmapped


def test_two_letter_code_that_is_not_a_state_is_unknown() -> None:
    a = parse("SOME INST,SOMEWHERE,ZZ 12345")
    assert (a.country_code, a.unmapped) == ("UNKNOWN", True)


@pytest.mark.parametrize(
    ("entry", "code"),
    [
        ("[Chan, T] Chinese Univ Hong Kong, Dept Math, Shatin, Hong Kong, Peoples R China.", "HK"),
        ("[Chan, T] Hong Kong Polytech Univ, Dept Comp, Kowloon, Hong Kong, Peoples R China", "HK"),
        ("[Chan, T] Univ Hong Kong, Dept Math, Hong Kong, Hong Kong", "HK"),
        ("CHINESE UNIV HONG KONG,DEPT MATH,SHATIN,HONG KONG", "HK"),
        ("[Ip, K] Univ Macau, Fac Sci & Technol, Taipa, Macau, Peoples R China", "MO"),
        ("[Ip, K] Univ Macau, Fac Sci & Technol, Macau 999078, Peoples R China.", "MO"),
        ("[Ip, K] Macau Univ Sci & Technol, Taipa, Macao, Peoples R China", "MO"),
        ("[Ip, K] Univ Macau, Taipa, Macau", "MO"),
    ],
)
def test_hong_kong_and_macau(entry: str, code: str) -> None:
    a = parse(entry)
    assert (a.country_code, a.country_basis) == (code, "hk_mo_city")


def test_hong_kong_inside_an_organisation_name_is_not_hong_kong() -> None:
    a = parse("[Wu, Y] City Univ Hong Kong, Shenzhen Res Inst, Shenzhen 518057, Peoples R China")
    assert (a.country_code, a.country_basis) == ("CN", "address")


@pytest.mark.parametrize(
    ("country", "code"),
    [
        ("England", "GB"),
        ("Scotland", "GB"),
        ("Wales", "GB"),
        ("North Ireland", "GB"),
        ("ENGLAND", "GB"),
        ("Turkiye", "TR"),
        ("Turkey", "TR"),
        ("TURKEY", "TR"),
        ("Taiwan", "TW"),
        ("South Korea", "KR"),
        ("U Arab Emirates", "AE"),
        ("Russia", "RU"),
        ("FED REP GER", "DE"),
        ("WEST GERMANY", "DE"),
        ("Greece", "GR"),
    ],
)
def test_country_names(country: str, code: str) -> None:
    a = parse(f"[X, Y] Some Univ, Some Dept, Some City, {country}.")
    assert (a.country_raw, a.country_code, a.country_basis) == (country, code, "address")


@pytest.mark.parametrize("country", ["USSR", "CZECHOSLOVAKIA", "YUGOSLAVIA"])
def test_historical_states_are_unknown_on_purpose(country: str) -> None:
    a = parse(f"ACAD SCI,INST PHYS,PRAGUE,{country}.")
    assert (a.country_code, a.unmapped) == ("UNKNOWN", False)


def test_unmapped_country_is_kept_and_flagged() -> None:
    a = parse("[X, Y] Royal Acad, Atlantis City, Atlantis.")
    assert (a.country_raw, a.country_code, a.unmapped) == ("Atlantis", "UNKNOWN", True)
    assert a.organisation == "Royal Acad"


def test_no_bracket_group_counts_one_author() -> None:
    assert split_author_group("Univ Oxford, Dept Mat, Oxford OX1 3PH, England.") == (
        1,
        "Univ Oxford, Dept Mat, Oxford OX1 3PH, England.",
    )
    a = parse("Univ Oxford, Dept Mat, Oxford OX1 3PH, England.")
    assert (a.n_authors, a.city, a.country_code) == (1, "Oxford", "GB")


def test_split_c1_keeps_semicolons_inside_brackets() -> None:
    c1 = (
        "[Luo, Z; Li, W; Wang, W] Huazhong Univ Sci & Technol, Wuhan 430074, Peoples R China; "
        "[Bian, L] ZTE Corp, Shenzhen 518057, Peoples R China; Univ Oxford, Oxford, England"
    )
    entries = split_c1_field(c1)
    assert entries == [
        "[Luo, Z; Li, W; Wang, W] Huazhong Univ Sci & Technol, Wuhan 430074, Peoples R China",
        "[Bian, L] ZTE Corp, Shenzhen 518057, Peoples R China",
        "Univ Oxford, Oxford, England",
    ]
    assert [parse(e).n_authors for e in entries] == [3, 1, 1]
    assert split_c1_field("") == []


def test_two_part_address_has_no_city() -> None:
    a = parse("[A, B] Google Inc, USA")
    assert (a.organisation, a.sub_units, a.city, a.country_code) == ("Google Inc", None, None, "US")


@pytest.mark.parametrize(
    ("entry", "city", "sub_units"),
    [
        ("MAISONNEUVE HOSP,MONTREAL,PQ,CANADA.", "MONTREAL", None),
        ("[Silva, A] Univ Sao Paulo, Inst Fis, Sao Paulo, SP, Brazil", "Sao Paulo", "Inst Fis"),
        ("[Lee, K] Univ Toronto, Dept CS, Toronto, ON M5S 1A1, Canada", "Toronto", "Dept CS"),
    ],
)
def test_lone_province_code_before_the_country_is_not_the_city(
    entry: str, city: str, sub_units: str | None
) -> None:
    a = parse(entry)
    assert (a.city, a.sub_units) == (city, sub_units)
