"""RIS files: ``TY  - `` ... ``ER  - `` records, one tag per line."""

from __future__ import annotations

import re

from reader.citations.names import is_others, mark_others
from reader.sources import Parsed
from reader.sources.common import (
    find_arxiv,
    find_doi,
    iso_date,
    loose_date,
    make_paper,
    plain_title_tex,
)
from reader.sources.names import format_name

_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
TYPES = {
    "JOUR": "article-journal", "JFULL": "article-journal", "MGZN": "article-magazine", "NEWS": "article-newspaper",
    "CONF": "paper-conference", "CPAPER": "paper-conference", "BOOK": "book", "EBOOK": "book", "CHAP": "chapter",
    "ECHAP": "chapter", "RPRT": "report", "THES": "thesis",
}


def _author(raw: str) -> str:
    parts = [p.strip() for p in raw.split(",")]
    if len(parts) == 1:
        words = parts[0].split()
        return format_name(literal=parts[0]) if len(words) == 1 else format_name(family=words[-1], given=" ".join(words[:-1]))
    return format_name(family=parts[0], given=parts[1], suffix=", ".join(parts[2:]))


def _authors(tags: dict[str, list[str]], *names: str) -> list[str]:
    """The names of these tags; a last "others" or "et al." (reader's own export of BibTeX's
    "and others") is the marker OTHERS, not a person."""
    raw = [v for n in names for v in tags.get(n, []) if v.strip()]
    more = bool(raw) and is_others(raw[-1])
    return mark_others([a for a in map(_author, raw[:-1] if more else raw) if a], more)


_DOI_LINK = re.compile(r"^(?:https?://)?(?:dx\.)?doi\.org/", re.I)


def _other_doi(urls: list[str], m3: list[str]) -> str:
    """The DOI of a record with no DO, where EndNote and others put it: a doi.org link in
    UR (or L1), or M3 ("doi: 10.1038/...", "10.1038/...")."""
    return find_doi(*(u for u in urls if _DOI_LINK.match(u.strip())), *m3)


def _record(tags: dict[str, list[str]], source: str):
    def first(*names: str) -> str:
        for n in names:
            if tags.get(n):
                return tags[n][0]
        return ""

    date = first("DA", "PY", "Y1")
    parts = (date.split("/") + ["", "", "", ""])[:4]  # YYYY/MM/DD/other ("Spring", "circa")
    if parts[3].strip() and (found := loose_date(f"{parts[3]} {parts[0]}")):
        parts[0] = found  # the year with its season or "~", which iso_date reads
    urls = tags.get("UR", []) + tags.get("L1", [])
    pages = first("SP")
    if first("EP"):
        pages = f"{pages}-{first('EP')}"
    kind = TYPES.get(first("TY").strip().upper(), "")
    title = first("TI", "T1", "CT", "BT" if kind != "chapter" else "")
    return make_paper(
        title, source=source, title_tex=plain_title_tex(title),
        arxiv=find_arxiv(*urls, first("M1"), first("M3"), first("N1"), first("AN")), venue=first("JO", "JF", "T2", "JA", "J2", "BT"),
        entry_type=kind, date=iso_date(*parts[:3]), authors=_authors(tags, "AU", "A1"),
        editors=_authors(tags, "ED", *(("A2",) if kind == "chapter" else ())),
        doi=find_doi(first("DO")) or first("DO") or _other_doi(urls, tags.get("M3", [])), volume=first("VL"), issue=first("IS"), pages=pages, publisher=first("PB"),
        abstract=first("AB", "N2"), url=urls[0] if urls else "", genre=first("M3") if kind == "thesis" else "",  # "Type of Work"
        place=first("CY"),
    )


def parse_ris(text: str, source: str = "") -> Parsed:
    out = Parsed(fmt="RIS")
    tags: dict[str, list[str]] | None = None
    start = 0
    last = ""

    def finish() -> None:
        paper = _record(tags, source)
        if paper is None:
            out.problems.append(f"line {start}: record has no title (TI), skipped")
        else:
            out.add(paper, "\n".join(tags.get("N1", [])), tags.get("KW", []), reader_note=True)

    for n, line in enumerate(text.splitlines(), 1):
        m = _TAG.match(line.lstrip("\ufeff").rstrip())
        if not m:
            if tags is not None and last and line.strip():  # a wrapped value continues
                tags[last][-1] += " " + line.strip()
            continue
        tag, value = m.group(1), (m.group(2) or "").strip()
        if tag == "TY":
            if tags is not None:
                finish()
            tags, start, last = {"TY": [value]}, n, ""
        elif tags is None:
            out.problems.append(f"line {n}: {tag} outside a record (no TY before it), skipped")
        elif tag == "ER":
            finish()
            tags, last = None, ""
        else:
            tags.setdefault(tag, []).append(value)
            last = tag
    if tags is not None:
        finish()  # a last record without ER still counts
    return out
