"""Recognising an input's format by its content, not its name."""

from __future__ import annotations

import json
import re
from itertools import islice

from reader.sources.snapshot import MAX_LINE, looks_like_snapshot

# an entry ("@article{key,") or a macro block; not a Python decorator ("@settings(max_examples=1")
_BIBTEX = re.compile(r"^[ \t]*@(?:(?:string|preamble|comment)\s*[{(]|[A-Za-z]+\s*[{(]\s*[^\s,{}()=\"#%']*\s*,)", re.M | re.I)
_RIS = re.compile(r"^\ufeff?TY  - ", re.M)
_JSON_OBJECT = re.compile(r'\{\s*"')
_JSON_ARRAY = re.compile(r'\[\s*(?:\{\s*["}]|\])')
# the root element of RSS 0.9x/2.0, Atom or RDF/RSS 1.0, after the XML declaration, comments and a DOCTYPE
_FEED = re.compile(r"(?:<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>|\s)*+<(?:rss|feed|(?:[\w.-]+:)?RDF)[\s>/]",
                   re.S | re.I)
_SPACE = re.compile(rb"\s*")
_LINE_END = re.compile(rb"[\r\n]")
_AUTOLINK = re.compile(r"<https?://[^\s<>]+>")  # a link as an email writes it: an id list's line, not XML
HEAD = 1 << 16
SNAPSHOT_LINES = 8  # the first non-blank lines that may show an arXiv snapshot record (a split file starts mid-line)
LINES_HEAD = 4 * MAX_LINE  # read no further than this for them
NOT_SNAPSHOT = "JSON lines, but not the arXiv metadata snapshot (none of its first lines is an arXiv record)"

FORMATS = ("BibTeX, CSL-JSON, RIS, an RSS/Atom feed, the arXiv metadata snapshot, a copied Hugging Face page "
           "or a list of arXiv ids")


def enough(head: bytes) -> bool:
    """Whether ``head``, the start of an input, is enough for :func:`sniff`: SNAPSHOT_LINES
    whole non-blank lines, or LINES_HEAD bytes (found without splitting: the input may
    be one long line, or millions of blank ones)."""
    if len(head) >= LINES_HEAD:
        return True
    start = 0
    for _ in range(SNAPSHOT_LINES):
        start = _SPACE.match(head, start).end()  # at a line's first visible character
        end = _LINE_END.search(head, start)  # LF, CR LF, or CR alone (an old Mac's)
        if not end:
            return False
        start = end.end()
    return True


def sniff(head: str) -> str:
    """"bibtex", "csl-json", "ris", "feed", "arxiv-snapshot", "json-lines" (JSON objects,
    one a line, but not the snapshot's), "unknown" (a format we cannot read) or "" (a
    copied page or an id list). The snapshot is recognised by any of its first
    SNAPSHOT_LINES non-blank lines, so a broken first line (a piece of ``split -b``) is
    one line skipped, not the whole file refused."""
    text = head.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff \t\n")  # (line ends as any system writes them)
    lines = _json_lines(text[:LINES_HEAD])
    if lines:
        return lines
    text = text[:HEAD]
    if _JSON_OBJECT.match(text) or _JSON_ARRAY.match(text):
        return "csl-json"
    if _FEED.match(text):
        return "feed"
    if text.startswith(("<", "%PDF", "{\\rtf", "PK\x03\x04")) and not _AUTOLINK.match(text):  # XML/HTML, PDF, RTF, zip
        return "unknown"
    if _RIS.match(text):
        return "ris"
    if _BIBTEX.search(text):
        return "bibtex"
    if _RIS.search(text):
        return "ris"
    return ""


def _json_lines(text: str) -> str:
    """"arxiv-snapshot" if one of the first non-blank lines is a snapshot record;
    "json-lines" if the lines after the first all start a JSON object and one is an
    object; else ""."""
    first = [line.strip() for line in islice(filter(str.strip, text.split("\n")), SNAPSHOT_LINES)]
    objects = [line for line in first if len(line) <= MAX_LINE and line.startswith("{") and line.endswith("}")
               and isinstance(_load(line), dict)]
    if any(map(looks_like_snapshot, objects)):
        return "arxiv-snapshot"
    if len(first) > 1 and all(line.startswith("{") for line in first[1:]) and objects:
        return "json-lines"
    return ""


def _load(line: str):
    try:
        return json.loads(line)
    except (ValueError, RecursionError):  # too deeply nested for the JSON decoder
        return None


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
