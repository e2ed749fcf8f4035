"""Parser for text copied from Hugging Face papers pages (trending and daily).

A copied page is a stream of lines: page chrome, paragraphs and per-card metadata
(submitter, upvotes, organisation, dates, GitHub stars). The parser is anchored on the
card's structure, not on lengths:

- a card is a title, then its abstract (the next paragraph, whatever its length or
  ending), then metadata lines. Everything after the abstract up to the next title
  belongs to that card;
- the daily page (and pages whose first card starts with "Submitted by"/"Upvote") puts
  the count line *before* the title: there a count goes to the card that follows;
- metadata that closes a card (authors count, ``·`` and date, GitHub, a count) ends its
  abstract slot, so the next paragraph is a new title;
- a card rendered twice (the trending page does that) merges into the first rendering,
  whose values are never overwritten by the repeat;
- paragraphs are separated by blank lines; lines between are one paragraph (a wrapped
  title, a hard-wrapped abstract). A page copied without any blank line is split where a
  line ends a sentence or a short line meets a long one.

Input is streamed line by line (:func:`parse_hf_lines`) in one pass; memory is bounded
by the papers kept (at most :data:`MAX_PAPERS`) and one paragraph (at most
:data:`MAX_PARAGRAPH` characters). Text that is plainly another format (BibTeX, RIS,
JSON, HTML/XML) or shows no page structure raises :class:`NotHFPage`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from itertools import chain, islice

from reader.gc_pause import no_gc
from reader.model import Paper, norm_key, paper_key, split_arxiv_id
from reader.text import clean, normalize_title

MAX_PAPERS = 100_000  # no copied page (nor a month of them in one file) lists more
MAX_PARAGRAPH = 1 << 20  # characters; an abstract is a few thousand
MAX_TITLE = 2000  # characters: a longer paragraph is never a title, wherever it stands


class PageError(ValueError):
    """The text cannot be a copied page; ``str()`` is the one-line problem."""


class NotHFPage(PageError):
    """The text is not a Hugging Face papers page (maybe another format)."""


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
_DATE_RE = r"(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? (?P<day>\d{1,2})(?:, (?P<year>\d{4}))?"
_DATE = re.compile(rf"^{_DATE_RE}$", re.I)
_PUBLISHED = re.compile(r"^(?:(?P<org>.*?)\s*·\s*)?Published on (?P<date>.{3,40})$", re.I)
_ORG_DATE = re.compile(rf"^(?P<org>[^·]{{1,120}}?)\s*·\s*(?P<date>{_DATE_RE})$", re.I)
_ORG_DOT = re.compile(r"^(?P<org>[^·]{1,120}?)\s*·$")
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
# Other formats, recognised by their first lines (the dispatcher routes or refuses them).
_FOREIGN = (
    (re.compile(r"^@[A-Za-z]+\s*[{(]"), "BibTeX"),
    (re.compile(r"^TY +- "), "RIS"),  # "TY  - " (spaces collapsed by clean)
    (re.compile(r'^[\[{]\s*(?:$|["{\[])'), "JSON"),
    (re.compile(r"^<(?:!doctype|html|\?xml|[a-z][\w:-]*[\s>/])", re.I), "HTML/XML"),
    (re.compile(r"^%PDF-"), "PDF"),
)
_FOREIGN_LINES = 50  # non-blank lines looked at
# the lines `reader export --with-notes` adds under a reference in its text formats (trial 9:
# a note of two paragraphs made the export one junk paper, its abstract the rest of the file)
_ANNOTATION = ("    Note: ", "    Tags: ")
_LISTS = {
    "references": "looks like a list of references (reader's own plain or APA export?), not a Hugging Face papers "
                  "page; import its BibTeX, RIS or CSL-JSON export instead",
    "titles": "looks like a list of titles, not a Hugging Face papers page: a title alone cannot be imported "
              "(give arXiv ids or URLs, or a BibTeX, RIS or CSL-JSON file)",
}
_LAYOUT_LINES = 400  # lines looked at to tell a page copied without blank lines
_SENTENCE_END = (".", "。", "!", "?")
_PLACE_KEYS = frozenset({"organisation", "published", "listing_date"})  # do not close a card


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


def _place(org: str, date: str) -> dict:
    iso, raw = parse_date(date)
    org = org.strip()
    if _AUTHORS_COUNT.match(org):
        org = ""  # "7 authors · May 29" (daily page)
    return {"organisation": org, "published": iso, "listing_date": raw}


_META_STARTS = ("submitted", "upvote", "github", "published", "http", "www.", "arxiv", "huggingface")


def _classify(line: str) -> tuple[str, dict | None]:
    """Kinds: text, chrome, date, dot, count, upvote, submitted, meta."""
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
        return "meta", _place(m.group("org") or "", m.group("date"))
    if m := _ORG_DATE.match(line):  # the trending page's repeated card: "Org · Mar 4, 2026"
        return "meta", _place(m.group("org"), m.group("date"))
    if _DATE.match(line):
        return "date", None
    if _NUMBER.match(line):
        return "count", None
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


def _ends_sentence(line: str) -> bool:
    return line.endswith(_SENTENCE_END)


def _tokens(lines: Iterable[str], dense: bool = False) -> Iterator[tuple[str, str, dict | int | None]]:
    """(kind, text, data) per line; consecutive text lines that wrap one paragraph are
    joined into one ``para`` token whose data is its line count (a wrapped title; a
    hard-wrapped abstract). On a ``dense`` page (copied without blank lines) a line only
    continues a paragraph that does not end a sentence."""
    parts: list[str] = []  # the paragraph's lines
    size = seen = 0
    for raw in lines:
        if raw.startswith(_ANNOTATION):  # any line: a long export's first notes may come late
            raise NotHFPage("looks like reader's own export with notes (a list of references), "
                            "not a Hugging Face papers page; import its BibTeX, RIS or CSL-JSON export instead")
        line = clean(raw)
        if not line:
            if parts:
                yield "para", " ".join(parts), len(parts)
                parts = []
            continue
        if seen < _FOREIGN_LINES:
            seen += 1
            for pattern, name in _FOREIGN:
                if pattern.match(line):
                    raise NotHFPage(f"looks like {name}, not a Hugging Face papers page")
        kind, data = _classify(line)
        if kind == "text":
            if not parts:
                parts, size = [line], len(line)
            elif not dense or _continues(parts[-1], line):
                size += len(line) + 1
                if size >= MAX_PARAGRAPH:
                    raise PageError(f"a paragraph is over {MAX_PARAGRAPH // 2**20} MiB: not a copied page")
                parts.append(line)
            else:  # a new element copied without a blank line (title, then abstract)
                yield "para", " ".join(parts), len(parts)
                parts, size = [line], len(line)
            continue
        if parts:
            yield "para", " ".join(parts), len(parts)
            parts = []
        yield kind, line, data
    if parts:
        yield "para", " ".join(parts), len(parts)


def _continues(last: str, line: str) -> bool:
    """Does ``line`` continue the paragraph whose last line is ``last``?"""
    if _ends_sentence(last):
        return False
    if len(last) < 200 and len(line) < 200:
        return True  # a wrapped title or a hard-wrapped line
    return line[0].islower()  # a hard-wrapped sentence goes on


# What a title never starts with: Markdown, code, configuration.
_NOT_TITLE = re.compile(
    r'^(?:#{1,6} |```|!\[|\||> |[-*+] |import |from \S+ import |def |class |"""|\[[^\]]*\]$|[\w.-]+ ?= )'
)


def _odd_title(text: str, nlines: int) -> bool:
    """Not a title of a page with no other sign of being one: over two lines, or markup."""
    return nlines > 2 or bool(_NOT_TITLE.match(text))


def _wordy(text: str) -> bool:
    """Reads like an abstract (words, not code): checked only on pages with no other sign."""
    if len(text) >= 200:
        words = text[:300].split()
    else:
        words = text.split()
        if len(words) < 4:
            return False
    alpha = sum(1 for w in words if w.strip(".,;:!?()\"'").isalpha())
    return alpha * 2 >= len(words)


def _prose(text: str) -> bool:
    """A paragraph that reads as sentences, not a title: over 300 characters or two ". ",
    *and* ending a sentence (a title seldom ends with a full stop; "Dr. Jekyll vs. Mr. Hyde: ..."
    and a 390-character title do not). Asked only of a paragraph out of a title's place:
    right after a card's metadata (or its count line) a paragraph is the title, whatever it reads like."""
    return len(text) > MAX_TITLE or ((len(text) > 300 or text.count(". ") >= 2) and _ends_sentence(text))


# a reference as reader's text exports (plain, APA, MLA, Chicago) write it: one line
# ending with a full stop, or with a full stop and its link
_REFERENCE = re.compile(r"\.(?:\s+(?:https?://|doi:)\S+)?$", re.I)


def _list_kind(head: list[str]) -> str:
    """What text with no page chrome or card metadata in its first lines (``head``) looks
    like when it is no page: "references" (reader's own short plain/APA export, one a line)
    or "titles" (short lines of words, none a sentence, separated by blank lines); else ""."""
    if any(x.startswith(_ANNOTATION) for x in head):
        return ""  # (an export with notes: said as such)
    lines = [clean(x) for x in head]
    lines = [x for x in lines if x]
    if len(lines) < 2 or any(len(x) > 600 or _classify(x)[0] != "text" for x in lines):
        return ""
    if any(p.match(x) for x in lines[:_FOREIGN_LINES] for p, _name in _FOREIGN):
        return ""  # another format: said as such
    if sum(1 for x in lines if _REFERENCE.search(x)) >= 0.8 * len(lines):
        return "references"
    one_a_paragraph = not any(a.strip() and b.strip() for a, b in zip(head, head[1:], strict=False))
    if one_a_paragraph and all(len(x) < 250 and not _ends_sentence(x) and _title_words(x) for x in lines):
        return "titles"
    return ""


def _title_words(text: str) -> bool:
    """Reads like a title: words, mostly letters, no markup or code."""
    words = text.split()
    alpha = sum(1 for w in words if w.strip(".,;:!?()\"'-").isalpha())
    return len(words) >= 2 and alpha * 2 >= len(words) and not _NOT_TITLE.match(text)


def _skipped(text: str) -> str:
    """The problem line of a paragraph that fits no card (the caller names the file)."""
    short = text if len(text) <= 60 else text[:57] + "..."
    return f"a paragraph that fits no card skipped (not a title, nor after one): {short!r}"


class _Builder:
    """Collects cards into papers; a repeated card fills only what the first one lacks."""

    def __init__(self, source: str):
        self.source = source
        self.papers: list[Paper] = []
        self.by_norm: dict[str, Paper] = {}
        self.by_id: dict[str, Paper] = {}
        self.current: Paper | None = None
        self.now = datetime.now(UTC).isoformat(timespec="seconds")

    def start(self, title: str, pending: dict) -> None:
        self.finish()
        paper = Paper(key="", title=title, source_file=self.source, added_at=self.now)
        for k, v in pending.items():
            setattr(paper, k, v)
        self.current = paper

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
            _fill(existing, paper)
            return
        if len(self.papers) >= MAX_PAPERS:
            raise PageError(f"more than {MAX_PAPERS:,} papers: no copied page lists that many")
        paper.key = paper_key(paper.arxiv_id, paper.title) if paper.arxiv_id else norm_key(norm)
        self.papers.append(paper)
        self.by_norm[norm] = paper
        if paper.arxiv_id:
            self.by_id[paper.arxiv_id] = paper

    def attach(self, data: dict, pending: dict | None) -> None:
        """Metadata to ``pending`` (the next card's) when given, else to the current card;
        within a card the first value of a field wins."""
        target = self.current
        for k, v in data.items():
            if v in ("", None):
                continue
            if k == "id":
                parts = split_arxiv_id(v)
                if not parts:
                    continue
                items = (("arxiv_id", parts[0]), ("arxiv_version", parts[1]))
            else:
                items = ((k, v),)
            for name, value in items:
                if pending is not None:
                    pending.setdefault(name, value)
                elif target is not None and getattr(target, name) in ("", None):
                    setattr(target, name, value)


def _fill(existing: Paper, repeat: Paper) -> None:
    """A second rendering of a card: fill what the first lacked, keep every value it had
    (the longer abstract wins: a repeat may be cut short, never the first)."""
    for name in ("abstract", "organisation", "published", "listing_date", "upvotes", "comments",
                 "github_stars", "arxiv_id", "arxiv_version", "url"):
        new = getattr(repeat, name)
        if new in ("", None):
            continue
        old = getattr(existing, name)
        if old in ("", None) or (name == "abstract" and len(new) > len(old)):
            setattr(existing, name, new)


# card states
_NONE, _TITLE, _ABSTRACT, _CLOSED = range(4)


def parse_hf_page(text: str, source: str = "") -> list[Paper]:
    return parse_hf_lines(text.split("\n"), source)


def parse_hf_lines(lines: Iterable[str], source: str = "") -> list[Paper]:
    """Papers from the lines of a copied page (see the module doc). Raises
    :class:`NotHFPage` for text that is not a page, :class:`PageError` for one no page holds."""
    with no_gc():
        return _parse(lines, source)


def _parse(lines: Iterable[str], source: str) -> list[Paper]:
    from reader.sources import Parsed

    b = _Builder(source)
    it = iter(lines)
    head = list(islice(it, _LAYOUT_LINES))
    blank = sum(1 for line in head if not line.strip())
    if kind := _list_kind(head):
        raise NotHFPage(_LISTS[kind])
    toks = _tokens(chain(head, it), dense=blank * 40 < len(head) - blank)  # (almost) no blank line
    state = _NONE
    pending: dict = {}  # values for the next card (count-first layout)
    count_first: bool | None = None  # layout, decided at the first title
    prefix = False  # a count or "Submitted by" seen since the last title
    signals = strays = 0  # page chrome/metadata seen; paragraphs that fit no card
    odd = False  # something no copied page holds (matters only where nothing else says "page")
    odd_titles = 0  # titles that are markup or code: a page has none
    problems: list[str] = []  # paragraphs skipped: said, never silently lost
    last = ""
    nxt = next(toks, None)
    while nxt is not None:
        kind, value, data = nxt
        nxt = next(toks, None)
        if kind == "para":
            if nxt is not None and nxt[0] == "dot" and b.current is not None:
                b.attach({"organisation": value}, None)  # "<Org>" then "·" (daily page)
            elif last == "submitted" and len(value) < 60:
                pass  # the submitter's user name
            elif state == _TITLE:
                b.current.abstract = value  # whatever follows a title is its abstract
                state = _ABSTRACT
                odd = odd or (not signals and not _wordy(value))
            elif len(value) > MAX_TITLE or (_prose(value) and not (prefix or state == _CLOSED)):
                strays += 1  # page prose, or a second paragraph after an abstract: not glued
                if len(problems) < 1000:
                    problems.append(_skipped(value))
            else:
                if _odd_title(value, data):
                    odd_titles += 1
                odd = odd or (not signals and (state == _TITLE or odd_titles > 0))
                if count_first is None:
                    count_first = prefix
                b.start(value, pending)
                pending = {}
                prefix = False
                state = _TITLE
        elif kind == "chrome":
            signals += 1
        elif kind in ("count", "upvote"):
            signals += 1
            count = data.get("n") if data else value
            if kind == "upvote" and count is None and nxt is not None and nxt[0] == "count":
                count = nxt[1]
                nxt = next(toks, None)
            n = parse_count(count or "")
            if count_first is False and b.current is not None:
                # trending layout: the count is the card's own (comments after a date)
                b.attach({"comments" if last == "date" and kind == "count" else "upvotes": n}, None)
                state = _CLOSED
            elif last == "date" and kind == "count" and nxt is not None and nxt[0] == "count":
                b.attach({"comments": n}, None)  # daily page: date, comments, next card's count
                state = _CLOSED
            else:
                if n is not None:
                    pending["upvotes"] = n  # the count line before the title
                prefix = True
                state = _CLOSED if b.current is not None else state
        elif kind == "submitted":
            signals += 1
            if count_first is not False or b.current is None:
                prefix = True
            state = _CLOSED if b.current is not None else state
        elif kind == "date":
            if last == "dot" and b.current is not None:
                signals += 1
                b.attach(_place("", value), pending if prefix else None)
                state = _CLOSED
            # else: a date header of the page (chrome)
        elif kind == "dot":
            signals += 1
        else:  # meta
            signals += 1
            b.attach(data or {}, pending if prefix else None)
            if b.current is not None and not prefix and not (data or {}).keys() <= _PLACE_KEYS:
                state = _CLOSED
            elif data is not None and not data and b.current is not None:
                state = _CLOSED  # "N authors" (daily page)
        last = kind
    b.finish()
    if (not signals and (odd or strays or state == _TITLE)) or odd_titles * 2 > len(b.papers):
        raise NotHFPage("not a Hugging Face papers page (no cards: title, blank line, abstract)")
    for paper in b.papers:
        if paper.arxiv_id and not paper.url:
            paper.url = f"https://arxiv.org/abs/{paper.arxiv_id}"
    return Parsed(b.papers, problems)
