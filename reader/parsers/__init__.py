"""Turning files the user imports into :class:`reader.model.Paper` records.

Every failure is an :class:`InputError` whose message names the file and the
problem in one line; nothing else escapes (the fuzz tests check that).
"""

from __future__ import annotations

from pathlib import Path

from reader.model import Paper
from reader.parsers.decode import InputError, read_text
from reader.parsers.hf import parse_hf_page
from reader.parsers.ids import looks_like_id_list, parse_id_list

__all__ = ["InputError", "parse_file", "parse_text"]


def parse_text(text: str, source: str = "") -> list[Paper]:
    """Parse already-decoded text: a list of arXiv ids/URLs, or a copied Hugging Face page."""
    if looks_like_id_list(text):
        return parse_id_list(text, source=source)
    return parse_hf_page(text, source=source)


def parse_file(path: str | Path) -> list[Paper]:
    """Read, decode and parse one file; raise InputError naming the file on any problem."""
    path = Path(path)
    text = read_text(path)
    try:
        papers = parse_text(text, source=path.name)
    except RecursionError as exc:  # pragma: no cover - defensive
        raise InputError(path, "input too deeply nested to parse") from exc
    if not papers:
        raise InputError(path, "no papers found (expected a copied Hugging Face papers page or a list of arXiv ids)")
    return papers
