"""RSS 0.9x/1.0/2.0 and Atom feeds (journals, bioRxiv, a lab's page), parsed with feedparser.

The body is first checked with defusedxml: a feed that declares entities (an entity
bomb) or is cut short is refused; an answer that is no feed at all (an HTML page) is
refused too. Everything else feedparser can read gives one Paper per item. A feed that
says it is UTF-8 (or says nothing: XML's default) but holds bytes that are not is read
with them replaced by U+FFFD, and the result carries a warning saying where. The same
parser reads a feed fetched over HTTP, saved as a file, or pasted."""

from __future__ import annotations

import codecs
import re
import time
from pathlib import Path

import feedparser
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from reader.model import Paper
from reader.parsers.decode import replace_bad_utf8
from reader.sources import Parsed
from reader.sources.common import find_arxiv, find_doi, make_paper
from reader.sources.htmltext import html_to_text
from reader.text import clean

MAX_BYTES = 8 * 2**20  # fetched or read from a file
FORMAT = "RSS/Atom feed"
_DECLARED = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_CHARSET = re.compile(r";\s*charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.I)
_DECLARATION = re.compile(r"^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*[\"'][^\"']*[\"']")


class BadFeed(ValueError):
    """The answer is not a usable feed; ``str()`` is one line."""


def declared_encoding(body: bytes, content_type: str = "") -> str:
    """The codec a feed says it is in: the charset of its HTTP Content-Type (which wins), a
    UTF-16 byte-order mark, its XML declaration, else UTF-8 (XML's default); "" for an
    encoding Python does not know (feedparser copes)."""
    m = _CHARSET.search(content_type)
    if m:
        name = m.group(1)
    elif body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    else:
        m = _DECLARED.match(body[:1024])
        name = m.group(1).decode("ascii") if m else "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return ""


def _text_body(text: str) -> bytes:
    """Already-decoded text (standard input, the clipboard) as UTF-8 bytes, its declaration's
    encoding dropped so that it says so."""
    text = text.lstrip("\ufeff")
    head = _DECLARATION.sub(r"\1", text[:1024], count=1)  # the declaration opens the text: bounded work
    return (head + text[1024:]).encode("utf-8")


def check_xml(body: bytes) -> None:
    if not body.strip():
        raise BadFeed("not an RSS or Atom feed (empty answer)")
    try:
        SafeET.fromstring(body)
    except DefusedXmlException as exc:
        raise BadFeed(f"refused: the feed declares XML entities or a DTD ({type(exc).__name__})") from exc
    except (LookupError, ValueError) as exc:  # an encoding expat cannot read ("bogus", UTF-32)
        raise BadFeed(f"the feed's encoding cannot be read ({exc})") from exc
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


def parse_feed(body: bytes | str, source: str = "", content_type: str = "") -> Parsed:
    """The papers of a feed's bytes (or of its decoded text), with a warning when bytes
    that are not UTF-8 were replaced; ``content_type``: the HTTP header, whose charset
    wins. Raises BadFeed."""
    if isinstance(body, str):
        body, content_type = _text_body(body), ""
    warning = ""
    if declared_encoding(body, content_type) == "utf-8":
        body, warning = replace_bad_utf8(body)
    check_xml(body)
    headers = {"content-type": content_type} if _CHARSET.search(content_type) else None
    data = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False, response_headers=headers)
    if not data.get("version"):
        head = body[:512].lstrip().lower()
        what = "an HTML page" if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head else "not XML"
        raise BadFeed(f"not an RSS or Atom feed ({what})")
    papers = [p for p in (entry_paper(e, source) for e in data.entries) if p is not None]
    return Parsed(papers, fmt=FORMAT, warnings=[warning] if warning else [])


def read_feed_file(path: str | Path, source: str = "") -> Parsed:
    """A feed saved as a file (``reader import feed.xml``, ``reader fetch file:///…``),
    capped as a fetched one is. Raises BadFeed."""
    try:
        with open(path, "rb") as fh:
            body = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise BadFeed(exc.strerror or str(exc)) from exc
    if len(body) > MAX_BYTES:
        raise BadFeed(f"larger than {MAX_BYTES // 2**20} MiB")
    return parse_feed(body, source)
