"""Settings from environment variables, with documented defaults (see docs/ARCHITECTURE.md).

Every function in the package takes a ``Settings`` (or explicit paths) so that DAG tasks, the CLI and
tests call the same code. Secrets (the OpenAlex API key) are only ever read from the environment.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
# dbt selection that brings the quality step's findings files into the mart dq_results (run right after
# each quality run): the model and its staging view, with their tests.
DQ_RESULTS_SELECTION = "+dq_results"

SOURCES = ("wos", "openalex", "patstat")

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


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask, e.g. a container's share), not the host's count."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@dataclass(frozen=True)
class Settings:
    """Where data lives and how it is counted. Build with ``Settings.from_env()``."""

    data_dir: Path
    warehouse_path: Path
    openalex_base_url: str = "https://api.openalex.org"
    openalex_mailto: str | None = None
    openalex_api_key: str | None = field(default=None, repr=False)
    openalex_filter: str = DEFAULT_OPENALEX_FILTER
    first_year: int = 2011
    cn_includes_hk_mo: bool = True
    serving_keep_releases: int = 3
    # States per source counted in the marts (dbt var keep_snapshots); the lake keeps every delivery.
    keep_snapshots: int = 3
    include_utility_models: bool = False
    impute_patent_countries: bool = False
    scope_filter: str = "per_source"
    scope_version: str = "v1"
    # Completeness of years (METHOD.md "Completeness", dbt model int_year_completeness).
    completeness_ratio: float = 0.9
    completeness_noise_sigmas: float = 2.0
    cross_edition_ratio: float = 0.95
    patstat_lag_years: int = 2
    # Publication-side quality warnings (stiwatch.quality): the largest acceptable share per year.
    dq_max_share_without_addresses: float = 0.05
    dq_max_share_unmapped_countries: float = 0.02
    dq_max_share_openalex_without_country: float = 0.25
    dq_max_share_out_of_scope: float = 0.5
    dq_min_institution_resolution: float = 0.5
    # Ingest work items (stiwatch.ingest.plan_groups): bytes of landing files per mapped task, and how many
    # such tasks one DAG run runs at once (read when the DAG is parsed).
    ingest_task_bytes: int = 2_000_000_000
    ingest_parallelism: int = 2
    # Resources of every DuckDB database the pipeline opens (dbt's warehouse, the OpenAlex ingest).
    duckdb_memory_limit: str = "3GB"
    duckdb_threads: int = field(default_factory=usable_cpus)

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = Path(os.environ.get("STIWATCH_DATA_DIR") or "data").expanduser().resolve()
        warehouse = os.environ.get("STIWATCH_WAREHOUSE")
        return cls(
            data_dir=data_dir,
            warehouse_path=Path(warehouse).expanduser().resolve()
            if warehouse
            else data_dir / "warehouse.duckdb",
            openalex_base_url=os.environ.get("STIWATCH_OPENALEX_BASE_URL") or "https://api.openalex.org",
            openalex_mailto=os.environ.get("STIWATCH_OPENALEX_MAILTO") or None,
            openalex_api_key=os.environ.get("STIWATCH_OPENALEX_API_KEY") or None,
            openalex_filter=os.environ.get("STIWATCH_OPENALEX_FILTER", "").strip() or DEFAULT_OPENALEX_FILTER,
            first_year=_env_int("STIWATCH_FIRST_YEAR", 2011),
            cn_includes_hk_mo=_env_bool("STIWATCH_CN_INCLUDES_HK_MO", True),
            serving_keep_releases=_env_int("STIWATCH_SERVING_KEEP_RELEASES", 3),
            keep_snapshots=_env_int("STIWATCH_KEEP_SNAPSHOTS", 3),
            include_utility_models=_env_bool("STIWATCH_INCLUDE_UTILITY_MODELS", False),
            impute_patent_countries=_env_bool("STIWATCH_IMPUTE_PATENT_COUNTRIES", False),
            scope_filter=_env_scope_filter("STIWATCH_SCOPE_FILTER", "per_source"),
            scope_version=os.environ.get("STIWATCH_SCOPE_VERSION", "").strip() or "v1",
            completeness_ratio=_env_float("STIWATCH_COMPLETENESS_RATIO", 0.9),
            completeness_noise_sigmas=_env_float("STIWATCH_COMPLETENESS_NOISE_SIGMAS", 2.0),
            cross_edition_ratio=_env_float("STIWATCH_CROSS_EDITION_RATIO", 0.95),
            patstat_lag_years=_env_int("STIWATCH_PATSTAT_LAG_YEARS", 2),
            dq_max_share_without_addresses=_env_float("STIWATCH_DQ_MAX_SHARE_WITHOUT_ADDRESSES", 0.05),
            dq_max_share_unmapped_countries=_env_float("STIWATCH_DQ_MAX_SHARE_UNMAPPED_COUNTRIES", 0.02),
            dq_max_share_openalex_without_country=_env_float(
                "STIWATCH_DQ_MAX_SHARE_OPENALEX_WITHOUT_COUNTRY", 0.25
            ),
            dq_max_share_out_of_scope=_env_float("STIWATCH_DQ_MAX_SHARE_OUT_OF_SCOPE", 0.5),
            dq_min_institution_resolution=_env_float("STIWATCH_DQ_MIN_INSTITUTION_RESOLUTION", 0.5),
            ingest_task_bytes=_env_int("STIWATCH_INGEST_TASK_BYTES", 2_000_000_000),
            ingest_parallelism=_env_int("STIWATCH_INGEST_PARALLELISM", 2),
            duckdb_memory_limit=os.environ.get("STIWATCH_DUCKDB_MEMORY_LIMIT", "").strip() or "3GB",
            duckdb_threads=_env_int("STIWATCH_DUCKDB_THREADS", usable_cpus()),
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
        if not _MEMORY_LIMIT_RE.match(self.duckdb_memory_limit):
            raise ValueError(
                f"STIWATCH_DUCKDB_MEMORY_LIMIT={self.duckdb_memory_limit!r} is not a DuckDB memory size: "
                "use a number and a unit, e.g. 3GB or 512MB"
            )
        if self.duckdb_threads < 1:
            raise ValueError(f"STIWATCH_DUCKDB_THREADS={self.duckdb_threads}: use at least 1 thread")

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
            "quality_results_dir": str(self.quality_results_dir),
            "first_year": self.first_year,
            "keep_snapshots": self.keep_snapshots,
            "cn_includes_hk_mo": self.cn_includes_hk_mo,
            "include_utility_models": self.include_utility_models,
            "patstat_impute_countries": self.impute_patent_countries,
            "scope_filter": self.scope_filter,
            "scope_version": self.scope_version,
            "completeness_ratio": self.completeness_ratio,
            "completeness_noise_sigmas": self.completeness_noise_sigmas,
            "cross_edition_ratio": self.cross_edition_ratio,
            "patstat_lag_years": self.patstat_lag_years,
        }
