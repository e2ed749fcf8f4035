"""Where papers come from besides copied pages: bibliography files (BibTeX, CSL-JSON, RIS),
the arXiv metadata snapshot, and fetched sources (Hugging Face daily, arXiv listings and
searches, RSS/Atom feeds). Pure Python, no textual imports."""

from __future__ import annotations

import re

from reader.citations.formats import Annotation
from reader.citations.notes import read_note
from reader.model import Paper
from reader.text import clean

_TAG_SEP = re.compile(r"[,;]")
_ARXIV_NOTE = re.compile(r"^arxiv:\s*\S+(?:\s+\[[^\]]*\])?$", re.I)  # Zotero's "arXiv:1706.03762 [cs]"


class Parsed(list[Paper]):
    """The papers read from one input, plus one line per entry that could not be read
    (``"line 12: no title"``) and warnings about the input as a whole that skipped nothing
    (bytes that are not UTF-8, replaced). A list, so callers that only want papers need no change.
    ``marks`` holds the note and tags an entry carried (``reader export --with-notes``,
    Zotero): the store gives them to the paper each entry became."""

    def __init__(self, papers=(), problems: list[str] | None = None, fmt: str = "", warnings: list[str] | None = None):
        super().__init__(papers)
        self.problems: list[str] = problems or []
        self.warnings: list[str] = warnings or []
        self.format = fmt
        self.marks: list[tuple[Paper, Annotation]] = []
        self.tail_cut = None  # the entry the input ends inside (reader.parsers.pieces.Cut), if cut

    def add(self, paper: Paper, note: str = "", tags: list[str] | tuple[str, ...] = (), reader_note: bool = False) -> None:
        """Append ``paper`` with the note and tags its entry carried. A "Journal reference:"
        line (reader's own CSL-JSON and RIS, arXiv's label) is the paper's journal
        reference, not a note; with ``reader_note`` (a CSL-JSON note, a RIS N1) so is a
        preprint's first line in the unlabelled form of reader's exports before the label
        (:func:`reader.citations.notes.read_note`)."""
        self.append(paper)
        note, ref, doi = read_note(note, preprint=bool(paper.arxiv_id) and not paper.entry_type, unlabelled=reader_note)
        paper.journal_ref = paper.journal_ref or ref
        paper.doi = paper.doi or doi
        lines = clean(note, keep_newlines=True).strip().splitlines()
        note = "\n".join(x for x in lines if not _ARXIV_NOTE.match(x.strip())).strip()  # the id is read elsewhere
        tags = tuple(dict.fromkeys(t for t in (clean(t) for t in tags) if t))
        if note or tags:
            self.marks.append((paper, Annotation(note, tags)))


def split_tags(text: str) -> list[str]:
    """A keywords field: tags separated by commas (or semicolons)."""
    return [t.strip() for t in _TAG_SEP.split(text) if t.strip()]
