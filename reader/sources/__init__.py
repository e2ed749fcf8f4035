"""Where papers come from besides copied pages: bibliography files (BibTeX, CSL-JSON, RIS),
the arXiv metadata snapshot, and fetched sources (Hugging Face daily, arXiv listings and
searches, RSS/Atom feeds). Pure Python, no textual imports."""

from __future__ import annotations

import re

from reader.citations.formats import JOURNAL_REF_LABEL, Annotation
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

    def add(self, paper: Paper, note: str = "", tags: list[str] | tuple[str, ...] = ()) -> None:
        """Append ``paper`` with the note and tags its entry carried. A "Journal reference:"
        line (reader's own CSL-JSON and RIS, arXiv's label) is the paper's journal
        reference, not a note."""
        self.append(paper)
        lines = clean(note, keep_newlines=True).strip().splitlines()
        for line in lines:
            if line.startswith(JOURNAL_REF_LABEL):
                ref, doi = _journal_ref(line[len(JOURNAL_REF_LABEL):])
                paper.journal_ref = paper.journal_ref or ref
                paper.doi = paper.doi or doi
        lines = [x for x in lines if not x.startswith(JOURNAL_REF_LABEL)]
        note = "\n".join(x for x in lines if not _ARXIV_NOTE.match(x.strip())).strip()  # the id is read elsewhere
        tags = tuple(dict.fromkeys(t for t in (clean(t) for t in tags) if t))
        if note or tags:
            self.marks.append((paper, Annotation(note, tags)))


def _journal_ref(text: str) -> tuple[str, str]:
    """(reference, DOI of the published version) of a journal note, as
    :func:`reader.citations.formats.journal_note` writes it: "Phys. Rev. D 12, 345,
    doi:10.1/x", "doi:10.1/x" or the reference alone."""
    text = text.strip()
    if text.startswith("doi:"):
        return "", text[4:].strip()
    ref, _, doi = text.rpartition(", doi:") if ", doi:" in text else (text, "", "")
    return ref.strip(), doi.strip()


def split_tags(text: str) -> list[str]:
    """A keywords field: tags separated by commas (or semicolons)."""
    return [t.strip() for t in _TAG_SEP.split(text) if t.strip()]
