"""Resolving papers: find each title-only paper on Hugging Face (then arXiv), accept
only exact title matches, and fill what is missing.

Order of lookups per paper: Hugging Face search by title; if that finds nothing,
arXiv's title query. Papers that end up with an arXiv id are then completed in
batches from arXiv's ``id_list`` (primary category, DOI, journal ref). arXiv is
asked at most once every 3 seconds, one connection at a time, as its terms ask.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reader.model import Paper
from reader.resolve import apis, crossref
from reader.resolve.http import USER_AGENT, Cancelled, FetchError, HttpClient, Offline
from reader.resolve.match import NEAR, same_title, similarity

ARXIV_INTERVAL = 3.0
HF_INTERVAL = 0.5
CROSSREF_INTERVAL = 1.0
BATCH = 50


@dataclass
class Outcome:
    key: str
    status: str  # resolved, no match, ambiguous, failed
    detail: str = ""
    found: Paper | None = None


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    offline: str = ""
    cancelled: bool = False

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    def line(self) -> str:
        parts = [f"{self.count(s)} {s}" for s in ("resolved", "no match", "ambiguous", "failed")]
        text = "Resolve: " + ", ".join(parts)
        if self.cancelled:
            text += " (cancelled; run again to resume)"
        if self.offline:
            text += f" — offline: {self.offline}"
        return text


def make_client(cache_dir: Path | None, **kw) -> HttpClient:
    from urllib.parse import urlsplit

    hosts = {urlsplit(apis.arxiv_base()).netloc: ARXIV_INTERVAL, urlsplit(apis.hf_base()).netloc: HF_INTERVAL}
    hosts.setdefault(urlsplit(crossref.crossref_base()).netloc, CROSSREF_INTERVAL)
    return HttpClient(cache_dir=cache_dir, min_interval=hosts, **kw)


def choose(paper: Paper, candidates: list[Paper]) -> tuple[Paper | None, str]:
    """The candidate with exactly the same title; or why none was taken."""
    exact = [c for c in candidates if same_title(paper.title, c.title)]
    ids = {c.arxiv_id or c.title for c in exact}
    if len(ids) == 1:
        return exact[0], ""
    if len(ids) > 1:
        return None, "ambiguous: " + "; ".join(f"{c.arxiv_id} “{c.title}”" for c in exact[:3])
    near = sorted(((similarity(paper.title, c.title), c) for c in candidates), key=lambda x: -x[0])
    if near and near[0][0] >= NEAR:
        return None, f"near miss: {near[0][1].arxiv_id} “{near[0][1].title}” ({near[0][0]:.0%} similar), not applied"
    return None, ""


class Resolver:
    def __init__(self, client: HttpClient):
        self.client = client

    def lookup(self, paper: Paper) -> Outcome:
        """One paper: HF search, then arXiv title search."""
        try:
            if paper.arxiv_id:
                found = apis.parse_hf_paper(self.client.get(apis.hf_paper_url(paper.arxiv_id)))
                return Outcome(paper.key, "resolved", found=found or Paper(key=paper.key, title=paper.title, arxiv_id=paper.arxiv_id))
            candidates = apis.parse_hf_search(self.client.get(apis.hf_search_url(paper.title)))
            best, why = choose(paper, candidates)
            if best is None and not why.startswith("ambiguous"):
                arxiv = apis.parse_arxiv_feed(self.client.get(apis.arxiv_title_url(paper.title)))
                best2, why2 = choose(paper, arxiv)
                best, why = best2, why2 or why
        except (FetchError, apis.BadResponse) as exc:
            return Outcome(paper.key, "failed", str(exc))
        if best is not None:
            return Outcome(paper.key, "resolved", found=best)
        status = "ambiguous" if why else "no match"
        return Outcome(paper.key, status, why)

    def complete_from_arxiv(self, found: dict[str, Paper]) -> None:
        """Batch id_list queries: categories, DOI, journal ref, dates, authors."""
        ids = sorted({p.arxiv_id for p in found.values() if p.arxiv_id})
        by_id: dict[str, Paper] = {}
        for i in range(0, len(ids), BATCH):
            try:
                for p in apis.parse_arxiv_feed(self.client.get(apis.arxiv_ids_url(ids[i : i + BATCH]))):
                    by_id[p.arxiv_id] = p
            except (FetchError, apis.BadResponse):
                continue  # HF's data stands; categories stay unknown
        for p in found.values():
            extra = by_id.get(p.arxiv_id)
            if extra is not None:
                p.merge(extra)

    def complete_from_crossref(self, found: dict[str, Paper]) -> int:
        """The published version (journal, volume, issue, pages, date) of papers whose DOI is
        not arXiv's own. Returns how many were completed."""
        n = 0
        for p in found.values():
            if not crossref.wants_lookup(p):
                continue
            try:
                body = self.client.get(crossref.works_url(p.doi), user_agent=crossref.user_agent(USER_AGENT))
                published = crossref.parse_work(body, p)
            except (FetchError, apis.BadResponse):
                continue  # the preprint form stays; the journal ref goes into a note
            if published is not None:
                p.merge(published)
                n += 1
        return n

    def run(
        self,
        papers: Iterable[Paper],
        apply: Callable[[dict[str, Paper]], None],
        progress: Callable[[int, int, float], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Summary:
        """Resolve ``papers`` (skipping those that already have an arXiv id and a year),
        applying results in small batches so a cancelled run keeps its work."""
        papers = list(papers)
        todo = [p for p in papers if not (p.arxiv_id and p.authors and p.year)]
        # complete already-known papers with a journal DOI but no published version
        published = [p for p in papers if p.arxiv_id and p.authors and p.year and crossref.wants_lookup(p)]
        summary = Summary()
        pending: dict[str, Paper] = {}
        start = time.monotonic()
        self.client.cancelled = cancelled

        def flush(complete: bool = True) -> None:
            if pending:
                if complete:
                    try:
                        self.complete_from_arxiv(pending)
                        self.complete_from_crossref(pending)
                    except (Offline, Cancelled):
                        pass  # apply what the first lookups found
                apply(dict(pending))
                pending.clear()

        try:
            for n, paper in enumerate(todo, 1):
                if cancelled():
                    raise Cancelled()
                outcome = self.lookup(paper)
                summary.outcomes.append(outcome)
                if outcome.found is not None:
                    pending[paper.key] = outcome.found
                if len(pending) >= BATCH:
                    flush()
                if progress:
                    elapsed = time.monotonic() - start
                    progress(n, len(todo), elapsed / n * (len(todo) - n))
            flush()
            if published:
                found = {p.key: Paper(key=p.key, title=p.title, doi=p.doi) for p in published}
                self.complete_from_crossref(found)
                apply({k: p for k, p in found.items() if p.entry_type})
        except Cancelled:
            summary.cancelled = True
            flush(complete=False)
        except Offline as exc:
            summary.offline = str(exc)
            flush(complete=False)
        return summary
