"""Fetching the configured sources into the library.

Specs: ``hf:daily``, ``hf:daily:YYYY-MM-DD``, ``arxiv:CATEGORY``, ``arxiv-query:QUERY``,
``http(s)://`` feed URLs and ``file://`` feeds saved as files. Each source is fetched
whole, then merged; a source that fails changes nothing (neither the library nor its
saved state) and the others still run. Per-source state (ETag / Last-Modified of feeds,
the newest arXiv id seen) lives in ``sources.json`` beside the library, so an unchanged
feed costs a 304 and a listing stops where the last fetch began. All HTTP goes through the polite client of
:mod:`reader.resolve.http`: one connection, >= 3 s between arXiv requests, Retry-After
honoured."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from reader.model import Paper
from reader.resolve import apis
from reader.resolve.http import Cancelled, FetchError, HttpClient, Offline
from reader.sources.arxiv_listing import FIRST, PAGE, fetch_listing, id_order
from reader.sources.feeds import MAX_BYTES, BadFeed, parse_feed, read_feed_file
from reader.sources.files import stamp
from reader.sources.hf_daily import daily_url, parse_daily, today
from reader.storage.atomic import atomic_write_text
from reader.storage.lock import FileLock
from reader.storage.store import ImportResult, StoreError

ARXIV_INTERVAL = 3.0
NEW_KEPT = 5000  # papers remembered for the New view
SPECS = "hf:daily[:YYYY-MM-DD], arxiv:CATEGORY, arxiv-query:QUERY, an http(s):// feed URL or a file:///path/feed.xml"
_CATEGORY = re.compile(r"^[a-z\-]+(?:\.[A-Za-z\-]+)?$")


class SpecError(ValueError):
    pass


def parse_spec(spec: str) -> tuple[str, str]:
    """``("hf", date)``, ``("arxiv", search_query)``, ``("feed", url)`` or ``("file", path)``."""
    spec = spec.strip()
    if spec == "hf:daily":
        return "hf", today()
    if spec.startswith("hf:daily:"):
        day = spec.removeprefix("hf:daily:")
        try:
            return "hf", date.fromisoformat(day).isoformat()
        except ValueError:
            raise SpecError(f"{spec}: not a date (hf:daily:YYYY-MM-DD)") from None
    if spec.startswith("arxiv:"):
        cat = spec.removeprefix("arxiv:")
        if not _CATEGORY.match(cat):
            raise SpecError(f"{spec}: not an arXiv category (for example arxiv:cs.CL)")
        return "arxiv", f"cat:{cat}"
    if spec.startswith("arxiv-query:") and spec.removeprefix("arxiv-query:").strip():
        return "arxiv", spec.removeprefix("arxiv-query:").strip()
    if spec.startswith(("http://", "https://")) and urlsplit(spec).netloc:
        return "feed", spec
    if spec.startswith("file://") and urlsplit(spec).netloc in ("", "localhost") and urlsplit(spec).path:
        return "file", unquote(urlsplit(spec).path)
    raise SpecError(f"{spec}: unknown source (expected {SPECS})")


@dataclass
class SourceResult:
    spec: str
    read: int = 0
    new: int = 0
    existing: int = 0
    error: str = ""
    unchanged: bool = False
    new_keys: list[str] = field(default_factory=list)
    papers: list[Paper] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what was read despite a fault (bytes not UTF-8)

    def line(self) -> str:
        if self.error:
            return f"{self.spec}: failed: {self.error}"
        if self.unchanged:
            return f"{self.spec}: unchanged since the last fetch"
        return f"{self.spec}: {self.read} paper{'' if self.read == 1 else 's'}, {self.new} new, {self.existing} already in the library"

    def warning_lines(self) -> list[str]:
        return [f"{self.spec}: {w}" for w in self.warnings]


def remember_new(state: FetchState, new: list[str]) -> None:
    """Add to the New list (what fetches and pastes added, newest last; the TUI shows
    those still unread), kept in sources.json so it outlives the session."""
    if not new:
        return
    at = datetime.now(UTC).isoformat(timespec="seconds")

    def remember(data: dict) -> None:
        old = data.get("last_fetch", {}).get("new", []) if isinstance(data.get("last_fetch"), dict) else []
        keys = list(dict.fromkeys([k for k in old if isinstance(k, str)] + new))[-NEW_KEPT:]
        data["last_fetch"] = {"at": at, "new": keys}

    state.update(remember)


class FetchState:
    """``sources.json``: per-spec state and the keys the last fetch added. A file that
    cannot be read is kept aside (it only saves requests) and a fresh one started."""

    def __init__(self, path: Path):
        self.path = path
        self.lock = path.with_name(path.name + ".lock")

    def read(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and isinstance(data.get("sources", {}), dict):
                return data
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            pass
        stamp_ = datetime.now().strftime("%Y%m%d-%H%M%S")
        try:
            os.replace(self.path, self.path.with_name(f"{self.path.name}.corrupt-{stamp_}"))
        except OSError:
            pass
        return {}

    def update(self, change: Callable[[dict], None]) -> dict:
        with FileLock(self.lock):
            data = self.read()
            data.setdefault("sources", {})
            change(data)
            atomic_write_text(self.path, json.dumps(data, indent=1, sort_keys=True))
        return data

    def source(self, spec: str) -> dict:
        entry = self.read().get("sources", {}).get(spec)
        return entry if isinstance(entry, dict) else {}

    def last_new(self) -> list[str]:
        keys = self.read().get("last_fetch", {}).get("new", [])
        return [k for k in keys if isinstance(k, str)] if isinstance(keys, list) else []


def make_client(cancelled: Callable[[], bool] = lambda: False) -> HttpClient:
    """The polite client for fetching: no response cache (sources change), answers over
    8 MiB refused, fewer retries than resolving. ``READER_ARXIV_INTERVAL`` (seconds) and
    ``READER_FETCH_RETRIES`` change the arXiv spacing and the retries (tests, a local mirror)."""
    try:
        interval = float(os.environ.get("READER_ARXIV_INTERVAL", ARXIV_INTERVAL))
        retries = int(os.environ.get("READER_FETCH_RETRIES", 2))
    except ValueError:
        interval, retries = ARXIV_INTERVAL, 2
    hosts = {urlsplit(apis.hf_base()).netloc: 0.5, urlsplit(apis.arxiv_base()).netloc: interval}  # arXiv wins on one host
    return HttpClient(cache_dir=None, min_interval=hosts, retries=retries, timeout=30.0, cancelled=cancelled, max_bytes=MAX_BYTES)


def _header(headers: dict[str, str], name: str) -> str:
    return next((v for k, v in headers.items() if k.lower() == name.lower()), "")


class Fetcher:
    def __init__(self, client: HttpClient, state: FetchState, importer: Callable[[list[Paper]], ImportResult],
                 first: int = FIRST, page: int = PAGE):
        self.client = client
        self.state = state
        self.importer = importer
        self.first = first
        self.page = page

    def download(self, spec: str, entry: dict) -> tuple[list[Paper] | None, dict]:
        """The papers of one source (None: unchanged) and its new state; no side effects."""
        kind, arg = parse_spec(spec)
        entry = dict(entry)
        if kind == "hf":
            return parse_daily(self.client.request(daily_url(arg)).body, source=spec), entry
        if kind == "arxiv":
            papers = fetch_listing(lambda url: self.client.request(url).body, arg, entry.get("newest", ""), self.first, self.page)
            newest = max((p.arxiv_id for p in papers), key=id_order, default="")
            if newest and id_order(newest) > id_order(entry.get("newest", "")):
                entry["newest"] = newest
            return papers, entry
        if kind == "file":
            return read_feed_file(arg, source=spec), entry
        headers = {}
        if entry.get("etag"):
            headers["If-None-Match"] = entry["etag"]
        if entry.get("last_modified"):
            headers["If-Modified-Since"] = entry["last_modified"]
        resp = self.client.request(arg, headers)
        if resp.status == 304:
            return None, entry
        papers = parse_feed(resp.body, source=spec, content_type=_header(resp.headers, "Content-Type"))
        entry["etag"] = _header(resp.headers, "ETag")
        entry["last_modified"] = _header(resp.headers, "Last-Modified")
        return papers, entry

    def fetch_one(self, spec: str) -> SourceResult:
        result = SourceResult(spec)
        try:
            papers, entry = self.download(spec, self.state.source(spec))
        except Cancelled:
            raise
        except (SpecError, FetchError, Offline, apis.BadResponse, BadFeed) as exc:
            result.error = str(exc) or type(exc).__name__
            return result
        except (ValueError, TypeError, KeyError, RecursionError) as exc:  # a malformed answer no parser expected
            result.error = f"malformed answer ({type(exc).__name__}: {exc})"
            return result
        if papers is None:
            result.unchanged = True
            return result
        stamp(papers)
        try:
            res = self.importer(papers)
        except StoreError as exc:
            result.error = str(exc)
            return result
        result.read, result.new, result.existing = len(papers), res.new, res.existing
        result.new_keys = list(res.new_keys)
        result.warnings = list(getattr(papers, "warnings", []))
        new = set(res.new_keys)
        result.papers = [p for p in papers if p.key in new]
        entry["fetched_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        self.state.update(lambda data: data["sources"].__setitem__(spec, entry))
        return result

    def run(self, specs: Iterable[str], progress: Callable[[int, int, str], None] | None = None) -> list[SourceResult]:
        """Fetch every spec in turn (a cancelled run keeps what was merged)."""
        specs = list(dict.fromkeys(s.strip() for s in specs if s.strip()))
        results: list[SourceResult] = []
        try:
            for n, spec in enumerate(specs):
                if progress:
                    progress(n, len(specs), spec)
                results.append(self.fetch_one(spec))
        except Cancelled:
            pass
        if progress:
            progress(len(results), len(specs), "")
        remember_new(self.state, [k for r in results for k in r.new_keys])
        return results
