"""fct_top_institutions, fct_uk_share and fct_watch_list built from the real shared WoS files agree with
the reference.

The real WoS exports form one snapshot, the two shared ROR record files are landed as a ROR dump, and the
refresh's institution step (``resolve_institutions``, then the watch-list inputs with the demo indicator
list landed) runs between ingest and dbt. The reference
(``institutions.py``) reads the raw files itself and takes the step's matches table only as the mapping
from (organisation, country) to institution, so it checks the counting, not the matching.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from stiwatch import ingest
from stiwatch.config import SEEDS_DIR, Settings
from stiwatch.dbt_runner import run_dbt
from stiwatch.demo.indicators import write_demo_list
from stiwatch.indicators.step import prepare_watch_list
from stiwatch.institutions.resolve import matches_path, resolve_institutions

from .institutions import top_eu_institutions, uk_share, wos_institution_papers
from .watch_list import listed_ror_ids, paper_topics, topic_rules, watch_list_all

FIRST_YEAR = 1900
ROR_FILES = ("ror_records_v1_schema.jsonl.gz", "ror_records_v2_schema.jsonl.gz")


@pytest.fixture(scope="module")
def built(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, dict, dict]:
    root = tmp_path_factory.mktemp("real_institutions")
    settings = Settings(data_dir=root, warehouse_path=root / "warehouse.duckdb", first_year=FIRST_YEAR)
    wos_files = sorted(p for p in (shared_data / "wos").rglob("*") if p.is_file())
    landing = settings.landing_dir / "wos" / "2026-11-01_shared"
    landing.mkdir(parents=True)
    for path in wos_files:
        shutil.copyfile(path, landing / f"{path.parent.name}__{path.name}")
    ror_landing = settings.landing_dir / "ror" / "2024-10-31_shared"
    ror_landing.mkdir(parents=True)
    for name in ROR_FILES:
        shutil.copyfile(shared_data / "ror" / name, ror_landing / name)
    demo_list = write_demo_list(settings.landing_dir).path / "list.csv"
    ingest.ingest_source(settings, "wos")
    resolve_institutions(settings)
    prepare_watch_list(settings)
    run_dbt(
        settings, "build", "--select", "+dim_institution +fct_top_institutions +fct_uk_share +fct_watch_list"
    )
    mapping = {
        (m["organisation"], m["country_code"]): (
            m["institution_key"],
            m["canonical_name"],
            m["institution_country"],
        )
        for m in pq.read_table(matches_path(settings.lake_dir)).to_pylist()
    }
    landed_order = sorted(wos_files, key=lambda path: f"{path.parent.name}__{path.name}")
    papers = wos_institution_papers(landed_order, mapping)
    topics = paper_topics(landed_order, topic_rules(SEEDS_DIR, settings.sensitive_topics_version))
    return settings, papers, watch_list_all(papers, topics, listed_ror_ids(demo_list), FIRST_YEAR)


def _query(settings: Settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.mark.slow
def test_top_eu_institutions_all_years_match_reference(built: tuple[Settings, dict, dict]) -> None:
    settings, papers, _ = built
    expected = top_eu_institutions(papers, FIRST_YEAR)
    rows = _query(
        settings,
        """select institution_key, copublications, main_partner_key, main_partner_copublications
           from fct_top_institutions
           where source = 'wos' and period = 'all' and side = 'EU27/AC' and variant = 'all'
           order by institution_rank""",
    )
    assert len(expected) > 15, "the real files must hold EU27/AC institutions with Chinese co-authors"
    assert {key: n for key, n, _, _ in rows} == {key: n for key, (n, _, _) in expected.items()}
    assert [n for _, n, _, _ in rows] == sorted((n for n, _, _ in expected.values()), reverse=True)
    for key, _, partner, partner_n in rows:
        _, best, best_keys = expected[key]
        assert (partner_n or 0) == best, key
        assert partner in best_keys or (partner is None and not best_keys), key


@pytest.mark.slow
def test_uk_share_matches_reference(built: tuple[Settings, dict, dict]) -> None:
    settings, papers, _ = built
    expected = uk_share(papers, FIRST_YEAR)
    rows = _query(
        settings,
        """select period, eu_cn_copublications, with_uk_copublications from fct_uk_share
           where source = 'wos' and eu_cn_copublications > 0""",
    )
    assert {period: (n, uk) for period, n, uk in rows} == expected
    assert 0 < expected["all"][1] < expected["all"][0]


@pytest.mark.slow
def test_watch_list_all_years_matches_reference(built: tuple[Settings, dict, dict]) -> None:
    settings, _, expected = built
    rows = _query(
        settings,
        """select institution_key, listed_institution_key, topic_id, copublications from fct_watch_list
           where source = 'wos' and period = 'all'""",
    )
    listed_partners = {cn for _, cn, topic in expected if topic == "all_topics"}
    assert len(listed_partners) >= 2, "the real files must hold co-publications with Seven Sons universities"
    assert any(topic != "all_topics" for _, _, topic in expected), "and some in a sensitive topic"
    assert {(eu, cn, topic): n for eu, cn, topic, n in rows} == expected
