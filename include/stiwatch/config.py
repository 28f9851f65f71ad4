"""Settings from environment variables, with documented defaults (see docs/ARCHITECTURE.md).

Every function in the package takes a ``Settings`` (or explicit paths) so that DAG tasks, the CLI and
tests call the same code. Secrets (the OpenAlex API key) are only ever read from the environment.
"""

from __future__ import annotations

import os
import re
from dataclasses import MISSING, dataclass, field
from pathlib import Path
from typing import Any

from stiwatch.duckdb_resources import DEFAULT_MEMORY_LIMIT, usable_cpus
from stiwatch.sources.registry import COUNTED_SOURCES

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
# dbt selection that brings the quality step's findings files into the mart dq_results (run right after
# each quality run): the model and its staging view, with their tests.
DQ_RESULTS_SELECTION = "+dq_results"

# The sources ingested and counted (stiwatch.sources.registry; ROR is reference data, not listed).
SOURCES = COUNTED_SOURCES

# The brief's big-data-related OpenAlex subfields (AI, computer vision, networks, signal processing,
# information systems) from 2011 on; override with STIWATCH_OPENALEX_FILTER.
DEFAULT_OPENALEX_FILTER = "primary_topic.subfield.id:1702|1707|1705|1711|1710,publication_year:>2010"

# Publication scope filter (METHOD.md "Scope"): per_source drops out-of-scope records of OpenAlex only,
# whose snapshots are unscoped, and keeps WoS exports whole, as their query already scoped them.
SCOPE_FILTER_CHOICES = ("per_source", "on", "off")

# DuckDB's memory limit syntax: a number and a unit (https://duckdb.org/docs/configuration/overview).
_MEMORY_LIMIT_RE = re.compile(r"^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)$", re.IGNORECASE)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name}={raw!r} is not a boolean: use true/false (or on/off, 1/0)")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a whole number") from None


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a number, e.g. 0.9") from None


def _env_share(name: str, default: float) -> float:
    value = _env_float(name, default)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name}={value} must be between 0 and 1, e.g. {default}")
    return value


def _env_scope_filter(name: str, default: str) -> str:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in SCOPE_FILTER_CHOICES:
        return value
    if value in _TRUE:
        return "on"
    if value in _FALSE:
        return "off"
    raise ValueError(f"{name}={raw!r} is not one of {', '.join(SCOPE_FILTER_CHOICES)} (or true/false)")


# Where dbt builds the warehouse (dbt/profiles.yml has one target per engine; docs/SCALE.md).
ENGINE_CHOICES = ("duckdb", "spark")


def _env_engine(name: str, default: str) -> str:
    value = (os.environ.get(name) or default).strip().lower()
    if value not in ENGINE_CHOICES:
        raise ValueError(f"{name}={os.environ.get(name)!r} is not one of {', '.join(ENGINE_CHOICES)}")
    return value


# Chosen on the development part of the ROR gold set (stiwatch.institutions.evaluation): at 0.92 the fuzzy
# matches between 0.92 and 0.94 were right half the time, and precision comes first.
INSTITUTION_FUZZY_THRESHOLD = 0.94


def setting(env: str, doc: str, default: Any = MISSING, *, shown: str | None = None, **kwargs: Any) -> Any:
    """A ``Settings`` field with its environment variable and meaning, rendered into the settings table of
    README.md by ``stiwatch.settings_doc`` (``shown``: the default as documented, when it is not a value)."""
    return field(default=default, metadata={"env": env, "doc": doc, "shown": shown}, **kwargs)


@dataclass(frozen=True)
class Settings:
    """Where data lives and how it is counted. Build with ``Settings.from_env()``."""

    # No default value (from_env derives both): ruff cannot see that setting() returns a field.
    data_dir: Path = setting(  # noqa: RUF009
        "STIWATCH_DATA_DIR",
        "data root: `landing/`, `lake/`, `quality/` (findings per run), `warehouse.duckdb`, `serving/`, "
        "`reports/`",
        shown="`data/` (relative to the current directory, made absolute)",
    )
    warehouse_path: Path = setting(  # noqa: RUF009
        "STIWATCH_WAREHOUSE",
        "the DuckDB file dbt writes (dbt is its only writer)",
        shown="`$STIWATCH_DATA_DIR/warehouse.duckdb`",
    )
    engine: str = setting(
        "STIWATCH_ENGINE",
        "the engine dbt builds the warehouse on: `duckdb` (the `warehouse.duckdb` file) or `spark` "
        "(Parquet tables under `$STIWATCH_DATA_DIR/spark/warehouse/`; docs/SCALE.md)",
        "duckdb",
    )
    openalex_base_url: str = setting(
        "STIWATCH_OPENALEX_BASE_URL",
        "OpenAlex API root (tests point it at a local server)",
        "https://api.openalex.org",
    )
    openalex_mailto: str | None = setting(
        "STIWATCH_OPENALEX_MAILTO", "e-mail for OpenAlex's polite pool", None
    )
    openalex_api_key: str | None = setting(
        "STIWATCH_OPENALEX_API_KEY",
        "OpenAlex API key (secret: set it in the environment only)",
        None,
        repr=False,
    )
    openalex_filter: str = setting(
        "STIWATCH_OPENALEX_FILTER",
        "OpenAlex `filter` of an API pull (the brief's big-data-related subfields from 2011 on); read by "
        "`stiwatch.sources.openalex.client.scope_filter()`",
        DEFAULT_OPENALEX_FILTER,
    )
    first_year: int = setting(
        "STIWATCH_FIRST_YEAR", "dbt var `first_year`: first publication year in the marts", 2011
    )
    cn_includes_hk_mo: bool = setting(
        "STIWATCH_CN_INCLUDES_HK_MO",
        "dbt var `cn_includes_hk_mo`: count Hong Kong and Macau as China (CWTS Leiden convention)",
        True,
    )
    serving_keep_releases: int = setting(
        "STIWATCH_SERVING_KEEP_RELEASES",
        "serving releases kept on disk, the current one included (BI tools still connected to an older "
        "one keep reading it)",
        3,
    )
    nowcast_z: float = setting(
        "STIWATCH_NOWCAST_Z",
        "dbt var `nowcast_z`: the nowcast bounds of fct_copatent_nowcast and fct_publication_nowcast are "
        "the nowcast +- this many standard errors (1.645: a 90% interval)",
        1.645,
    )
    # Release changelog (stiwatch.publish.changes): which changes between two releases are "notable".
    changes_notable_relative: float = setting(
        "STIWATCH_CHANGES_NOTABLE_RELATIVE",
        "release changelog: a count or share that moved by at least this share of its old value is notable "
        "(counts must also move by `STIWATCH_CHANGES_NOTABLE_MIN_COUNT`)",
        0.1,
    )
    changes_notable_min_count: int = setting(
        "STIWATCH_CHANGES_NOTABLE_MIN_COUNT",
        "release changelog: a count is notable only when it moved (or appeared) by at least this many",
        10,
    )
    changes_notable_ranks: int = setting(
        "STIWATCH_CHANGES_NOTABLE_RANKS",
        "release changelog: a rank that moved by at least this many places (or entered or left the "
        "ranking) is notable",
        3,
    )
    keep_snapshots: int = setting(
        "STIWATCH_KEEP_SNAPSHOTS",
        "dbt var `keep_snapshots`: the newest states per source counted in the marts "
        "(`stg_lake__snapshots.is_kept`); the lake keeps every delivery",
        3,
    )
    include_utility_models: bool = setting(
        "STIWATCH_INCLUDE_UTILITY_MODELS",
        "dbt var `include_utility_models`: count PATSTAT utility models next to inventions",
        False,
    )
    impute_patent_countries: bool = setting(
        "STIWATCH_IMPUTE_PATENT_COUNTRIES",
        "dbt var `patstat_impute_countries`: fill a missing applicant or inventor country from the same "
        "person (psn_id, then han_id) in other applications, labelled imputed",
        False,
    )
    scope_filter: str = setting(
        "STIWATCH_SCOPE_FILTER",
        "dbt var `scope_filter`: `per_source` drops out-of-scope publications of the sources in var "
        "`scope_filtered_sources` (`[openalex]`: unscoped snapshots; WoS exports are scoped by their query), "
        "`on` of every source, `off` of none; `true`/`false` read as `on`/`off`",
        "per_source",
    )
    scope_version: str = setting(
        "STIWATCH_SCOPE_VERSION",
        "dbt var `scope_version`: the rows of seeds `scope_categories` / `scope_keywords` defining the scope",
        "v1",
    )
    # The watch list (README "Watch list"): indicator lists, sensitive topics, the organisation hierarchy.
    sensitive_topics_version: str = setting(
        "STIWATCH_SENSITIVE_TOPICS_VERSION",
        "dbt var `sensitive_topics_version`: the rows of seeds `sensitive_topics` / `sensitive_topic_terms` "
        "that flag publications and patent families",
        "v1",
    )
    roll_up_institutions: bool = setting(
        "STIWATCH_ROLL_UP_INSTITUTIONS",
        "dbt var `roll_up_institutions`: count each institution as its top-level parent in ROR (a CAS "
        "institute as the Chinese Academy of Sciences) in the top-institution, partner and watch-list marts",
        False,
    )
    indicator_min_score: float = setting(
        "STIWATCH_INDICATOR_MIN_SCORE",
        "lowest matcher confidence at which an indicator-list entry without a ROR id counts as resolved by "
        "name or alias; below it the entry is listed as unresolved (a watch list must not flag wrongly)",
        0.9,
    )
    # Completeness of years (METHOD.md "Completeness", dbt model int_year_completeness).
    completeness_ratio: float = setting(
        "STIWATCH_COMPLETENESS_RATIO",
        "dbt var `completeness_ratio`: a year below this share of its expected count (mean of the three "
        "previous non-provisional years) is incomplete, when the gap also exceeds chance",
        0.9,
    )
    completeness_noise_sigmas: float = setting(
        "STIWATCH_COMPLETENESS_NOISE_SIGMAS",
        "dbt var `completeness_noise_sigmas`: the gap must exceed this many sqrt(expected) (chance "
        "variation of a count)",
        2.0,
    )
    cross_edition_ratio: float = setting(
        "STIWATCH_CROSS_EDITION_RATIO",
        "dbt var `cross_edition_ratio`: a year of an older snapshot below this share of the newest "
        "snapshot's count is incomplete",
        0.95,
    )
    patstat_lag_years: int = setting(
        "STIWATCH_PATSTAT_LAG_YEARS",
        "dbt var `patstat_lag_years`: PATSTAT filing years >= as-of year - this are provisional "
        "(2023 Autumn: 2021, 2022)",
        2,
    )
    # The plausibility gate and the quarantine (README "When a delivery is bad").
    gate_max_record_drop: float = setting(
        "STIWATCH_GATE_MAX_RECORD_DROP",
        "dbt var `gate_max_record_drop`: a new state whose records fell by more than this share against the "
        "state it replaces (or that holds no records) is held back from current and from publishing until "
        "`stiwatch accept`",
        0.2,
    )
    gate_max_region_year_drop: float = setting(
        "STIWATCH_GATE_MAX_REGION_YEAR_DROP",
        "dbt var `gate_max_region_year_drop`: the same for any region's yearly publication count",
        0.5,
    )
    gate_min_count: int = setting(
        "STIWATCH_GATE_MIN_COUNT",
        "dbt var `gate_min_count`: records or region-year counts of the replaced state below this are not "
        "compared (small counts vary by chance; no records at all is always held)",
        50,
    )
    quarantine_min_year: int = setting(
        "STIWATCH_QUARANTINE_MIN_YEAR",
        "dbt var `quarantine_min_year`: a publication year before this is implausible: the record is "
        "quarantined (`dq_quarantine`), not counted",
        1900,
    )
    quarantine_years_ahead: int = setting(
        "STIWATCH_QUARANTINE_YEARS_AHEAD",
        "dbt var `quarantine_years_ahead`: a publication year more than this after its delivery's as-of year "
        "is implausible (quarantined)",
        1,
    )
    # Publication-side quality warnings (stiwatch.quality): the largest acceptable share per year.
    dq_max_share_without_addresses: float = setting(
        "STIWATCH_DQ_MAX_SHARE_WITHOUT_ADDRESSES",
        "quality warning: WoS records without addresses per year",
        0.05,
    )
    dq_max_share_unmapped_countries: float = setting(
        "STIWATCH_DQ_MAX_SHARE_UNMAPPED_COUNTRIES",
        "quality warning: WoS addresses with an unmapped country string per year",
        0.02,
    )
    dq_max_share_openalex_without_country: float = setting(
        "STIWATCH_DQ_MAX_SHARE_OPENALEX_WITHOUT_COUNTRY",
        "quality warning: OpenAlex works without any institution country per year",
        0.25,
    )
    dq_max_share_out_of_scope: float = setting(
        "STIWATCH_DQ_MAX_SHARE_OUT_OF_SCOPE",
        "quality warning: records dropped by the scope filter per year",
        0.5,
    )
    institution_fuzzy_threshold: float = setting(
        "STIWATCH_INSTITUTION_FUZZY_THRESHOLD",
        "institution matching: least similarity (0-1, rapidfuzz token-sort ratio) for a fuzzy match to a ROR "
        "name, tuned on the development part of the gold set (`stiwatch ror-report`); higher is more precise",
        INSTITUTION_FUZZY_THRESHOLD,
    )
    dq_min_institution_resolution: float = setting(
        "STIWATCH_DQ_MIN_INSTITUTION_RESOLUTION",
        "quality warning: share of affiliations resolved to a known institution",
        0.5,
    )
    # Ingest work items (stiwatch.ingest.plan_groups): bytes of landing files per mapped task, and how many
    # such tasks one DAG run runs at once (read when the DAG is parsed).
    ingest_task_bytes: int = setting(
        "STIWATCH_INGEST_TASK_BYTES",
        "`ingest.plan_groups`: landing bytes per mapped ingest task (files never split, groups never span "
        "snapshots; a larger file is a task alone), so a 400 GB OpenAlex snapshot makes about 200 tasks",
        2_000_000_000,
    )
    ingest_parallelism: int = setting(
        "STIWATCH_INGEST_PARALLELISM",
        "ingest tasks one DAG run runs at once (`max_active_tis_per_dagrun`, read when the DAG is parsed); "
        "also the least number of groups per snapshot (when it has that many files)",
        2,
    )
    warehouse_lock_wait: float = setting(
        "STIWATCH_WAREHOUSE_LOCK_WAIT",
        "seconds a dbt run waits for another writer of the warehouse to finish (the lock file "
        "`warehouse.duckdb.writer.lock` names the holder) before it fails",
        600.0,
    )
    allowed_link_roots: tuple[Path, ...] = setting(
        "STIWATCH_ALLOWED_LINK_ROOTS",
        "folders outside the data root that symlinks in the landing zone may point into (`:`-separated); "
        "a link anywhere else is refused",
        (),
        shown="none (only the data root)",
    )
    # Resources of every DuckDB database the pipeline opens (dbt's warehouse, the OpenAlex ingest).
    duckdb_memory_limit: str = setting(
        "STIWATCH_DUCKDB_MEMORY_LIMIT",
        "`memory_limit` of every DuckDB database the pipeline opens (dbt's warehouse, the OpenAlex ingest), "
        "e.g. `3GB` or `512MB`",
        "3GB",
    )
    duckdb_threads: int = setting(
        "STIWATCH_DUCKDB_THREADS",
        "`threads` of every DuckDB database the pipeline opens",
        shown="the CPUs this process may use",
        default_factory=usable_cpus,
    )
    # Resources of the local Spark session dbt starts under STIWATCH_ENGINE=spark (profiles.yml, spark).
    spark_cores: int = setting(
        "STIWATCH_SPARK_CORES",
        "cores of the local Spark session (`local[N]`) dbt starts under `STIWATCH_ENGINE=spark`",
        shown="the CPUs this process may use",
        default_factory=usable_cpus,
    )
    spark_driver_memory: str = setting(
        "STIWATCH_SPARK_DRIVER_MEMORY",
        "memory of that Spark session's driver (`spark.driver.memory`, Java units: `3g`, `512m`)",
        "3g",
    )

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = Path(os.environ.get("STIWATCH_DATA_DIR") or "data").expanduser().resolve()
        warehouse = os.environ.get("STIWATCH_WAREHOUSE")
        return cls(
            data_dir=data_dir,
            warehouse_path=Path(warehouse).expanduser().resolve()
            if warehouse
            else data_dir / "warehouse.duckdb",
            engine=_env_engine("STIWATCH_ENGINE", "duckdb"),
            openalex_base_url=os.environ.get("STIWATCH_OPENALEX_BASE_URL") or "https://api.openalex.org",
            openalex_mailto=os.environ.get("STIWATCH_OPENALEX_MAILTO") or None,
            openalex_api_key=os.environ.get("STIWATCH_OPENALEX_API_KEY") or None,
            openalex_filter=os.environ.get("STIWATCH_OPENALEX_FILTER", "").strip() or DEFAULT_OPENALEX_FILTER,
            first_year=_env_int("STIWATCH_FIRST_YEAR", 2011),
            cn_includes_hk_mo=_env_bool("STIWATCH_CN_INCLUDES_HK_MO", True),
            serving_keep_releases=_env_int("STIWATCH_SERVING_KEEP_RELEASES", 3),
            nowcast_z=_env_float("STIWATCH_NOWCAST_Z", 1.645),
            changes_notable_relative=_env_float("STIWATCH_CHANGES_NOTABLE_RELATIVE", 0.1),
            changes_notable_min_count=_env_int("STIWATCH_CHANGES_NOTABLE_MIN_COUNT", 10),
            changes_notable_ranks=_env_int("STIWATCH_CHANGES_NOTABLE_RANKS", 3),
            keep_snapshots=_env_int("STIWATCH_KEEP_SNAPSHOTS", 3),
            include_utility_models=_env_bool("STIWATCH_INCLUDE_UTILITY_MODELS", False),
            impute_patent_countries=_env_bool("STIWATCH_IMPUTE_PATENT_COUNTRIES", False),
            scope_filter=_env_scope_filter("STIWATCH_SCOPE_FILTER", "per_source"),
            scope_version=os.environ.get("STIWATCH_SCOPE_VERSION", "").strip() or "v1",
            sensitive_topics_version=os.environ.get("STIWATCH_SENSITIVE_TOPICS_VERSION", "").strip() or "v1",
            roll_up_institutions=_env_bool("STIWATCH_ROLL_UP_INSTITUTIONS", False),
            indicator_min_score=_env_float("STIWATCH_INDICATOR_MIN_SCORE", 0.9),
            completeness_ratio=_env_float("STIWATCH_COMPLETENESS_RATIO", 0.9),
            completeness_noise_sigmas=_env_float("STIWATCH_COMPLETENESS_NOISE_SIGMAS", 2.0),
            cross_edition_ratio=_env_float("STIWATCH_CROSS_EDITION_RATIO", 0.95),
            patstat_lag_years=_env_int("STIWATCH_PATSTAT_LAG_YEARS", 2),
            gate_max_record_drop=_env_float("STIWATCH_GATE_MAX_RECORD_DROP", 0.2),
            gate_max_region_year_drop=_env_float("STIWATCH_GATE_MAX_REGION_YEAR_DROP", 0.5),
            gate_min_count=_env_int("STIWATCH_GATE_MIN_COUNT", 50),
            quarantine_min_year=_env_int("STIWATCH_QUARANTINE_MIN_YEAR", 1900),
            quarantine_years_ahead=_env_int("STIWATCH_QUARANTINE_YEARS_AHEAD", 1),
            dq_max_share_without_addresses=_env_float("STIWATCH_DQ_MAX_SHARE_WITHOUT_ADDRESSES", 0.05),
            dq_max_share_unmapped_countries=_env_float("STIWATCH_DQ_MAX_SHARE_UNMAPPED_COUNTRIES", 0.02),
            dq_max_share_openalex_without_country=_env_float(
                "STIWATCH_DQ_MAX_SHARE_OPENALEX_WITHOUT_COUNTRY", 0.25
            ),
            dq_max_share_out_of_scope=_env_float("STIWATCH_DQ_MAX_SHARE_OUT_OF_SCOPE", 0.5),
            institution_fuzzy_threshold=_env_share(
                "STIWATCH_INSTITUTION_FUZZY_THRESHOLD", INSTITUTION_FUZZY_THRESHOLD
            ),
            dq_min_institution_resolution=_env_float("STIWATCH_DQ_MIN_INSTITUTION_RESOLUTION", 0.5),
            ingest_task_bytes=_env_int("STIWATCH_INGEST_TASK_BYTES", 2_000_000_000),
            ingest_parallelism=_env_int("STIWATCH_INGEST_PARALLELISM", 2),
            duckdb_memory_limit=os.environ.get("STIWATCH_DUCKDB_MEMORY_LIMIT", "").strip()
            or DEFAULT_MEMORY_LIMIT,
            duckdb_threads=_env_int("STIWATCH_DUCKDB_THREADS", usable_cpus()),
            spark_cores=_env_int("STIWATCH_SPARK_CORES", usable_cpus()),
            spark_driver_memory=os.environ.get("STIWATCH_SPARK_DRIVER_MEMORY", "").strip() or "3g",
            warehouse_lock_wait=_env_float("STIWATCH_WAREHOUSE_LOCK_WAIT", 600.0),
            allowed_link_roots=tuple(
                Path(p).expanduser().resolve()
                for p in os.environ.get("STIWATCH_ALLOWED_LINK_ROOTS", "").split(os.pathsep)
                if p.strip()
            ),
        )

    def __post_init__(self) -> None:
        if self.serving_keep_releases < 1:
            raise ValueError(
                f"STIWATCH_SERVING_KEEP_RELEASES={self.serving_keep_releases}: keep at least 1 release "
                "(the current one)"
            )
        if self.ingest_task_bytes < 1 or self.ingest_parallelism < 1:
            raise ValueError(
                f"STIWATCH_INGEST_TASK_BYTES={self.ingest_task_bytes}, STIWATCH_INGEST_PARALLELISM="
                f"{self.ingest_parallelism}: both must be at least 1"
            )
        if self.keep_snapshots < 1:
            raise ValueError(
                f"STIWATCH_KEEP_SNAPSHOTS={self.keep_snapshots}: keep at least 1 snapshot state per source "
                "(the current one)"
            )
        for name, share in (
            ("STIWATCH_GATE_MAX_RECORD_DROP", self.gate_max_record_drop),
            ("STIWATCH_GATE_MAX_REGION_YEAR_DROP", self.gate_max_region_year_drop),
        ):
            if not 0 <= share <= 1:
                raise ValueError(f"{name}={share}: a share of the previous count, from 0 to 1")
        if not _MEMORY_LIMIT_RE.match(self.duckdb_memory_limit):
            raise ValueError(
                f"STIWATCH_DUCKDB_MEMORY_LIMIT={self.duckdb_memory_limit!r} is not a DuckDB memory size: "
                "use a number and a unit, e.g. 3GB or 512MB"
            )
        if self.duckdb_threads < 1:
            raise ValueError(f"STIWATCH_DUCKDB_THREADS={self.duckdb_threads}: use at least 1 thread")
        if self.spark_cores < 1:
            raise ValueError(f"STIWATCH_SPARK_CORES={self.spark_cores}: use at least 1 core")
        if not re.fullmatch(r"[1-9][0-9]*[kmgt]", self.spark_driver_memory):
            raise ValueError(
                f"STIWATCH_SPARK_DRIVER_MEMORY={self.spark_driver_memory!r} is not a Java memory size: "
                "use a number and k, m, g or t, e.g. 3g or 512m"
            )

    @property
    def landing_dir(self) -> Path:
        return self.data_dir / "landing"

    @property
    def lake_dir(self) -> Path:
        return self.data_dir / "lake"

    @property
    def quality_results_dir(self) -> Path:
        """One Parquet file of findings per quality run (read by dbt into ``dq_results``)."""
        return self.data_dir / "quality" / "results"

    @property
    def reports_dir(self) -> Path:
        return self.data_dir / "reports"

    @property
    def spark_warehouse_dir(self) -> Path:
        """Spark's ``spark.sql.warehouse.dir`` under STIWATCH_ENGINE=spark: one Parquet folder per table."""
        return self.data_dir / "spark" / "warehouse"

    @property
    def build_record_path(self) -> Path:
        """The record of the last successful dbt build (stiwatch.build_plan), beside the warehouse: what the
        next build compares with, and (dbt var build_record) what its data tests need not check again."""
        return self.data_dir / "warehouse_build.json"

    @property
    def dbt_state_dir(self) -> Path:
        """dbt's own state under the data root, not in the project: target/ and logs/ of the runs outside
        Airflow (stiwatch.dbt_runner), the Cosmos tasks' partial-parse cache, the docs' target. Two data
        roots never share a manifest or partial-parse file, and the project folder can be read-only."""
        return self.data_dir / "dbt"

    @property
    def lake_index_path(self) -> Path:
        """The lake's manifests frozen into one JSON-lines file before each build: the deliveries dbt reads
        (stiwatch.lake_index)."""
        return self.data_dir / "lake_index" / "manifests.jsonl"

    @property
    def spark_metastore_dir(self) -> Path:
        """Where the local Spark session keeps its catalog (Derby): the data root, not the working folder."""
        return self.data_dir / "spark" / "metastore"

    def duckdb_config(self) -> dict[str, str]:
        """``duckdb.connect(config=...)`` options: the memory limit and threads of every DuckDB database."""
        return {"memory_limit": self.duckdb_memory_limit, "threads": str(self.duckdb_threads)}

    def dbt_vars(self) -> dict[str, object]:
        """The counting settings handed to dbt (recorded on every mart row).

        Validated here (the ``_env_*`` readers), typed in the JSON --vars; the dbt macros in
        macros/utils/settings.sql only guard what they render, for dbt run by hand (see the note there).
        """
        return {
            "lake_dir": str(self.lake_dir),
            # The manifests dbt counts (macros/lake/lake_manifests.sql); reference data such as ROR is not.
            "counted_sources": list(SOURCES),
            "quality_results_dir": str(self.quality_results_dir),
            "lake_index": str(self.lake_index_path),
            "build_record": str(self.build_record_path),
            "first_year": self.first_year,
            "keep_snapshots": self.keep_snapshots,
            "cn_includes_hk_mo": self.cn_includes_hk_mo,
            "include_utility_models": self.include_utility_models,
            "patstat_impute_countries": self.impute_patent_countries,
            "scope_filter": self.scope_filter,
            "scope_version": self.scope_version,
            "sensitive_topics_version": self.sensitive_topics_version,
            "roll_up_institutions": self.roll_up_institutions,
            "completeness_ratio": self.completeness_ratio,
            "completeness_noise_sigmas": self.completeness_noise_sigmas,
            "cross_edition_ratio": self.cross_edition_ratio,
            "patstat_lag_years": self.patstat_lag_years,
            "nowcast_z": self.nowcast_z,
            "gate_max_record_drop": self.gate_max_record_drop,
            "gate_max_region_year_drop": self.gate_max_region_year_drop,
            "gate_min_count": self.gate_min_count,
            "quarantine_min_year": self.quarantine_min_year,
            "quarantine_years_ahead": self.quarantine_years_ahead,
        }
