"""Recognising an input's format by its content, not its name."""

from __future__ import annotations

import re

from reader.sources.snapshot import looks_like_snapshot

# an entry ("@article{key,") or a macro block; not a Python decorator ("@settings(max_examples=1")
_BIBTEX = re.compile(r"^[ \t]*@(?:(?:string|preamble|comment)\s*[{(]|[A-Za-z]+\s*[{(]\s*[^\s,{}()=\"#%']*\s*,)", re.M | re.I)
_RIS = re.compile(r"^\ufeff?TY  - ", re.M)
_JSON_OBJECT = re.compile(r'\{\s*"')
_JSON_ARRAY = re.compile(r'\[\s*(?:\{\s*["}]|\])')
# the root element of RSS 0.9x/2.0, Atom or RDF/RSS 1.0, after the XML declaration, comments and a DOCTYPE
_FEED = re.compile(r"(?:<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>|\s)*+<(?:rss|feed|(?:[\w.-]+:)?RDF)[\s>/]",
                   re.S | re.I)
HEAD = 1 << 16

FORMATS = ("BibTeX, CSL-JSON, RIS, an RSS/Atom feed, the arXiv metadata snapshot, a copied Hugging Face page "
           "or a list of arXiv ids")


def sniff(head: str) -> str:
    """"bibtex", "csl-json", "ris", "feed", "arxiv-snapshot", "unknown" (a format we cannot
    read) or "" (a copied page or an id list)."""
    text = head[:HEAD].lstrip("\ufeff \t\r\n")
    if _JSON_OBJECT.match(text):
        first = text.split("\n", 1)[0]
        return "arxiv-snapshot" if looks_like_snapshot(first) else "csl-json"
    if _JSON_ARRAY.match(text):
        return "csl-json"
    if _FEED.match(text):
        return "feed"
    if text.startswith(("<", "%PDF", "{\\rtf", "PK\x03\x04")):  # XML/HTML, PDF, RTF, zip: nothing we read
        return "unknown"
    if _RIS.match(text):
        return "ris"
    if _BIBTEX.search(text):
        return "bibtex"
    if _RIS.search(text):
        return "ris"
    return ""


def parse_as(fmt: str, text: str, source: str = ""):
    """Parse ``text`` in ``fmt`` (anything but the snapshot, which is streamed; a feed file
    is read as bytes by :func:`reader.sources.feeds.read_feed_file`)."""
    if fmt == "bibtex":
        from reader.sources.bibtex import parse_bibtex

        return parse_bibtex(text, source)
    if fmt == "csl-json":
        from reader.sources.csljson import parse_csl_json

        return parse_csl_json(text, source)
    if fmt == "ris":
        from reader.sources.ris import parse_ris

        return parse_ris(text, source)
    if fmt == "feed":
        from reader.sources.feeds import parse_feed

        return parse_feed(text, source)
    raise ValueError(fmt)
