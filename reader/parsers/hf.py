"""Parser for text copied from Hugging Face papers pages (trending and daily).

A copied page is a stream of lines: page chrome, per-paper metadata (submitter,
upvotes, organisation, dates, GitHub stars) and paragraphs (titles and
abstracts). The parser first classifies every line, then walks the stream with
a small state machine: a title-like paragraph starts a paper, the next
sentence-like paragraph is its abstract, and metadata attaches to the paper it
belongs to by position. Papers listed twice (the trending page does that) merge
into one.

It runs in linear time in the size of the input: no backtracking regexes on
whole lines, one pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from reader.model import Paper, norm_key, paper_key, split_arxiv_id
from reader.text import clean, normalize_title

CHROME = {
    "new",
    "subscribe",
    "trending papers",
    "daily papers",
    "papers",
    "get trending papers in your email inbox!",
    "get trending papers in your email inbox once a day!",
    "byak and the research community",
    "by ak and the research community",
    "daily",
    "weekly",
    "monthly",
    "arxiv page",
    "view arxiv page",
    "view pdf",
    "add to collection",
    "previous",
    "next",
}
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
_DATE = re.compile(
    r"^(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? (?P<day>\d{1,2})(?:, (?P<year>\d{4}))?$",
    re.I,
)
_PUBLISHED = re.compile(r"^(?:(?P<org>.*?)\s*·\s*)?Published on (?P<date>.{3,40})$", re.I)
_ORG_DOT = re.compile(r"^(?P<org>.{1,120}?)\s*·$")
_NUMBER = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?[kKmM]?|-)$")
_GITHUB = re.compile(r"^GitHub(?:\s+(?P<stars>\d[\d.,]*[kKmM]?))?$", re.I)
_AUTHORS_COUNT = re.compile(r"^\d+ authors?$", re.I)
_SUBMITTED = re.compile(r"^Submitted by(?:\s+(?P<user>\S.*))?$", re.I)
_UPVOTE = re.compile(r"^Upvotes?(?:\s+(?P<n>\d[\d.,]*[kK]?))?$", re.I)
_COMMENTS = re.compile(r"^(?P<n>\d+) comments?$", re.I)
_ARXIV_URL = re.compile(
    r"^(?:https?://)?(?:www\.)?(?:arxiv\.org/(?:abs|pdf)|huggingface\.co/papers)/(?P<id>\S+?)(?:\.pdf)?/?$",
    re.I,
)

ABSTRACT_MIN = 200  # a paragraph this long is an abstract, never a title


def parse_count(text: str) -> int | None:
    """``"3.29k"`` -> 3290, ``"1,204"`` -> 1204, ``"-"`` -> None."""
    text = text.strip().replace(",", "")
    if not text or text == "-":
        return None
    mult = 1
    if text[-1] in "kK":
        mult, text = 1000, text[:-1]
    elif text[-1] in "mM":
        mult, text = 1_000_000, text[:-1]
    try:
        return round(float(text) * mult)
    except ValueError:
        return None


def parse_date(text: str) -> tuple[str, str]:
    """Return (iso, raw): iso only when the year is known."""
    m = _DATE.match(text.strip())
    if not m:
        return "", text.strip()
    mon = _MONTHS[m.group("mon")[:3].lower()]
    day = int(m.group("day"))
    if m.group("year") and 1 <= day <= 31:
        return f"{int(m.group('year')):04d}-{mon:02d}-{day:02d}", ""
    return "", f"{m.group('mon')[:3].title()} {day}"


@dataclass(slots=True)
class _Tok:
    kind: str  # text, chrome, date, dot, number, meta
    value: str
    blank_before: bool
    data: dict | None = None


_META_STARTS = ("submitted", "upvote", "github", "published", "http", "www.", "arxiv", "huggingface")


def _classify(line: str) -> tuple[str, dict | None]:
    if len(line) > 250:  # no chrome or metadata line is this long
        return "text", None
    low = line.casefold()
    # fast path for the common case, a title: no digit/dash start, no "·", no date or keyword
    if (
        "·" not in line
        and not line[0].isdigit()
        and line[0] != "-"
        and low[:3] not in _MONTHS
        and not low.startswith(_META_STARTS)
    ):
        return ("chrome" if low in CHROME else "text"), None
    if low in CHROME:
        return "chrome", None
    if line == "·":
        return "dot", None
    if m := _PUBLISHED.match(line):
        iso, raw = parse_date(m.group("date"))
        return "meta", {"organisation": (m.group("org") or "").strip(), "published": iso, "listing_date": raw}
    if _DATE.match(line):
        return "date", None
    if _NUMBER.match(line):
        return "number", None
    if m := _GITHUB.match(line):
        return "meta", {"github_stars": parse_count(m.group("stars") or "")}
    if _AUTHORS_COUNT.match(line):
        return "meta", {}
    if m := _COMMENTS.match(line):
        return "meta", {"comments": int(m.group("n"))}
    if m := _SUBMITTED.match(line):
        return "submitted", {"user": m.group("user")}
    if m := _UPVOTE.match(line):
        return "upvote", {"n": m.group("n")}
    if m := _ARXIV_URL.match(line):
        return "meta", {"id": m.group("id")}
    if m := _ORG_DOT.match(line):
        return "meta", {"organisation": m.group("org").strip()}
    return "text", None


def _tokens(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    blank = True
    for raw in text.split("\n"):
        line = clean(raw)
        if not line:
            blank = True
            continue
        kind, data = _classify(line)
        toks.append(_Tok(kind, line, blank, data))
        blank = False
    return toks


def _paragraphs(toks: list[_Tok]) -> list[_Tok]:
    """Join hard-wrapped text lines (no blank line between, both title-length)."""
    out: list[_Tok] = []
    for tok in toks:
        prev = out[-1] if out else None
        if (
            tok.kind == "text"
            and not tok.blank_before
            and prev is not None
            and prev.kind == "text"
        ):
            # A wrapped title: short lines. A wrapped abstract: keep joining once long.
            prev_long = len(prev.value) >= ABSTRACT_MIN
            if (len(tok.value) < ABSTRACT_MIN and not _sentence(prev.value)) or prev_long:
                prev.value = f"{prev.value} {tok.value}"
                continue
        out.append(_Tok(tok.kind, tok.value, tok.blank_before, tok.data))
    return out


def _sentence(text: str) -> bool:
    """Looks like prose (a summary sentence) rather than a title."""
    return text.endswith((".", "。")) and len(text.split()) >= 5 and not text.endswith("et al.")


def _is_abstract(text: str) -> bool:
    return len(text) >= ABSTRACT_MIN or _sentence(text)


class _Builder:
    def __init__(self, source: str):
        self.source = source
        self.papers: list[Paper] = []
        self.by_norm: dict[str, Paper] = {}
        self.by_id: dict[str, Paper] = {}
        self.current: Paper | None = None
        self.pending: dict = {}  # metadata seen before the next title
        self.entry_started = False  # "Submitted by" seen: what follows is the next paper's
        self.now = datetime.now(UTC).isoformat(timespec="seconds")

    def start(self, title: str) -> None:
        self.finish()
        paper = Paper(key="", title=title, source_file=self.source, added_at=self.now)
        for k, v in self.pending.items():
            setattr(paper, k, v)
        self.pending = {}
        self.current = paper
        self.entry_started = False

    def finish(self) -> None:
        paper = self.current
        self.current = None
        if paper is None:
            return
        norm = normalize_title(paper.title)
        if not norm:
            return
        existing = (self.by_id.get(paper.arxiv_id) if paper.arxiv_id else None) or self.by_norm.get(norm)
        if existing is not None:
            existing.merge(paper)
            if paper.arxiv_id and not existing.arxiv_id:
                existing.arxiv_id = paper.arxiv_id
            return
        paper.key = paper_key(paper.arxiv_id, paper.title) if paper.arxiv_id else norm_key(norm)
        self.papers.append(paper)
        self.by_norm[norm] = paper
        if paper.arxiv_id:
            self.by_id[paper.arxiv_id] = paper

    def meta(self, data: dict) -> None:
        target = self.current
        fields = {}
        for k, v in data.items():
            if v in ("", None):
                continue
            if k == "id":
                parts = split_arxiv_id(v)
                if parts:
                    fields["arxiv_id"], fields["arxiv_version"] = parts
                continue
            fields[k] = v
        if target is None or self.entry_started:
            self.pending.update(fields)
            return
        for k, v in fields.items():
            if getattr(target, k) in ("", None) or k in ("upvotes", "github_stars", "comments"):
                setattr(target, k, v)


def parse_hf_page(text: str, source: str = "") -> list[Paper]:
    toks = _paragraphs(_tokens(text))
    b = _Builder(source)
    i = 0
    n = len(toks)
    last_kind = ""
    while i < n:
        tok = toks[i]
        nxt = toks[i + 1] if i + 1 < n else None
        kind = tok.kind
        if kind == "chrome":
            pass
        elif kind == "submitted":
            b.finish()
            b.entry_started = True
            if not tok.data.get("user") and nxt is not None and nxt.kind == "text" and len(nxt.value) < 60:
                i += 1  # the submitter's user name
        elif kind == "upvote":
            count = tok.data.get("n")
            if count is None and nxt is not None and nxt.kind == "number":
                count = nxt.value
                i += 1
            value = parse_count(count or "")
            if b.current is not None and not b.entry_started and b.current.upvotes is None and b.current.abstract:
                b.current.upvotes = value
            elif value is not None:
                b.pending["upvotes"] = value
        elif kind == "number":
            value = parse_count(tok.value)
            if last_kind == "date" and b.current is not None:
                b.current.comments = value
            elif value is not None:
                b.pending["upvotes"] = value  # the daily page: count before the title
        elif kind == "date":
            if last_kind == "dot" and b.current is not None:
                iso, raw = parse_date(tok.value)
                b.meta({"published": iso, "listing_date": raw})
            # else: a date header of the page (chrome)
        elif kind == "dot":
            pass
        elif kind == "meta":
            b.meta(tok.data or {})
        elif kind == "text":
            value = tok.value
            if nxt is not None and nxt.kind == "dot" and b.current is not None and len(value) <= 120:
                b.meta({"organisation": value})  # "<Org>" then a "·" line (daily page)
            elif b.current is not None and not b.entry_started and not b.current.abstract and _is_abstract(value):
                b.current.abstract = value
            elif (
                b.current is not None
                and not b.entry_started
                and b.current.abstract
                and len(value) >= ABSTRACT_MIN
                and last_kind == "text"
            ):
                b.current.abstract += "\n\n" + value  # a second abstract paragraph
            elif len(value) >= ABSTRACT_MIN * 3 and (b.current is None or b.entry_started):
                pass  # orphan prose (page intro), not a paper
            else:
                b.start(value)
        last_kind = kind
        i += 1
    b.finish()
    for paper in b.papers:
        if paper.arxiv_id and not paper.url:
            paper.url = f"https://arxiv.org/abs/{paper.arxiv_id}"
    return b.papers

