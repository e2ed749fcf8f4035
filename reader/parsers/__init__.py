"""Turning files the user imports into :class:`reader.model.Paper` records.

Every failure is an :class:`InputError` whose message names the file and the
problem in one line; nothing else escapes (the fuzz tests check that). Files are
streamed line by line (:mod:`reader.parsers.decode`), so memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain, islice
from pathlib import Path

from reader.model import Paper
from reader.parsers.decode import InputError, label, with_lines
from reader.parsers.hf import NotHFPage, PageError, parse_hf_lines
from reader.parsers.ids import SNIFF_LINES, looks_like_id_list, parse_id_list

__all__ = ["InputError", "NotHFPage", "PageError", "parse_file", "parse_lines", "parse_text"]


def parse_lines(lines: Iterable[str], source: str = "") -> list[Paper]:
    """Parse a stream of lines: a list of arXiv ids/URLs, or a copied Hugging Face page."""
    it: Iterator[str] = iter(lines)
    head = _head(it)
    it = chain(head, it)
    if looks_like_id_list(head):
        return parse_id_list(it, source=source)
    return parse_hf_lines(it, source=source)


def _head(it: Iterator[str]) -> list[str]:
    """The first lines, up to SNIFF_LINES non-blank ones (bounded: at most 4x that many lines)."""
    head: list[str] = []
    nonblank = 0
    for line in islice(it, SNIFF_LINES * 4):
        head.append(line)
        if line.strip():
            nonblank += 1
            if nonblank >= SNIFF_LINES:
                break
    return head


def parse_text(text: str, source: str = "") -> list[Paper]:
    """Parse already-decoded text (an :class:`InputError` names ``source`` on a problem)."""
    try:
        return parse_lines(text.split("\n"), source)
    except PageError as exc:
        raise InputError(source or "<text>", str(exc)) from exc


def parse_file(path: str | Path) -> list[Paper]:
    """Read, decode and parse one file (``-``: standard input); raise InputError naming
    the file on any problem."""
    name = label(path)
    source = "stdin" if name != str(path) else Path(path).name
    try:
        papers = with_lines(path, lambda lines: parse_lines(lines, source=source))
    except PageError as exc:
        raise InputError(name, str(exc)) from exc
    except RecursionError as exc:  # pragma: no cover - defensive
        raise InputError(name, "input too deeply nested to parse") from exc
    if not papers:
        raise InputError(name, "no papers found (expected a copied Hugging Face papers page or a list of arXiv ids)")
    return papers
