"""The published version of a paper from Crossref: ``GET {READER_CROSSREF_API}/works/{DOI}``.

Asked only for DOIs that are not arXiv's own (10.48550/...). The answer fills the
published version's fields of :class:`reader.model.Paper` (type, journal, volume, issue,
pages, publisher, date); a DOI Crossref does not know, or one for another preprint
(``posted-content``), leaves the paper a preprint.
"""

from __future__ import annotations

import json
import os
from urllib.parse import quote

from reader.model import Paper
from reader.resolve.apis import BadResponse
from reader.text import clean

CROSSREF_API = "https://api.crossref.org"

# Crossref work type -> CSL item type
TYPES = {
    "journal-article": "article-journal",
    "proceedings-article": "paper-conference",
    "book-chapter": "chapter",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "report": "report",
    "dissertation": "thesis",
}


def crossref_base() -> str:
    return os.environ.get("READER_CROSSREF_API", CROSSREF_API).rstrip("/")


def is_arxiv_doi(doi: str) -> bool:
    return doi.strip().lower().startswith("10.48550/")


def wants_lookup(paper: Paper) -> bool:
    """A DOI of a published version whose details are not known yet."""
    return bool(paper.doi) and not is_arxiv_doi(paper.doi) and not paper.entry_type


def works_url(doi: str) -> str:
    return f"{crossref_base()}/works/{quote(doi.strip(), safe='/:;()')}"


def user_agent(base: str) -> str:
    """Crossref's polite pool wants a contact address: READER_MAILTO."""
    mailto = os.environ.get("READER_MAILTO", "").strip()
    return base[:-1] + f"; mailto:{mailto})" if mailto and base.endswith(")") else base


def _date(obj: dict) -> str:
    for name in ("issued", "published-print", "published", "published-online"):
        parts = (obj.get(name) or {}).get("date-parts") or [[]]
        parts = [p for p in (parts[0] or []) if isinstance(p, int)]
        if parts:
            return "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts[:3]))
    return ""


def _first(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return clean(str(value or ""))


def parse_work(body: bytes, paper: Paper) -> Paper | None:
    """The fields Crossref gives for ``paper``'s DOI, as a Paper to merge; None when the
    work is not a published version (another preprint, an unknown type)."""
    try:
        data = json.loads(body)
        message = data["message"]
    except (ValueError, UnicodeDecodeError, KeyError, TypeError) as exc:
        raise BadResponse(f"Crossref: malformed response ({exc})") from exc
    if not isinstance(message, dict):
        raise BadResponse("Crossref: malformed response (no work)")
    kind = TYPES.get(str(message.get("type") or ""))
    if kind is None:
        return None
    return Paper(
        key=paper.key, title=paper.title, entry_type=kind,
        journal=_first(message.get("container-title")),
        volume=_first(message.get("volume")), issue=_first(message.get("issue")),
        pages=_first(message.get("page")), publisher=_first(message.get("publisher")),
        journal_date=_date(message),
    )
