"""The release changelog: what moved between the previous release and a new one, and why.

Computed at publish, in DuckDB SQL over the two serving files (the previous release attached read-only,
the new one being built), never per row in Python; the result is the table ``fct_release_changes`` of the
new release (serving file and Parquet) and ``release_changes.json`` beside ``release.json``.

What is compared (``TRACKED``): the headline measures of the current snapshot (edition) of each source,
row by row on the mart's key; a row only in one release is listed with the other value NULL. Why a row
moved is attributed per source from what the releases record: the source's current snapshot (a new
snapshot / OpenAlex state, a new PATSTAT edition, the same snapshot re-ingested), the counting settings
on ``dim_snapshot``, the dbt vars, the seed files, the dbt code and the institution-matching inputs
(``build_plan.input_digests``, stored in ``release.json`` ``inputs``). Every input that changed for the
source is named; "unexplained" means none did (which a test treats as a bug).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from stiwatch.config import Settings
from stiwatch.publish.layout import NOT_SETTINGS, RELEASE_FILE, SERVING_FILE, SNAPSHOT_MART

CHANGES_MART = "fct_release_changes"
CHANGES_FILE = "release_changes.json"
PREVIOUS = "previous_release"
NEW = "new_release"
# dbt vars that say where files are, not how anything is counted.
PATH_VARS = ("lake_dir", "quality_results_dir")
# How many notable changes release_changes.json lists (the table holds every change).
JSON_NOTABLE_LIMIT = 200


@dataclass(frozen=True)
class Tracked:
    """A mart's measures compared between releases, on its current rows, by ``keys`` (besides source)."""

    mart: str
    current_flag: str
    keys: tuple[str, ...]
    measures: tuple[tuple[str, str], ...]  # (column, kind): kind is count, rank or share


TRACKED: tuple[Tracked, ...] = (
    Tracked(
        "fct_region_pair_output",
        "is_current_snapshot",
        ("pub_year", "region_pair"),
        (("copublications", "count"),),
    ),
    Tracked("fct_region_output", "is_current_snapshot", ("pub_year", "region"), (("publications", "count"),)),
    Tracked(
        "fct_copatent_output",
        "is_current_edition",
        ("filing_year", "region_pair", "basis"),
        (("copatent_families", "count"),),
    ),
    Tracked(
        "fct_top_institutions",
        "is_current_snapshot",
        ("period", "side", "variant", "institution_key"),
        (("institution_rank", "rank"), ("copublications", "count")),
    ),
    Tracked(
        "fct_top_applicants",
        "is_current_edition",
        ("side", "applicant_name"),
        (("applicant_rank", "rank"), ("copatent_families", "count")),
    ),
    Tracked(
        "fct_field_shares",
        "is_current_snapshot",
        ("period", "pub_year", "region_pair", "field_group"),
        (("share_of_pair", "share"),),
    ),
    Tracked(
        "dq_publication_coverage",
        "is_current_snapshot",
        ("pub_year",),
        (
            ("publications_without_affiliations", "count"),
            ("unknown_country_affiliations", "count"),
        ),
    ),
)

CHANGES_COLUMNS = """
    release_id varchar not null, previous_release_id varchar, mart varchar not null, source varchar not null,
    key_columns varchar not null, key_values varchar not null, measure varchar not null,
    measure_kind varchar not null, old_value double, new_value double, absolute_change double,
    relative_change double, is_notable boolean not null, why varchar not null
"""


@dataclass(frozen=True)
class Changelog:
    """What a publish needs to compare the release it builds with the previous one."""

    release_id: str
    previous_dir: Path | None
    inputs: dict[str, Any]
    thresholds: Thresholds


@dataclass(frozen=True)
class Thresholds:
    relative: float
    min_count: int
    ranks: int

    @classmethod
    def from_settings(cls, settings: Settings) -> Thresholds:
        return cls(
            relative=settings.changes_notable_relative,
            min_count=settings.changes_notable_min_count,
            ranks=settings.changes_notable_ranks,
        )


def _columns(con: Any, catalog: str, table: str) -> set[str]:
    rows = con.execute(
        "select column_name from information_schema.columns "
        "where table_catalog = ? and table_schema = 'main' and table_name = ?",
        [catalog, table],
    ).fetchall()
    return {name for (name,) in rows}


def _current_rows(tracked: Tracked, catalog: str) -> str:
    keys = ", ".join(f'cast("{k}" as varchar) as "{k}"' for k in tracked.keys)
    measures = ", ".join(f'cast("{m}" as double) as "{m}"' for m, _ in tracked.measures)
    return (
        f'select source, {keys}, {measures} from {catalog}.main."{tracked.mart}" '
        f'where "{tracked.current_flag}"'
    )


def _mart_changes_sql(tracked: Tracked, new_catalog: str) -> str:
    """One select of every (row, measure) whose value differs (NULL on one side: the row is new or gone)."""
    join = " and ".join(
        ["old.source = new.source", *(f'old."{k}" is not distinct from new."{k}"' for k in tracked.keys)]
    )
    key_values = " || ', ' || ".join(f'coalesce(new."{k}", old."{k}", \'NULL\')' for k in tracked.keys)
    selects = []
    for measure, kind in tracked.measures:
        # Doubles are compared rounded: a sum added up in another order is not a change. A count or share
        # without a row is 0 (the yearly and field marts are dense): a new year or pair of zeros is not a
        # change; a rank without a row is "not ranked", which is one.
        old_value, new_value = f'round(old."{measure}", 9)', f'round(new."{measure}", 9)'
        if kind != "rank":
            old_value, new_value = f"coalesce({old_value}, 0)", f"coalesce({new_value}, 0)"
        selects.append(
            f"select '{tracked.mart}' as mart, coalesce(new.source, old.source) as source, "
            f"'{', '.join(tracked.keys)}' as key_columns, {key_values} as key_values, "
            f"'{measure}' as measure, '{kind}' as measure_kind, "
            f'old."{measure}" as old_value, new."{measure}" as new_value '
            f"from ({_current_rows(tracked, PREVIOUS)}) as old "
            f"full outer join ({_current_rows(tracked, new_catalog)}) as new on {join} "
            f"where {old_value} is distinct from {new_value}"
        )
    return " union all ".join(selects)


def _notable_sql(thresholds: Thresholds) -> str:
    relative = float(thresholds.relative)
    min_count = int(thresholds.min_count)
    ranks = int(thresholds.ranks)
    return f"""
        case measure_kind
            when 'rank' then old_value is null or new_value is null or abs(absolute_change) >= {ranks}
            when 'count' then abs(coalesce(absolute_change, new_value, -old_value)) >= {min_count}
                and (old_value is null or new_value is null or old_value = 0
                     or abs(relative_change) >= {relative})
            else old_value is null or new_value is null or old_value = 0 or abs(relative_change) >= {relative}
        end
    """


def _tracked_in_both(con: Any, new_catalog: str) -> list[Tracked]:
    found = []
    for tracked in TRACKED:
        wanted = {"source", tracked.current_flag, *tracked.keys, *(m for m, _ in tracked.measures)}
        in_old = wanted <= _columns(con, PREVIOUS, tracked.mart)
        if in_old and wanted <= _columns(con, new_catalog, tracked.mart):
            found.append(tracked)
    return found


def _source_snapshots(con: Any, catalog: str) -> dict[str, dict[str, Any]]:
    """The current row of ``dim_snapshot`` per source (snapshot id, ingest time, counting settings)."""
    columns = sorted(_columns(con, catalog, SNAPSHOT_MART))
    if not columns:
        return {}
    cursor = con.execute(f"select * from {catalog}.main.{SNAPSHOT_MART} where is_current")
    names = [d[0] for d in cursor.description]
    found = {}
    for row in cursor.fetchall():
        record = dict(zip(names, row, strict=True))
        settings = {k: v for k, v in record.items() if k not in NOT_SETTINGS and v is not None}
        found[record["source"]] = {
            "snapshot_id": record["snapshot_id"],
            "kind": record.get("snapshot_kind"),
            "ingested_at": str(record.get("ingested_at")),
            "settings": settings,
        }
    return found


def _counting_vars(inputs: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in (inputs.get("dbt_vars") or {}).items() if k not in PATH_VARS}


def reasons_by_source(
    old_snapshots: dict[str, dict[str, Any]],
    new_snapshots: dict[str, dict[str, Any]],
    old_inputs: dict[str, Any],
    new_inputs: dict[str, Any],
) -> dict[str, list[str]]:
    """Every recorded input that changed between the releases and can move a number of each source."""
    common: list[str] = []
    old_vars, new_vars = _counting_vars(old_inputs), _counting_vars(new_inputs)
    changed_vars = sorted(k for k in old_vars.keys() | new_vars.keys() if old_vars.get(k) != new_vars.get(k))
    if changed_vars:
        common.append(f"settings change ({', '.join(changed_vars)})")
    old_seeds, new_seeds = old_inputs.get("seeds_sha256") or {}, new_inputs.get("seeds_sha256") or {}
    changed_seeds = sorted(
        Path(k).stem for k in old_seeds.keys() | new_seeds.keys() if old_seeds.get(k) != new_seeds.get(k)
    )
    if changed_seeds:
        common.append(f"seed change ({', '.join(changed_seeds)})")
    if old_inputs.get("code_sha256") != new_inputs.get("code_sha256"):
        common.append("code change (dbt models or macros)")
    if (old_inputs.get("institutions") or {}) != (new_inputs.get("institutions") or {}):
        common.append("institution matching change (ROR dump or alias seeds)")
    reasons = {}
    for source in sorted(old_snapshots.keys() | new_snapshots.keys()):
        old, new = old_snapshots.get(source), new_snapshots.get(source)
        own: list[str] = []
        if old is None or new is None or old["snapshot_id"] != new["snapshot_id"]:
            was = old["snapshot_id"] if old else "none"
            now = new["snapshot_id"] if new else "none"
            if source == "patstat":
                what = "new edition"
            elif (new or {}).get("kind") == "delta":
                what = "new state"
            else:
                what = "new snapshot"
            own.append(f"{what} ({was} -> {now})")
        elif old["ingested_at"] != new["ingested_at"]:
            own.append(f"snapshot re-ingested ({new['snapshot_id']})")
        # Releases without recorded dbt vars: the counting settings on dim_snapshot tell it instead.
        if old and new and old["settings"] != new["settings"] and not changed_vars:
            keys = sorted(k for k in old["settings"].keys() | new["settings"].keys()
                          if old["settings"].get(k) != new["settings"].get(k))  # fmt: skip
            own.append(f"settings change ({', '.join(keys)})")
        reasons[source] = own + common
    return reasons


def write_release_changes(con: Any, parquet_path: Path, changelog: Changelog) -> dict[str, Any]:
    """Create ``main.fct_release_changes`` in the serving file being built (``con``), copy it to
    ``parquet_path``, and return the summary written to ``release_changes.json``."""
    con.execute(f"create table main.{CHANGES_MART} ({CHANGES_COLUMNS})")
    previous_dir = changelog.previous_dir
    if previous_dir is None or not (previous_dir / SERVING_FILE).exists():
        con.execute(f"copy main.{CHANGES_MART} to '{_sql_text(parquet_path)}' (format parquet)")
        return {"release_id": changelog.release_id, "previous_release_id": None, "first_release": True,
                "summary": "first release: nothing to compare with", "reasons": {}, "changes": 0,
                "notable_changes": 0, "by_mart": {}, "notable": [],
                "thresholds": asdict(changelog.thresholds)}  # fmt: skip
    previous = _read_release(previous_dir)
    (serving_catalog,) = con.execute("select current_database()").fetchone()
    reasons = _fill(con, serving_catalog, previous, changelog)
    con.execute(f"copy main.{CHANGES_MART} to '{_sql_text(parquet_path)}' (format parquet, compression zstd)")
    return _summary(con, changelog, previous["release_id"], reasons)


def compare_releases(new_dir: Path, old_dir: Path, thresholds: Thresholds) -> dict[str, Any]:
    """The changelog between two kept releases (``stiwatch changes --since``), computed in memory."""
    import duckdb

    new = _read_release(new_dir)
    old = _read_release(old_dir)
    with duckdb.connect() as con:
        con.execute(f"attach '{_sql_text(new_dir / SERVING_FILE)}' as {NEW} (read_only)")
        con.execute(f"create table main.{CHANGES_MART} ({CHANGES_COLUMNS})")
        changelog = Changelog(new["release_id"], old_dir, new.get("inputs") or {}, thresholds)
        reasons = _fill(con, NEW, old, changelog)
        return _summary(con, changelog, old["release_id"], reasons)


def _read_release(release_dir: Path) -> dict[str, Any]:
    path = release_dir / RELEASE_FILE
    if not path.exists() or not (release_dir / SERVING_FILE).exists():
        raise FileNotFoundError(
            f"{release_dir}: not a whole serving release (no {RELEASE_FILE} or {SERVING_FILE}); "
            "list the kept releases under serving/releases/"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def _fill(con: Any, new_catalog: str, previous: dict[str, Any], changelog: Changelog) -> dict[str, list[str]]:
    """Insert every change of the tracked measures into ``main.fct_release_changes`` (previous release:
    ``changelog.previous_dir``, whose release.json is ``previous``); return the reasons per source."""
    assert changelog.previous_dir is not None
    previous_serving = changelog.previous_dir / SERVING_FILE
    con.execute(f"attach '{_sql_text(previous_serving)}' as {PREVIOUS} (read_only)")
    try:
        reasons = reasons_by_source(
            _source_snapshots(con, PREVIOUS),
            _source_snapshots(con, new_catalog),
            previous.get("inputs") or {},
            changelog.inputs,
        )
        tracked = _tracked_in_both(con, new_catalog)
        if not tracked:
            return reasons
        changed = " union all ".join(f"({_mart_changes_sql(t, new_catalog)})" for t in tracked)
        con.execute("create or replace temp table release_reasons (source varchar, why varchar)")
        con.executemany(
            "insert into release_reasons values (?, ?)",
            [[source, "; ".join(why) or "unexplained"] for source, why in reasons.items()],
        )
        con.execute(
            f"""
            insert into main.{CHANGES_MART}
            select ?, ?, mart, source, key_columns, key_values, measure, measure_kind, old_value,
                new_value, absolute_change, relative_change, {_notable_sql(changelog.thresholds)}, why
            from (
                select changed.*, new_value - old_value as absolute_change,
                    (new_value - old_value) / nullif(abs(old_value), 0) as relative_change,
                    coalesce(release_reasons.why, 'unexplained') as why
                from ({changed}) as changed
                left join release_reasons using (source)
            )
            order by mart, source, key_values, measure
            """,
            [changelog.release_id, previous["release_id"]],
        )
        return reasons
    finally:
        con.execute(f"detach {PREVIOUS}")


def _summary(
    con: Any, changelog: Changelog, previous_id: str, reasons: dict[str, list[str]]
) -> dict[str, Any]:
    (changes, notable) = con.execute(
        f"select count(*), count(*) filter (where is_notable) from main.{CHANGES_MART}"
    ).fetchone()
    by_mart = {
        mart: {"changes": n, "notable": k}
        for mart, n, k in con.execute(
            f"select mart, count(*), count(*) filter (where is_notable) from main.{CHANGES_MART} "
            "group by mart order by mart"
        ).fetchall()
    }
    cursor = con.execute(
        f"select mart, source, key_columns, key_values, measure, measure_kind, old_value, new_value, "
        f"absolute_change, relative_change, why from main.{CHANGES_MART} where is_notable "
        "order by abs(coalesce(relative_change, 1e9)) desc, mart, source, key_values, measure limit ?",
        [JSON_NOTABLE_LIMIT],
    )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    summary = (
        "no change in the tracked measures"
        if changes == 0
        else f"{changes} changed values, {notable} notable"
    )
    return {"release_id": changelog.release_id, "previous_release_id": previous_id, "first_release": False,
            "summary": summary, "reasons": reasons, "changes": int(changes), "notable_changes": int(notable),
            "by_mart": by_mart, "notable": rows, "thresholds": asdict(changelog.thresholds)}  # fmt: skip


def describe_change(change: dict[str, Any]) -> str:
    """One notable change in words, e.g. "patstat fct_copatent_output copatent_families (2021, CN-US,
    applicant): 50 -> 70 (+40.0%), because new edition (...)"."""

    def number(value: float | None) -> str:
        if value is None:
            return "none"
        if change["measure_kind"] == "share":
            return f"{value:.1%}"
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"

    if change["old_value"] is None:
        moved = f"new row: {number(change['new_value'])}"
    elif change["new_value"] is None:
        moved = f"gone (was {number(change['old_value'])})"
    else:
        moved = f"{number(change['old_value'])} -> {number(change['new_value'])}"
        if change["relative_change"] is not None:
            moved += f" ({change['relative_change']:+.1%})"
    return (
        f"{change['source']} {change['mart']} {change['measure']} ({change['key_values']}): {moved}, "
        f"because {change['why']}"
    )


def _sql_text(path: Path) -> str:
    return str(path).replace("'", "''")


def format_changes(summary: dict[str, Any], limit: int = 30) -> str:
    """The changelog as text (``stiwatch changes``): the summary, the reasons per source, notable changes."""
    if summary["first_release"]:
        return f"release {summary['release_id']}: first release, nothing to compare with"
    head = f"release {summary['release_id']} against {summary['previous_release_id']}"
    lines = [f"{head}: {summary['summary']}"]
    for source, why in sorted(summary["reasons"].items()):
        lines.append(f"  {source}: {'; '.join(why) or 'no recorded input changed'}")
    for mart, counts in sorted(summary["by_mart"].items()):
        lines.append(f"  {mart}: {counts['changes']} changed, {counts['notable']} notable")
    if summary["notable"]:
        lines.append("notable changes:")
        lines += [f"  {describe_change(change)}" for change in summary["notable"][:limit]]
        if len(summary["notable"]) > limit:
            lines.append(f"  ... {len(summary['notable']) - limit} more in {CHANGES_MART}")
    return "\n".join(lines)
