"""Files of arXiv ids or URLs, one per line: ``2401.01234``, ``2401.01234v2``,
``arXiv:hep-th/9901001``, ``https://arxiv.org/abs/...``, ``https://huggingface.co/papers/...``,
arXiv's DOIs (``10.48550/arXiv.2401.01234``, ``https://doi.org/10.48550/arXiv...``), maybe as
Markdown bullets (``- 2401.01234``, ``1. ...``) or followed by the paper's title or a comment
(``2401.01234 Mixtral of Experts``, ``2401.01234 - a great paper``).

Such a file creates id-only papers (titled ``arXiv:<id>`` until resolved). Lines are
streamed; at most :data:`MAX_IDS` distinct ids are kept."""

from __future__ import annotations

import re
from collections.abc import Iterable

from reader.gc_pause import no_gc
from reader.model import Paper, placeholder_title, split_arxiv_id
from reader.parsers.hf import PageError
from reader.text import clean

MAX_IDS = 100_000
SNIFF_LINES = 200  # an id list has only ids in its first lines

_URL = re.compile(
    r"^(?:https?://)?(?:www\.|export\.)?(?:arxiv\.org/(?:abs|pdf|html|format)|huggingface\.co/papers"
    r"|alphaxiv\.org/(?:abs|overview))/(?P<id>[^\s?#]+?)(?:\.pdf)?/?(?:[?#].*)?$",
    re.I,
)
# arXiv's DOI for a paper is 10.48550/arXiv.<id>
_DOI = re.compile(r"^(?:(?:https?://)?(?:dx\.)?doi\.org/|doi:\s*)?10\.48550/arxiv\.(?P<id>\S+)$", re.I)
_BULLET = re.compile(r"^(?:[-*+\u2022]|\d{1,4}[.)])\s+")  # "- 2401.00001", "* ...", "1. ...", "2) ..."
_NEW_STYLE = re.compile(r"^(?:arxiv:)?\d{2}(?P<month>\d{2})\.", re.I)
# between the ids of one line (copied from a table, an email, a spreadsheet's column)
_SEPARATORS = re.compile(r"[\s,;|]+")
_PREFIX_SPACE = re.compile(r"\barxiv:\s+", re.I)  # "arXiv: 2401.00001"
_AROUND = "<>()[]{}\"'`*"  # wrapped around an id or URL: <https://...>, [2401.00001], "2401.00001"
MOSTLY = 0.5  # the share of a list's first lines that must be ids for its other lines to be called bad ones


def line_id(line: str) -> tuple[str, str] | None:
    line = clean(line)
    if not line:
        return None
    m = _URL.match(line) or _DOI.match(line)
    text = m.group("id") if m else line
    if text[-1:] in "vV" and text[-2:-1].isdigit():
        text = text[:-1]  # "2403.99999v": a version cut off
    parts = split_arxiv_id(text)
    if parts and (month := _NEW_STYLE.match(text)) and not 1 <= int(month.group("month")) <= 12:
        return None  # "1234.5678": no month 34 (new-style ids are YYMM.NNNNN)
    return parts


def line_ids(line: str) -> list[tuple[str, str]] | None:
    """The (id, version) pairs of one line: one or more ids or URLs separated by spaces,
    commas, semicolons or bars, each maybe in brackets or quotes or followed by a full
    stop, the line maybe a Markdown bullet; what follows the ids is the paper's title or a
    comment (``2401.04088 Mixtral of Experts``); [] for a blank or ``#`` line; None if
    the line does not start with an id."""
    line = clean(line)
    if not line or line.startswith("#"):
        return []
    line = _BULLET.sub("", line, count=1)
    out = []
    for piece in _SEPARATORS.split(_PREFIX_SPACE.sub("arXiv:", line)):
        piece = piece.strip(_AROUND).rstrip(".")
        if not piece:
            continue
        parts = line_id(piece)
        if not parts:
            return out or None  # the rest is a title or comment
        out.append(parts)
    return out or None  # (a bullet alone)


def looks_like_id_list(text: str | Iterable[str]) -> bool:
    """``text`` (or its first lines) holds arXiv ids/URLs (blank and ``#`` lines aside): all
    of its lines, or at least :data:`MOSTLY` of them and two (a heading, a stray word:
    those lines are reported, not the whole list read as a page)."""
    lines = text.splitlines() if isinstance(text, str) else text
    good = bad = 0
    for ln in lines:
        ids = line_ids(ln)
        if ids == []:
            continue
        if ids is None:
            bad += 1
        else:
            good += 1
        if good + bad >= SNIFF_LINES:
            break
    return good > 0 and (not bad or (good >= 2 and good >= MOSTLY * (good + bad)))


def parse_id_list(text: str | Iterable[str], source: str = "") -> list[Paper]:
    with no_gc():
        return _parse(text.splitlines() if isinstance(text, str) else text, source)


def _parse(lines: Iterable[str], source: str) -> list[Paper]:
    from reader.sources import Parsed

    seen: dict[str, Paper] = {}
    problems: list[str] = []
    for n, line in enumerate(lines, 1):
        ids = line_ids(line)
        if ids is None:
            if len(problems) < 1000:
                problems.append(f"line {n}: not an arXiv id or URL ({clean(line)[:60]}), skipped")
            continue
        for arxiv_id, version in ids:
            if arxiv_id in seen:
                continue
            if len(seen) >= MAX_IDS:
                raise PageError(f"more than {MAX_IDS:,} arXiv ids: split the list")
            seen[arxiv_id] = Paper(
                key=arxiv_id, title=placeholder_title(arxiv_id), arxiv_id=arxiv_id, arxiv_version=version,
                url=f"https://arxiv.org/abs/{arxiv_id}", source_file=source,
            )
    return Parsed(seen.values(), problems, fmt="list of arXiv ids")
