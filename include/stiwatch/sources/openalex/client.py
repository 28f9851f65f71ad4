"""OpenAlex API client: pull ``/works`` pages into ``landing/openalex/<snapshot_id>/``.

Each response is saved exactly as received, gzip-compressed, as ``page-000001.json.gz`` ... (a saved API
page ``{"meta", "results"}``), so the ingest reads API pulls and hand-saved pages the same way.

- Paging: cursor paging (``cursor=*``, then ``meta.next_cursor``) with ``per_page=200``.
- Scope: ``Settings.openalex_filter`` (``STIWATCH_OPENALEX_FILTER``, default in stiwatch.config: the
  brief's big-data-related subfields from 2011 on). ``from_updated_date`` is appended to it as
  ``from_updated_date:YYYY-MM-DD``.
- Politeness and secrets: ``mailto`` and ``api_key`` come from ``Settings``; the key is never logged and is
  redacted from error messages (also from urllib3's debug request lines while a pull runs).
- Failures: 429, 5xx, timeouts and connection errors are retried with exponential backoff and jitter,
  honouring ``Retry-After`` (seconds, capped), up to ``MAX_ATTEMPTS`` per page; then ``OpenAlexPullError``.
- Resumable: after each page is written (atomically) ``_pull_state.json`` records the cursor of the next
  page; a re-run with the same snapshot id continues from there (and refuses other filters). When the API
  returns no next cursor, ``_snapshot.json`` (``as_of`` = the day the pull started, so the next incremental
  pull overlaps rather than misses changes made during this one) and ``_PULL_COMPLETE`` are written. Until
  then the ingest skips the folder.
- Base and deltas: a pull without ``from_updated_date`` is a ``full`` delivery (a new base); one with it is a
  ``delta`` (``kind`` and ``base`` in ``_snapshot.json``, see the landing contract). ``pull_incremental``
  lands the first pull (or a forced ``full=True`` re-pull) as a full, later ones as deltas from the
  ``as_of`` of the newest completed pull or full delivery (a full snapshot landed by hand counts) onto its
  base.
"""

from __future__ import annotations

import gzip
import json
import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import requests

from stiwatch import atomic_io, landing
from stiwatch.config import Settings
from stiwatch.progress import Progress, track

log = logging.getLogger(__name__)

SOURCE = "openalex"
PER_PAGE = 200
MAX_ATTEMPTS = 6
BACKOFF_BASE_SECONDS = 1.0
BACKOFF_CAP_SECONDS = 60.0
RETRY_AFTER_CAP_SECONDS = 300.0
TIMEOUT_SECONDS = (10.0, 120.0)  # (connect, read)
_RETRY_STATUSES = frozenset({429, *range(500, 600)})


class OpenAlexPullError(RuntimeError):
    """A pull failed or cannot continue; the message says why and what to do (never holds the API key)."""


@dataclass(frozen=True)
class PullState:
    next_cursor: str | None
    pages_written: int
    filters: str
    from_updated_date: str | None
    started_on: str
    base: str | None = None  # a delta's base snapshot id (None: full, or resolved by the landing rule)

    @classmethod
    def read(cls, path: Path) -> PullState:
        try:
            return cls(**json.loads(path.read_text(encoding="utf-8")))
        except (json.JSONDecodeError, TypeError) as exc:
            raise OpenAlexPullError(
                f"{path}: pull state is unreadable ({exc}); delete the snapshot folder and pull again"
            ) from exc


class _Redactor(logging.Filter):
    """Masks the API key in log records (urllib3 logs full request lines at DEBUG)."""

    def __init__(self, secret: str | None) -> None:
        super().__init__()
        self.secret = secret

    def __call__(self, text: str) -> str:
        return text.replace(self.secret, "***") if self.secret else text

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secret:
            record.msg = self(record.getMessage())
            record.args = ()
        return True


@contextmanager
def _redacting_urllib3_logs(redact: _Redactor) -> Iterator[None]:
    urllib3_log = logging.getLogger("urllib3.connectionpool")
    urllib3_log.addFilter(redact)
    try:
        yield
    finally:
        urllib3_log.removeFilter(redact)


def _full_filter(filters: str, from_updated_date: date | None) -> str:
    parts = [filters.strip()] if filters.strip() else []
    if from_updated_date is not None:
        parts.append(f"from_updated_date:{from_updated_date.isoformat()}")
    return ",".join(parts)


def _retry_after_seconds(response: requests.Response) -> float | None:
    raw = response.headers.get("Retry-After", "").strip()
    try:
        return min(max(float(raw), 0.0), RETRY_AFTER_CAP_SECONDS)
    except ValueError:
        return None  # absent, or the HTTP-date form: fall back to our own backoff


def _backoff_seconds(attempt: int) -> float:
    return min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (attempt - 1)) + random.uniform(0, 1)


class _PageFetcher:
    """GETs one ``/works`` page with retries; returns the raw body and its parsed JSON."""

    def __init__(
        self,
        settings: Settings,
        filter_param: str,
        session: requests.Session,
        sleep: Callable[[float], None],
        redact: _Redactor,
    ) -> None:
        self.url = settings.openalex_base_url.rstrip("/") + "/works"
        self.base_params: dict[str, Any] = {"per_page": PER_PAGE}
        if filter_param:
            self.base_params["filter"] = filter_param
        if settings.openalex_mailto:
            self.base_params["mailto"] = settings.openalex_mailto
        if settings.openalex_api_key:
            self.base_params["api_key"] = settings.openalex_api_key
        self.session = session
        self.sleep = sleep
        self.redact = redact

    def fetch(self, cursor: str, page_no: int) -> tuple[bytes, dict[str, Any]]:
        params = {**self.base_params, "cursor": cursor}
        problem = ""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            delay: float | None = None
            try:
                response = self.session.get(self.url, params=params, timeout=TIMEOUT_SECONDS)
            except (requests.ConnectionError, requests.Timeout) as exc:
                problem = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code == 200:
                    return response.content, self._parse(response.content, page_no)
                if response.status_code not in _RETRY_STATUSES:
                    raise OpenAlexPullError(
                        self.redact(
                            f"OpenAlex answered HTTP {response.status_code} for page {page_no} "
                            f"of {self.url}: "
                            f"{response.text[:300]!r}. Check the filter, STIWATCH_OPENALEX_API_KEY and the "
                            "base URL; the pull can be re-run and resumes from this page"
                        )
                    )
                problem = f"HTTP {response.status_code}"
                delay = _retry_after_seconds(response)
            if attempt == MAX_ATTEMPTS:
                break
            delay = _backoff_seconds(attempt) if delay is None else delay
            log.warning(
                "OpenAlex page %d: %s (attempt %d/%d); retrying in %.1fs",
                page_no,
                self.redact(problem),
                attempt,
                MAX_ATTEMPTS,
                delay,
            )
            self.sleep(delay)
        raise OpenAlexPullError(
            self.redact(
                f"OpenAlex page {page_no} of {self.url} failed {MAX_ATTEMPTS} times (last: {problem}). "
                "Pages so far are saved: re-run the pull with the same snapshot id to resume"
            )
        )

    def _parse(self, body: bytes, page_no: int) -> dict[str, Any]:
        try:
            page = json.loads(body)
        except ValueError as exc:
            raise OpenAlexPullError(
                f"OpenAlex page {page_no} of {self.url} is not JSON ({exc}); re-run the pull to resume"
            ) from exc
        if not isinstance(page, dict) or not isinstance(page.get("results"), list) or "meta" not in page:
            raise OpenAlexPullError(
                f"OpenAlex page {page_no} of {self.url} has no meta/results; check the base URL and filter"
            )
        return page


def _start_or_resume(
    folder: Path, filters: str, from_updated_date: date | None, base: str | None
) -> PullState:
    state_path = folder / landing.PULL_STATE
    wanted_since = from_updated_date.isoformat() if from_updated_date else None
    if not state_path.exists():
        if folder.exists() and any(folder.iterdir()):
            raise OpenAlexPullError(
                f"{folder}: folder exists without {landing.PULL_STATE}; it is not a pull of ours. "
                "Choose another snapshot id"
            )
        return PullState("*", 0, filters, wanted_since, date.today().isoformat(), base)
    state = PullState.read(state_path)
    if (state.filters, state.from_updated_date) != (filters, wanted_since):
        raise OpenAlexPullError(
            f"{state_path}: this pull was started with filter {state.filters!r} and from_updated_date "
            f"{state.from_updated_date}, not {filters!r} and {wanted_since}. Re-run with the same "
            "arguments to resume, or use a new snapshot id for a different pull"
        )
    return state


def _write_page(folder: Path, page_no: int, body: bytes) -> None:
    with atomic_io.atomic_path(folder / f"page-{page_no:06d}.json.gz") as tmp:
        tmp.write_bytes(gzip.compress(body))


def _complete(folder: Path, state: PullState) -> None:
    description = f"OpenAlex API pull, filter={state.filters!r}, from_updated_date={state.from_updated_date}"
    meta: dict[str, Any] = {"as_of": state.started_on, "description": description}
    # Only works updated since a date: a delta on the corpus pulled before, never a corpus of its own.
    meta["kind"] = landing.DELTA if state.from_updated_date else landing.FULL
    if state.from_updated_date and state.base:
        meta["base"] = state.base
    atomic_io.write_json_atomic(meta, folder / landing.SNAPSHOT_META)
    with atomic_io.atomic_path(folder / landing.PULL_COMPLETE) as tmp:
        tmp.write_text(f"{state.pages_written} pages\n", encoding="utf-8")


def pull_works(
    settings: Settings,
    snapshot_id: str,
    filters: str,
    from_updated_date: date | None = None,
    max_pages: int | None = None,
    *,
    base: str | None = None,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Path:
    """Pull works into ``landing/openalex/<snapshot_id>/``; resume an unfinished pull; return the folder.

    With ``from_updated_date`` the pull lands as a delta onto ``base`` (None: the landing rule picks the
    newest earlier full). ``max_pages`` bounds the pages fetched by this call (the pull stays resumable);
    ``sleep`` is injectable so tests do not wait.
    """
    if not landing.SNAPSHOT_ID_RE.match(snapshot_id):
        raise OpenAlexPullError(
            f"snapshot id {snapshot_id!r}: may only hold letters, digits, '_', '-', '.' and '='"
        )
    folder = settings.landing_dir / SOURCE / snapshot_id
    state = _start_or_resume(folder, filters, from_updated_date, base)
    if (folder / landing.PULL_COMPLETE).exists():
        log.info("OpenAlex pull %s is already complete (%d pages)", snapshot_id, state.pages_written)
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    redact = _Redactor(settings.openalex_api_key)
    pages_this_run = 0
    with ExitStack() as stack:
        http = session or stack.enter_context(requests.Session())  # close only a session we opened
        stack.enter_context(_redacting_urllib3_logs(redact))
        progress = stack.enter_context(track(f"pull openalex/{snapshot_id}"))
        fetcher = _PageFetcher(settings, _full_filter(filters, from_updated_date), http, sleep, redact)
        while state.next_cursor is not None:
            if max_pages is not None and pages_this_run >= max_pages:
                log.info(
                    "OpenAlex pull %s: stopped after %d pages (max_pages); re-run to resume",
                    snapshot_id,
                    pages_this_run,
                )
                return folder
            page_no = state.pages_written + 1
            body, page = fetcher.fetch(state.next_cursor, page_no)
            _write_page(folder, page_no, body)
            state = replace(state, next_cursor=page["meta"].get("next_cursor"), pages_written=page_no)
            atomic_io.write_json_atomic(asdict(state), folder / landing.PULL_STATE)
            pages_this_run += 1
            _advance(progress, page, already_pulled=state.pages_written - pages_this_run)
            log.debug("OpenAlex pull %s: page %d (%d works)", snapshot_id, page_no, len(page["results"]))
    _complete(folder, state)
    log.info("OpenAlex pull %s complete: %d pages", snapshot_id, state.pages_written)
    return folder


def _advance(progress: Progress, page: dict[str, Any], already_pulled: int) -> None:
    """Count one page; the first one tells how many works the query matches (the time-left estimate)."""
    if progress.total_work is None and isinstance(page["meta"].get("count"), int):
        progress.set_total_work(max(page["meta"]["count"] - already_pulled * PER_PAGE, 0))
    progress.advance(files=1, records=len(page["results"]), work=len(page["results"]))


def latest_completed_pull(landing_dir: Path, exclude: str | None = None) -> landing.Snapshot | None:
    """The newest (as_of, id) completed API pull under ``landing/openalex`` (``exclude`` skipped)."""
    root = landing_dir / SOURCE
    if not root.is_dir():
        return None
    pulls = [
        landing.open_snapshot(landing_dir, SOURCE, folder.name)
        for folder in root.iterdir()
        if folder.name != exclude and (folder / landing.PULL_COMPLETE).exists()
    ]
    return max(pulls, key=lambda snap: (snap.as_of, snap.snapshot_id), default=None)


def pull_incremental(
    settings: Settings,
    snapshot_id: str,
    filters: str,
    max_pages: int | None = None,
    *,
    full: bool = False,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Path:
    """The scheduled pull: everything matching ``filters`` as a full delivery when there is nothing to build
    on (or ``full``); else a delta of the works updated since the newest delivery to build on, onto its base.

    What a delta builds on is the newest, by (as_of, id), of the completed pulls and the full deliveries of
    any origin: a full snapshot landed by hand after the last pull starts a new base, so the next pull must
    be a delta onto it, not onto the older pull's base (whose state would then replace it as current)."""
    if full:
        return pull_works(settings, snapshot_id, filters, None, max_pages, session=session, sleep=sleep)
    candidates: list[tuple[date, str, str]] = [  # (as_of, snapshot id, its base)
        (as_of, sid, sid)
        for sid, as_of in landing.full_deliveries(settings.landing_dir, settings.lake_dir, SOURCE).items()
        if sid != snapshot_id
    ]
    last = latest_completed_pull(settings.landing_dir, exclude=snapshot_id)
    if last is not None:
        candidates.append((last.as_of, last.snapshot_id, landing.resolve_base(settings.lake_dir, last)))
    if not candidates:
        return pull_works(settings, snapshot_id, filters, None, max_pages, session=session, sleep=sleep)
    since, _, base = max(candidates)
    return pull_works(
        settings, snapshot_id, filters, since, max_pages, base=base, session=session, sleep=sleep
    )
