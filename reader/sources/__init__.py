"""Where papers come from besides copied pages: bibliography files (BibTeX, CSL-JSON, RIS),
the arXiv metadata snapshot, and fetched sources (Hugging Face daily, arXiv listings and
searches, RSS/Atom feeds). Pure Python, no textual imports."""

from __future__ import annotations

from reader.model import Paper


class Parsed(list[Paper]):
    """The papers read from one input, plus one line per entry that could not be read
    (``"line 12: no title"``) and warnings about the input as a whole that skipped nothing
    (bytes that are not UTF-8, replaced). A list, so callers that only want papers need no change."""

    def __init__(self, papers=(), problems: list[str] | None = None, fmt: str = "", warnings: list[str] | None = None):
        super().__init__(papers)
        self.problems: list[str] = problems or []
        self.warnings: list[str] = warnings or []
        self.format = fmt
