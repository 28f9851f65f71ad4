"""Scope filter and field shares over a hand-made lake: every expected number is counted by hand below.

WoS snapshot, every record CN + DE (a CN-EU27/AC co-publication), categories (WC) and text chosen so that
each scope rule fires alone:
  WOS:101 2020  WC AI + Telecommunications, no keyword      category hit   fields AI 1/2, networking 1/2
  WOS:102 2020  WC Ecology, title "A Deep-Learning approach" keyword hit    natural sciences 1
  WOS:103 2020  WC unmapped, abstract "... big data ..."     keyword hit    other_unmapped 1
  WOS:104 2021  WC Ecology + Forestry, keyword "Neural Networks"  keyword   natural 1/2, agriculture 1/2
  WOS:105 2021  WC Ecology, "Soil carbon", keyword "grazing"  neither       natural 1
OpenAlex snapshot, every work CN + GB:
  W11 2021  primary subfield 1702                           category hit   AI 1
  W12 2021  primary 2306, 1702 only as a secondary subfield neither        (dropped when filtered)
  W13 2021  primary 2306 (unmapped), keyword "Machine learning"  keyword   other_unmapped 1
  W14 2021  no primary topic, title "Big data platforms"     keyword hit    other_unmapped 1
Default scope_filter per_source: WoS unfiltered (all 5 count), OpenAlex filtered (W12 dropped).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lake_fixtures import Address, Category, Record, write_file_parts, write_manifest
from test_marts import query, run_dbt

WOS_SNAPSHOT = "2024-02-01_scope"
OPENALEX_SNAPSHOT = "2024-09-01"
CN_DE = [Address("Peoples R China", "CN"), Address("Germany", "DE")]
CN_GB = [Address("CN", "CN"), Address("GB", "GB")]


def wc(*labels: str) -> list[Category]:
    return [Category("wos_category", label, label) for label in labels]


def subfield(subfield_id: str, primary: bool = True) -> Category:
    return Category("openalex_subfield", subfield_id, f"Subfield {subfield_id}", is_primary=primary)


def write_lake(lake_dir: Path) -> None:
    plain = {"title": "Soil carbon", "abstract": None, "keywords": None}
    wos = [
        Record("WOS:101", 2020, CN_DE, **plain,
               categories=wc("Computer Science, Artificial Intelligence", "Telecommunications")),
        Record("WOS:102", 2020, CN_DE, **plain | {"title": "A Deep-Learning approach"},
               categories=wc("Ecology")),
        Record("WOS:103", 2020, CN_DE, **plain | {"abstract": "We mine big data."},
               categories=wc("Underwater Basket Weaving")),
        Record("WOS:104", 2021, CN_DE, **plain | {"keywords": "trees; Neural Networks"},
               categories=wc("Ecology", "Forestry")),
        Record("WOS:105", 2021, CN_DE, **plain | {"keywords": "grazing; networking"},
               categories=wc("Ecology")),
    ]  # fmt: skip
    write_file_parts(lake_dir, "wos", WOS_SNAPSHOT, "export.txt", wos)
    write_manifest(lake_dir, "wos", WOS_SNAPSHOT, "2024-02-01", {"export.txt": len(wos)})
    works = [
        Record("W11", 2021, CN_GB, **plain, categories=[subfield("1702")]),
        Record("W12", 2021, CN_GB, **plain, categories=[subfield("2306"), subfield("1702", primary=False)]),
        Record("W13", 2021, CN_GB, **plain | {"keywords": "Machine learning"}, categories=[subfield("2306")]),
        Record("W14", 2021, CN_GB, **plain | {"title": "Big data platforms"}, categories=[]),
    ]
    write_file_parts(lake_dir, "openalex", OPENALEX_SNAPSHOT, "part_000.jsonl", works)
    write_manifest(lake_dir, "openalex", OPENALEX_SNAPSHOT, "2024-09-01", {"part_000.jsonl": len(works)})


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scope_fields")
    write_lake(root / "lake")
    run_dbt(root, root / "lake", "build", "--exclude", "path:models/marts/patents")
    return root


def test_scope_hits_by_category_keyword_or_neither(warehouse: Path) -> None:
    rows = query(
        warehouse,
        """select record_id, matches_scope_category, matches_scope_keyword, matches_scope, in_scope
           from int_publications order by record_id""",
    )
    assert rows == [
        ("W11", True, False, True, True),
        ("W12", False, False, False, False),  # secondary 1702 does not count; OpenAlex is filtered
        ("W13", False, True, True, True),
        ("W14", False, True, True, True),
        ("WOS:101", True, False, True, True),
        ("WOS:102", False, True, True, True),
        ("WOS:103", False, True, True, True),
        ("WOS:104", False, True, True, True),
        ("WOS:105", False, False, False, True),  # "networking" is no "network"; WoS is not filtered
    ]


def _pair_counts(root: Path) -> dict[tuple[str, int], int]:
    rows = query(
        root,
        """select source, pub_year, copublications from fct_region_pair_output
           where region_pair = 'CN-EU27/AC'""",
    )
    return {(source, year): n for source, year, n in rows}


def test_default_filters_openalex_only(warehouse: Path) -> None:
    assert _pair_counts(warehouse) == {("wos", 2020): 3, ("wos", 2021): 2, ("openalex", 2021): 3}
    coverage = query(
        warehouse,
        "select source, pub_year, publications, publications_out_of_scope from dq_publication_coverage",
    )
    assert sorted(coverage) == [("openalex", 2021, 3, 1), ("wos", 2020, 3, 0), ("wos", 2021, 2, 0)]


@pytest.mark.parametrize(
    ("scope_filter", "expected"),
    [
        ("on", {("wos", 2020): 3, ("wos", 2021): 1, ("openalex", 2021): 3}),  # WOS:105 dropped too
        ("off", {("wos", 2020): 3, ("wos", 2021): 2, ("openalex", 2021): 4}),  # W12 kept
    ],
)
def test_scope_filter_switch(tmp_path: Path, scope_filter: str, expected: dict) -> None:
    write_lake(tmp_path / "lake")
    run_dbt(
        tmp_path, tmp_path / "lake", "build", "--select", "+fct_region_pair_output", scope_filter=scope_filter
    )
    assert _pair_counts(tmp_path) == expected
    assert query(tmp_path, "select distinct scope_filter from fct_region_pair_output") == [(scope_filter,)]


def _shares(root: Path, source: str, period: str, year: int | None) -> dict[str, tuple[int, float, float]]:
    rows = query(
        root,
        f"""select field_group_id, pair_copublications, copublications_fractional, share_of_pair
            from fct_field_shares
            where source = '{source}' and region_pair = 'CN-EU27/AC' and period = '{period}'
              and pub_year is not distinct from {"null" if year is None else year}""",
    )
    return {group: (total, n, share) for group, total, n, share in rows if n > 0}


@pytest.mark.parametrize(
    ("source", "period", "year", "total", "expected"),
    [
        # 2020: WOS:101 AI 1/2 + networking 1/2, WOS:102 natural 1, WOS:103 other 1; of 3.
        ("wos", "year", 2020, 3, {"ai_image_processing": 0.5, "networking_telecommunications": 0.5,
                                  "natural_sciences": 1.0, "other_unmapped": 1.0}),
        # 2021: WOS:104 natural 1/2 + agriculture 1/2, WOS:105 natural 1; of 2.
        ("wos", "year", 2021, 2, {"natural_sciences": 1.5, "agriculture_fisheries_forestry": 0.5}),
        # All years: the two together, of 5.
        ("wos", "all", None, 5, {"ai_image_processing": 0.5, "networking_telecommunications": 0.5,
                                 "natural_sciences": 2.5, "other_unmapped": 1.0,
                                 "agriculture_fisheries_forestry": 0.5}),
        # OpenAlex 2021: W11 AI 1, W13 other (unmapped 2306), W14 other (no primary topic); of 3.
        ("openalex", "all", None, 3, {"ai_image_processing": 1.0, "other_unmapped": 2.0}),
    ],
)  # fmt: skip
def test_field_shares(
    warehouse: Path, source: str, period: str, year: int | None, total: int, expected: dict[str, float]
) -> None:
    actual = _shares(warehouse, source, period, year)
    assert set(actual) == set(expected)
    for group, fractional in expected.items():
        assert actual[group][0] == total, group
        assert actual[group][1] == pytest.approx(fractional), group
        assert actual[group][2] == pytest.approx(fractional / total), group


def test_unmapped_categories_are_reported(warehouse: Path) -> None:
    rows = query(
        warehouse,
        """select source, scheme, category_id, records, records_in_other_unmapped
           from dq_unmapped_categories order by source, category_id""",
    )
    assert rows == [
        ("openalex", "openalex_subfield", "2306", 1, 1),  # W13 (W12 is out of scope, not counted)
        ("openalex", None, None, 1, 1),  # W14: no primary topic
        ("wos", "wos_category", "Underwater Basket Weaving", 1, 1),  # WOS:103
    ]
