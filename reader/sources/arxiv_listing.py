"""The newest submissions of an arXiv category (``arxiv:cs.CL``) or of a saved search
(``arxiv-query:au:bengio AND ti:attention``), newest first, paged, stopping at the newest
paper fetched last time."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

from reader.model import Paper
from reader.resolve import apis

PAGE = 100
FIRST = 100  # papers taken by a first fetch
CATCH_UP = 2000  # at most this many on a later fetch (a long break)
_NEW = re.compile(r"^(\d{2})(\d{2})\.(\d+)$")
_OLD = re.compile(r"^[a-z\-]+(?:\.[A-Z]{2})?/(\d{2})(\d{2})(\d{3})$")


def id_order(arxiv_id: str) -> tuple[int, int, int]:
    """Submission order of an arXiv id: ``2401.01234`` -> (2024, 1, 1234)."""
    m = _NEW.match(arxiv_id) or _OLD.match(arxiv_id)
    if not m:
        return (0, 0, 0)
    yy, mm, n = (int(g) for g in m.groups())
    return (1900 + yy if yy >= 91 else 2000 + yy, mm, n)


def query_url(search_query: str, start: int, size: int) -> str:
    return (f"{apis.arxiv_base()}/query?search_query={quote(search_query, safe=':')}"
            f"&sortBy=submittedDate&sortOrder=descending&start={start}&max_results={size}")


def fetch_listing(get: Callable[[str], bytes], search_query: str, newest_seen: str = "", first: int = FIRST,
                  page: int = PAGE, progress: Callable[[int], None] | None = None) -> list[Paper]:
    """Page through the listing until the newest paper seen last time (or ``first`` papers
    on a first fetch). ``get`` returns the body of a URL (the polite HTTP client)."""
    stop = id_order(newest_seen) if newest_seen else None
    limit = first if stop is None else CATCH_UP
    found: dict[str, Paper] = {}
    start = 0
    while len(found) < limit:
        size = min(page, limit - len(found)) if stop is None else page
        batch = apis.parse_arxiv_feed(get(query_url(search_query, start, size)))
        for paper in batch:
            if stop is not None and id_order(paper.arxiv_id) <= stop:
                return list(found.values())
            found.setdefault(paper.arxiv_id, paper)
        if progress:
            progress(len(found))
        if len(batch) < size:
            break
        start += size
    return list(found.values())[:limit]
