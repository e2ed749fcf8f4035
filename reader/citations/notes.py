"""The note of reader's CSL-JSON items and RIS records (``note``, ``N1``), written and read.

It holds a preprint's journal reference, labelled "Journal reference: ..." (arXiv's label),
then the user's note (``--with-notes``). Exports before the label wrote the reference
as the note's first line, unlabelled ("Phys. Rev. D 12, 345 (2024), doi:10.1/x"); an
import reads that old form as the journal reference when the line could not be a
person's note (:func:`old_journal_line`), on a preprint only. A preprint's note whose
first line has that form, with no journal reference before it, is written after "Note: "
(and read back without it), so today's exports never lose one; every other note is
written as typed (a published paper's "NeurIPS 2023" too: other tools show it as it is).
Other tools show that rare label; no form without one both reads cleanly elsewhere and
tells reader's import, which must still read the old exports, that it is a note: the
first line is all the import has, and a blank line or mark before it would show too.
"""

from __future__ import annotations

import re

from reader.citations.metadata import is_published, journal_doi
from reader.model import Paper
from reader.text import clean, strip_controls

JOURNAL_REF_LABEL = "Journal reference: "  # arXiv's own label; an import reads the line back as that
NOTE_LABEL = "Note: "  # before a user's note that would read as an old journal reference


def journal_note(paper: Paper) -> str:
    """The journal reference of a preprint whose published version is not known in detail."""
    if is_published(paper):
        return ""
    ref = clean(paper.journal_ref)
    doi = journal_doi(paper) if paper.arxiv_id else ""
    if ref and doi:
        return f"{ref}, doi:{doi}"
    return ref or (f"doi:{doi}" if doi else "")


def note_lines(paper: Paper, note: str | None, one_line: bool = False) -> list[str]:
    """The notes of CSL-JSON's note (joined by newlines) or RIS's N1 lines (``one_line``:
    each note's lines joined): the journal reference, labelled, then the user's ``note``
    (None without --with-notes), its spacing kept (Markdown)."""
    journal = journal_note(paper)
    lines = [JOURNAL_REF_LABEL + journal] if journal else []
    text = strip_controls(note or "").strip("\n")
    if one_line:
        text = " ".join(text.split())
    if text.strip():
        first = clean(text, keep_newlines=True).strip().splitlines()[0]
        if not lines and _collides(first) and (_preprint(paper) or first.startswith(NOTE_LABEL)):
            indent = len(text) - len(text.lstrip())
            text = text[:indent] + NOTE_LABEL + text[indent:]
        lines.append(text)
    return lines


def _preprint(paper: Paper) -> bool:
    """An import reads an unlabelled first line as a journal reference only for a preprint
    (as reader.sources.Parsed.add decides it): only its note may need the label."""
    return bool(paper.arxiv_id) and not is_published(paper)


def read_note(note: str, preprint: bool, unlabelled: bool = True) -> tuple[str, str, str]:
    """(the user's note, journal reference, DOI of the published version) of a note as
    :func:`note_lines` writes it, or, with ``unlabelled`` (a CSL-JSON note, a RIS N1), as
    an export before the label wrote it: a ``preprint``'s first line unlabelled (as
    journal_note). Lines are cleaned."""
    lines = clean(note, keep_newlines=True).strip().splitlines()
    ref = doi = ""
    labelled = [x for x in lines if x.startswith(JOURNAL_REF_LABEL)]
    for line in labelled:
        found = _journal_parts(line[len(JOURNAL_REF_LABEL):])
        ref, doi = ref or found[0], doi or found[1]
    lines = [x for x in lines if not x.startswith(JOURNAL_REF_LABEL)]
    if lines and unlabelled and not labelled:
        first = lines[0]
        if first.startswith(NOTE_LABEL) and _collides(first[len(NOTE_LABEL):]):
            lines[0] = first[len(NOTE_LABEL):]
        elif preprint and (old := old_journal_line(first)):
            ref, doi = old
            lines = lines[1:]
    return "\n".join(lines).strip(), ref, doi


_MISSING = re.compile(r"^(?:Authors and year|Authors|Year) unknown(?:; |$)")  # formats._incomplete_note's


def read_bibtex_note(note: str) -> tuple[str, str]:
    """(journal reference, DOI) of a preprint's BibTeX ``note`` as reader writes it: the
    journal note, unlabelled (the field is printed), after what metadata is missing
    ("Year unknown; Phys. Rev. D 12, 345 (2024)"); ("", "") for a note of another kind."""
    return old_journal_line(_MISSING.sub("", clean(note))) or ("", "")


def _journal_parts(text: str) -> tuple[str, str]:
    """(reference, DOI) of what journal_note wrote: "Phys. Rev. D 12, 345, doi:10.1/x",
    "doi:10.1/x" or the reference alone."""
    text = text.strip()
    if text.startswith("doi:"):
        return "", text[4:].strip()
    ref, _, doi = text.rpartition(", doi:") if ", doi:" in text else (text, "", "")
    return ref.strip(), doi.strip()


_DOI_FORM = re.compile(r"^(?:.+, )?doi:10\.[^\s/]+/\S+$")  # journal_note's, with a DOI
_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")
_VENUE_MARK = re.compile(r"\d|\b[A-Z][a-z]{0,5}\.|[A-Z]{2}")  # a volume or page, "Phys.", "IEEE", "NeurIPS"
_LABELLED = re.compile(r"^[^\s:]+(?: [^\s:]+)?:\s")  # "Comment: ..." (Zotero's arXiv comment), "Mine: ..."
_WORDS = re.compile(r"[^\W\d_]+")
# the lowercase words of journal references ("Published in Proc. of the 40th Conf. on X,
# pp. 1-9, 2019"); any other makes a line a person's note ("Read with care in 2024")
_REFERENCE_WORDS = frozenset("""
    a an and at by in of on the to for appear appears accepted published proceedings proc pp p vol vols
    no nos pages page conference conf workshop workshops symposium meeting annual international journal
    letters lett review rev transactions trans series supplement suppl track main special issue volume
    part ed eds edition oral poster spotlight extended abstract short long full version camera ready
    th st nd rd de la le des du der di et al für und sur
""".split())
_NOTE_WORDS = frozenset({"todo", "fixme", "nb", "ps"})


def old_journal_line(line: str) -> tuple[str, str] | None:
    """(reference, DOI) when ``line`` is a journal reference as exports before the label
    wrote it, else None. journal_note's forms with a DOI ("REF, doi:DOI", "doi:DOI") are
    taken as they are. A reference alone must read as one and as no note: a year and a
    volume, page or abbreviated venue ("Phys. Rev. D 12, 345 (2024)", "NeurIPS 2017"), at
    most 200 characters, no label ("Comment: ..."), no lowercase word that references do
    not use ("Compare with BERT (2018)" is a note) and no TODO."""
    line = line.strip()
    if line[:5].lower() == "arxiv":  # the preprint's own id ("arXiv:2001.01234", Zotero's)
        return None
    if _DOI_FORM.match(line):
        return _journal_parts(line)
    year = _YEAR.search(line)
    if not year or len(line) > 200 or _LABELLED.match(line):
        return None
    if not _VENUE_MARK.search(line[: year.start()] + " " + line[year.end():]):
        return None
    words = _WORDS.findall(line)
    if any(w.lower() in _NOTE_WORDS or (w.islower() and w not in _REFERENCE_WORDS) for w in words):
        return None
    return line, ""


def _collides(line: str) -> bool:
    """A user's note starting with ``line`` would be read as an old journal reference
    (with one "Note: " fewer than written: the label before such a note is taken off)."""
    while line.startswith(NOTE_LABEL):
        line = line[len(NOTE_LABEL):]
    return old_journal_line(line) is not None
