"""RSS 0.9x/1.0/2.0 and Atom feeds (journals, bioRxiv, a lab's page), parsed with feedparser.

The body is first checked with defusedxml: a feed that declares entities (an entity
bomb) or is cut short is refused; an answer that is no feed at all (an HTML page) is
refused too. Everything else feedparser can read gives one Paper per item."""

from __future__ import annotations

import re
import time

import feedparser
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from reader.model import Paper
from reader.sources.common import find_arxiv, find_doi, make_paper
from reader.sources.htmltext import html_to_text
from reader.text import clean


class BadFeed(Exception):
    """The answer is not a usable feed; ``str()`` is one line."""


def check_xml(body: bytes) -> None:
    if not body.strip():
        raise BadFeed("not an RSS or Atom feed (empty answer)")
    try:
        SafeET.fromstring(body)
    except DefusedXmlException as exc:
        raise BadFeed(f"refused: the feed declares XML entities or a DTD ({type(exc).__name__})") from exc
    except SafeET.ParseError as exc:
        msg = str(exc)
        if "no element found" in msg or "unclosed token" in msg:
            raise BadFeed(f"the feed is cut short ({msg})") from exc
        # other faults (an undeclared &nbsp;, a stray tag): feedparser's lenient parser copes


def _date(entry) -> str:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(name)
        if isinstance(value, time.struct_time):
            return time.strftime("%Y-%m-%d", value)
    return ""


def _authors(entry) -> list[str]:
    names = [clean(a.get("name", "")) for a in entry.get("authors") or [] if isinstance(a, dict)]
    names = [n for n in names if n]
    if not names and entry.get("author"):
        names = [clean(entry["author"])]
    if len(names) == 1 and ";" in names[0]:
        names = [n.strip() for n in names[0].split(";") if n.strip()]
    elif len(names) == 1 and "," in names[0]:
        # "Zoë Smith, Li Wei, and Ada Lovelace": several people when every part has two
        # words or more ("Smith, John" is one person, family name first)
        parts = [re.sub(r"^(?:and|&)\s+", "", p.strip()) for p in names[0].split(",")]
        parts = [p for p in parts if p]
        if len(parts) > 1 and all(len(p.split()) > 1 for p in parts):
            names = parts
    return names


def entry_paper(entry, source: str = "") -> Paper | None:
    links = [entry.get("link", "")] + [link.get("href", "") for link in entry.get("links") or [] if isinstance(link, dict)]
    ident = entry.get("id", "")
    doi = find_doi(entry.get("prism_doi", ""), entry.get("dc_identifier", ""), ident if ident.lower().startswith("doi:") else "",
                   *[x for x in links if "doi.org/" in x])
    pages = entry.get("prism_startingpage", "")
    if pages and entry.get("prism_endingpage"):
        pages += "-" + entry["prism_endingpage"]
    venue = entry.get("prism_publicationname", "")
    return make_paper(
        html_to_text(entry.get("title", "")), source=source, arxiv=find_arxiv(ident, *links, entry.get("dc_identifier", "")),
        venue=venue, entry_type="article-journal" if venue else "", date=_date(entry), authors=_authors(entry), doi=doi,
        volume=entry.get("prism_volume", ""), issue=entry.get("prism_number", ""), pages=pages,
        abstract=html_to_text(entry.get("summary", ""), keep_newlines=True), url=entry.get("link", ""),
    )


def parse_feed(body: bytes, source: str = "") -> list[Paper]:
    check_xml(body)
    data = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    if not data.get("version"):
        head = body[:512].lstrip().lower()
        what = "an HTML page" if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head else "not XML"
        raise BadFeed(f"not an RSS or Atom feed ({what})")
    return [p for p in (entry_paper(e, source) for e in data.entries) if p is not None]
