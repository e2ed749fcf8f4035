"""Turning Hugging Face (JSON) and arXiv (Atom) API responses into Paper records.

Untrusted XML is parsed with defusedxml: no entity expansion, no external entities.
Malformed bodies raise :class:`BadResponse`; the arXiv error entry (a single entry
titled "Error") is recognised as an error, not a paper.
"""

from __future__ import annotations

import json
import os
import re
from urllib.parse import quote

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from reader.model import Paper, paper_key, split_arxiv_id
from reader.text import clean

HF_API = os.environ.get("READER_HF_API", "https://huggingface.co/api")
ARXIV_API = os.environ.get("READER_ARXIV_API", "https://export.arxiv.org/api")

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
_ABS_ID = re.compile(r"/abs/(?P<id>.+?)(?P<v>v\d+)?$")


class BadResponse(Exception):
    pass


def hf_base() -> str:
    return os.environ.get("READER_HF_API", HF_API).rstrip("/")


def arxiv_base() -> str:
    return os.environ.get("READER_ARXIV_API", ARXIV_API).rstrip("/")


def hf_search_url(title: str) -> str:
    return f"{hf_base()}/papers/search?q={quote(clean(title))}"


def hf_paper_url(arxiv_id: str) -> str:
    return f"{hf_base()}/papers/{quote(arxiv_id, safe='/.')}"


def arxiv_title_url(title: str) -> str:
    words = re.sub(r'["\\]', " ", clean(title))
    return f"{arxiv_base()}/query?search_query={quote('ti:' + chr(34) + words + chr(34))}&max_results=5"


def arxiv_ids_url(ids: list[str]) -> str:
    return f"{arxiv_base()}/query?id_list={quote(','.join(ids), safe=',./')}&max_results={len(ids)}"


def _hf_paper(obj: dict) -> Paper | None:
    if not isinstance(obj, dict):
        return None
    title = clean(str(obj.get("title") or ""))
    if not title:
        return None
    parts = split_arxiv_id(str(obj.get("id") or ""))
    arxiv_id, version = parts if parts else ("", "")
    authors = [clean(a.get("name", "")) for a in obj.get("authors") or [] if isinstance(a, dict) and a.get("name")]
    published = str(obj.get("publishedAt") or "")[:10]
    paper = Paper(
        key=paper_key(arxiv_id, title), title=title, abstract=clean(str(obj.get("summary") or ""), keep_newlines=True),
        authors=authors, arxiv_id=arxiv_id, arxiv_version=version,
        published=published if re.match(r"^\d{4}-\d{2}-\d{2}$", published) else "",
        github_url=clean(str(obj.get("githubRepo") or "")),
    )
    if obj.get("upvotes") is not None:
        try:
            paper.upvotes = int(obj["upvotes"])
        except (TypeError, ValueError):
            pass
    return paper


def _json(body: bytes, what: str):
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadResponse(f"Hugging Face {what}: malformed JSON ({exc})") from exc


def parse_hf_search(body: bytes) -> list[Paper]:
    data = _json(body, "search")
    if not isinstance(data, list):
        raise BadResponse("Hugging Face search: expected a list")
    out = []
    for item in data:
        paper = _hf_paper(item.get("paper", item) if isinstance(item, dict) else None)
        if paper is not None:
            out.append(paper)
    return out


def parse_hf_paper(body: bytes) -> Paper | None:
    return _hf_paper(_json(body, "paper"))


def parse_arxiv_feed(body: bytes) -> list[Paper]:
    try:
        root = SafeET.fromstring(body)
    except (SafeET.ParseError, DefusedXmlException, ValueError) as exc:
        raise BadResponse(f"arXiv: malformed or unsafe XML ({exc})") from exc
    entries = root.findall(f"{ATOM}entry")
    if len(entries) == 1 and (entries[0].findtext(f"{ATOM}title") or "").strip() == "Error":
        summary = clean(entries[0].findtext(f"{ATOM}summary") or "unknown error")
        raise BadResponse(f"arXiv API error: {summary}")
    papers = []
    for e in entries:
        title = clean(e.findtext(f"{ATOM}title") or "")
        id_url = (e.findtext(f"{ATOM}id") or "").strip()
        m = _ABS_ID.search(id_url)
        if not title or not m:
            continue
        arxiv_id, version = m.group("id"), m.group("v") or ""
        authors = [clean(a.findtext(f"{ATOM}name") or "") for a in e.findall(f"{ATOM}author")]
        prim = e.find(f"{ARXIV}primary_category")
        papers.append(Paper(
            key=arxiv_id, title=title,
            abstract=clean(e.findtext(f"{ATOM}summary") or ""),
            authors=[a for a in authors if a], arxiv_id=arxiv_id, arxiv_version=version,
            published=(e.findtext(f"{ATOM}published") or "")[:10],
            updated=(e.findtext(f"{ATOM}updated") or "")[:10],
            primary_category=prim.get("term", "") if prim is not None else "",
            doi=clean(e.findtext(f"{ARXIV}doi") or ""),
            journal_ref=clean(e.findtext(f"{ARXIV}journal_ref") or ""),
            url=f"https://arxiv.org/abs/{arxiv_id}",
        ))
    return papers
