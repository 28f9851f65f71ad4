"""Build the static figures report of a serving release: ``reports/figures/index.html`` + one SVG per figure,
and the "Watch list" page ``watchlist.html`` beside it (``stiwatch.report.watchlist``).

Fully static and offline: the SVGs are rendered here (vl-convert, no browser) and inlined in the page, no
JavaScript or CDN. Text from the data is escaped: Jinja2 autoescaping for the page, SVG escaping by
vl-convert inside the figures.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from stiwatch.config import Settings
from stiwatch.publish.changes import CHANGES_FILE, describe_change
from stiwatch.publish.layout import RELEASE_FILE, SERVING_FILE
from stiwatch.publish.switch import replace_directory
from stiwatch.report.catalogue import FIGURES, FigureSpec
from stiwatch.report.watchlist import SORTS, load_watch
from stiwatch.report.watchlist import TOP_N as WATCH_TOP_N

log = logging.getLogger(__name__)
# Notable changes listed in "What changed" (all of them are in fct_release_changes).
CHANGES_SHOWN = 12

# The "Watch list" page beside the figures (stiwatch.report.watchlist).
WATCH_PAGE = "watchlist.html"
WATCH_TEMPLATE = "watchlist.html.j2"


@dataclass(frozen=True)
class RenderedFigure:
    spec: FigureSpec
    svg: str | None
    note: str | None
    marking: str | None
    table: list[dict[str, Any]]
    expected_note: str | None = None


def figures_dir(settings: Settings) -> Path:
    return settings.reports_dir / "figures"


def build_report(settings: Settings, release_dir: Path) -> Path:
    """Render every figure of the release and swap the report folder in; return the page's path."""
    import duckdb

    release = _read_release(release_dir)
    final = figures_dir(settings)
    final.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=".figures.new-", dir=final.parent))
    try:
        with duckdb.connect(str(release_dir / SERVING_FILE), read_only=True) as con:
            rendered = [_render(spec, con, staged) for spec in FIGURES]
            watch_sources, watch_entries, watch_missing = load_watch(con)
        page = _page_template().render(
            release=release,
            changes=what_changed(release_dir),
            figures=rendered,
            generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        (staged / "index.html").write_text(page, encoding="utf-8")
        watch_page = _page_template(WATCH_TEMPLATE).render(
            release=release, sources=watch_sources, entries=watch_entries, missing=watch_missing,
            sorts=SORTS, top_n=WATCH_TOP_N, generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )  # fmt: skip
        (staged / WATCH_PAGE).write_text(watch_page, encoding="utf-8")
        staged.chmod(0o755)
        replace_directory(staged, final)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    log.info("figures report of release %s: %s", release["release_id"], final / "index.html")
    return final / "index.html"


def what_changed(release_dir: Path) -> dict[str, Any] | None:
    """The release's changelog (release_changes.json, written at publish) with the notable changes in
    words; None for a release published before changelogs existed."""
    path = release_dir / CHANGES_FILE
    if not path.exists():
        return None
    changes = json.loads(path.read_text(encoding="utf-8"))
    notable = changes["notable"][:CHANGES_SHOWN]
    return {**changes, "shown": [{**change, "words": describe_change(change)} for change in notable]}


def _read_release(release_dir: Path) -> dict[str, Any]:
    path = release_dir / RELEASE_FILE
    if not path.exists():
        raise FileNotFoundError(
            f"{path}: not a serving release (no {RELEASE_FILE}); run `stiwatch publish` first"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def _render(spec: FigureSpec, con: Any, out_dir: Path) -> RenderedFigure:
    import vl_convert

    figure_data = spec.load(con)
    if figure_data.rows is None:
        return RenderedFigure(spec, None, f"{figure_data.mart} is not in this release.", None, [])
    if figure_data.rows.empty:
        note = f"{figure_data.mart} has no rows for the current snapshot of any source."
        return RenderedFigure(spec, None, note, figure_data.marking, [])
    svg = vl_convert.vegalite_to_svg(spec.draw(figure_data.rows).to_dict())
    (out_dir / f"{spec.figure_id}.svg").write_text(svg, encoding="utf-8")
    table = []
    if spec.table:
        shown = figure_data.rows[[column for column, _ in spec.table]]
        # Missing values (NaN, pd.NA) print as empty cells, not "nan".
        table = shown.astype(object).where(shown.notna(), None).to_dict("records")
    return RenderedFigure(spec, svg, None, figure_data.marking, table, figure_data.expected_note)


def _page_template(name: str = "index.html.j2") -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined
    from markupsafe import Markup

    # autoescape=True: the template's name ends in .j2, which select_autoescape would not recognise.
    env = Environment(
        loader=PackageLoader("stiwatch.report", "templates"), autoescape=True, undefined=StrictUndefined
    )
    # SVG from vl-convert is markup we produced (its texts are already escaped), not data.
    env.filters["trusted_svg"] = Markup
    return env.get_template(name)
