"""The C1 rules of METHOD.md on hand-written addresses, with the project's real seeds.

The parser splits the address (``parse``); the country code is decided by dbt from the seeds, so every
address below is also coded once by a dbt build of ``int_wos_affiliations_coded`` (the ``codes`` fixture,
address -> (country_code, country_basis)).
"""

from __future__ import annotations

import csv

import pytest

from dbt_country_codes import dbt_country_codes
from stiwatch.config import SEEDS_DIR
from stiwatch.sources.wos.addresses import ParsedAddress, parse_address, split_author_group, split_c1_field

parse = parse_address

STATE_ZIP_USA = ["MA 02115 USA", "MA USA", "NJ 08855-4141 USA", "USA"]
OLD_US = [
    ("UNIV ROCHESTER,ROCHESTER,NY 14627.", "NY 14627", "ROCHESTER"),
    ("ST LOUIS UNIV,MED CTR,ST LOUIS,MO.", "MO", "ST LOUIS"),
    ("UNIV MISSOURI,COLUMBIA,MO 65201-1234", "MO 65201-1234", "COLUMBIA"),
]
HK_MO = [
    ("[Chan, T] Chinese Univ Hong Kong, Dept Math, Shatin, Hong Kong, Peoples R China.", "HK"),
    ("[Chan, T] Hong Kong Polytech Univ, Dept Comp, Kowloon, Hong Kong, Peoples R China", "HK"),
    ("[Chan, T] Univ Hong Kong, Dept Math, Hong Kong, Hong Kong", "HK"),
    ("CHINESE UNIV HONG KONG,DEPT MATH,SHATIN,HONG KONG", "HK"),
    ("[Ip, K] Univ Macau, Fac Sci & Technol, Taipa, Macau, Peoples R China", "MO"),
    ("[Ip, K] Univ Macau, Fac Sci & Technol, Macau 999078, Peoples R China.", "MO"),
    ("[Ip, K] Macau Univ Sci & Technol, Taipa, Macao, Peoples R China", "MO"),
    ("[Ip, K] Univ Macau, Taipa, Macau", "MO"),
]
COUNTRY_NAMES = [
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
]
HISTORICAL = ["USSR", "CZECHOSLOVAKIA", "YUGOSLAVIA"]
OTHER_ENTRIES = [
    "[Rossi, A; Bianchi, B] Univ Florence, Dept Phys, Lab X, I-50139 Florence, Italy.",
    "[Li, X] Chinese Acad Sci, Inst Automat, Beijing 100190, Peoples R China",
    "SOME INST,SOMEWHERE,ZZ 12345",
    "[Wu, Y] City Univ Hong Kong, Shenzhen Res Inst, Shenzhen 518057, Peoples R China",
    "[X, Y] Royal Acad, Atlantis City, Atlantis.",
    "Univ Oxford, Dept Mat, Oxford OX1 3PH, England.",
    "[A, B] Google Inc, USA",
]


def _us_entry(last: str) -> str:
    return f"[Doe, J] Harvard Univ, Sch Med, Boston, {last}."


def _named_entry(country: str) -> str:
    return f"[X, Y] Some Univ, Some Dept, Some City, {country}."


def _historical_entry(country: str) -> str:
    return f"ACAD SCI,INST PHYS,PRAGUE,{country}."


ALL_ENTRIES = sorted(
    {
        *map(_us_entry, STATE_ZIP_USA),
        *(entry for entry, _, _ in OLD_US),
        *(entry for entry, _ in HK_MO),
        *(_named_entry(country) for country, _ in COUNTRY_NAMES),
        *map(_historical_entry, HISTORICAL),
        *OTHER_ENTRIES,
    }
)


def lake_row(address: ParsedAddress) -> dict:
    return {
        "organisation": address.organisation,
        "country_raw": address.country_raw,
        "country_form": address.country_form,
        "place_parts": list(address.place_parts),
    }


@pytest.fixture(scope="module")
def codes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    rows = [lake_row(parse(entry)) for entry in ALL_ENTRIES]
    return dict(zip(ALL_ENTRIES, dbt_country_codes(rows, tmp_path_factory.mktemp("codes")), strict=True))


def test_new_style_address_parts(codes) -> None:
    entry = "[Rossi, A; Bianchi, B] Univ Florence, Dept Phys, Lab X, I-50139 Florence, Italy."
    a = parse(entry)
    assert a.n_authors == 2
    assert a.organisation == "Univ Florence"
    assert a.sub_units == "Dept Phys; Lab X"
    assert a.city == "Florence"
    assert (a.country_raw, a.country_form) == ("Italy", "country")
    assert a.place_parts == ("Univ Florence", "Dept Phys", "Lab X", "Florence", "Italy")
    assert codes[entry] == ("IT", "address")


def test_postcode_after_city_is_stripped(codes) -> None:
    entry = "[Li, X] Chinese Acad Sci, Inst Automat, Beijing 100190, Peoples R China"
    a = parse(entry)
    assert (a.organisation, a.sub_units, a.city) == ("Chinese Acad Sci", "Inst Automat", "Beijing")
    assert (a.country_raw, codes[entry][0]) == ("Peoples R China", "CN")


@pytest.mark.parametrize("last", STATE_ZIP_USA)
def test_state_zip_usa(last: str, codes) -> None:
    a = parse(_us_entry(last))
    assert (a.city, a.country_raw, a.country_form) == ("Boston", "USA", "country")
    assert codes[_us_entry(last)] == ("US", "address")


@pytest.mark.parametrize(("entry", "raw", "city"), OLD_US)
def test_old_us_state_without_country(entry: str, raw: str, city: str, codes) -> None:
    a = parse(entry)
    assert (a.country_raw, a.country_form, a.city) == (raw, "us_state_zip", city)
    assert codes[entry] == ("US", "us_state_zip")


def test_two_letter_code_that_is_not_a_state_is_unknown(codes) -> None:
    entry = "SOME INST,SOMEWHERE,ZZ 12345"
    assert parse(entry).country_form == "us_state_zip"  # the form only: ZZ is not in the state seed
    assert codes[entry] == ("UNKNOWN", "address")


@pytest.mark.parametrize(("entry", "code"), HK_MO)
def test_hong_kong_and_macau(entry: str, code: str, codes) -> None:
    assert codes[entry] == (code, "hk_mo_city")


def test_hong_kong_inside_an_organisation_name_is_not_hong_kong(codes) -> None:
    entry = "[Wu, Y] City Univ Hong Kong, Shenzhen Res Inst, Shenzhen 518057, Peoples R China"
    assert codes[entry] == ("CN", "address")


@pytest.mark.parametrize(("country", "code"), COUNTRY_NAMES)
def test_country_names(country: str, code: str, codes) -> None:
    assert parse(_named_entry(country)).country_raw == country
    assert codes[_named_entry(country)] == (code, "address")


def _seed_names() -> set[str]:
    with (SEEDS_DIR / "wos_country_names.csv").open(encoding="utf-8", newline="") as fh:
        return {row["wos_country_name"].casefold() for row in csv.DictReader(fh)}


@pytest.mark.parametrize("country", HISTORICAL)
def test_historical_states_are_unknown_on_purpose(country: str, codes) -> None:
    assert codes[_historical_entry(country)] == ("UNKNOWN", "address")
    assert country.casefold() in _seed_names()  # a seed row says so, not a gap in the seed


def test_unmapped_country_is_kept_and_flagged(codes) -> None:
    entry = "[X, Y] Royal Acad, Atlantis City, Atlantis."
    a = parse(entry)
    assert (a.country_raw, a.organisation, codes[entry]) == ("Atlantis", "Royal Acad", ("UNKNOWN", "address"))
    assert "atlantis" not in _seed_names()  # reported by dq_country_mapping


def test_no_bracket_group_counts_one_author(codes) -> None:
    assert split_author_group("Univ Oxford, Dept Mat, Oxford OX1 3PH, England.") == (
        1,
        "Univ Oxford, Dept Mat, Oxford OX1 3PH, England.",
    )
    a = parse("Univ Oxford, Dept Mat, Oxford OX1 3PH, England.")
    assert (a.n_authors, a.city, codes["Univ Oxford, Dept Mat, Oxford OX1 3PH, England."][0]) == (
        1,
        "Oxford",
        "GB",
    )


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


def test_two_part_address_has_no_city(codes) -> None:
    a = parse("[A, B] Google Inc, USA")
    assert (a.organisation, a.sub_units, a.city) == ("Google Inc", None, None)
    assert codes["[A, B] Google Inc, USA"][0] == "US"


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
