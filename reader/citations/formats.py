"""The citation formats. Each formatter takes a paper, its key and optionally the user's
note and tags (``reader export --with-notes``), and returns text.

Nothing is invented: without authors or a year the output says "n.d." (APA,
Chicago) or leaves the field out and adds a note (BibTeX), and
:func:`incomplete_fields` tells the UI what is missing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from reader.citations.metadata import (
    DOCTORAL,
    MASTERS,
    SEASONS,
    arxiv_id,
    cited_date,
    institution,
    is_published,
    preprint_date,
    report_number,
    report_series,
)
from reader.citations.metadata import circa as _circa
from reader.citations.metadata import csl_date as _csl_date
from reader.citations.metadata import date_parts as _date_parts
from reader.citations.metadata import doi as _doi
from reader.citations.metadata import editors as _editors
from reader.citations.metadata import genre as _genre
from reader.citations.metadata import link as _link
from reader.citations.metadata import names as _names
from reader.citations.metadata import school as _school
from reader.citations.metadata import season as _season
from reader.citations.metadata import tex_title as _tex_title
from reader.citations.metadata import text_title as _text_title
from reader.citations.metadata import title as _title
from reader.citations.metadata import url as _url
from reader.citations.metadata import year as _year
from reader.citations.names import ET_AL, OTHERS, Name, split_others
from reader.citations.notes import journal_note, note_lines
from reader.citations.styles import apa, chicago, mla
from reader.citations.tex import escape_bibtex, tex_field, tex_to_unicode
from reader.model import Paper
from reader.text import clean, strip_controls

INCOMPLETE_NOTE = "Authors and year unknown"


@dataclass(frozen=True)
class Annotation:
    """The user's own note and tags, written by ``--with-notes``."""

    note: str = ""
    tags: tuple[str, ...] = ()


def incomplete_fields(paper: Paper) -> list[str]:
    """What a citation of ``paper`` needs and does not have: its authors, its year, and,
    for a bare title that nothing locates (no arXiv id, DOI, journal or URL), the arXiv
    id that R looks up by the title. A work with its authors and year, or with a link of
    its own (a @misc with a URL, a book, a journal article), is never asked for an arXiv
    id (trial 10: a BibTeX @misc with authors, year and URL was "incomplete")."""
    missing = []
    if not paper.authors and not paper.editors:
        missing.append("authors")
    if not _year(paper):
        missing.append("year")
    located = paper.arxiv_id or paper.doi or is_published(paper) or clean(paper.url)
    if missing and not located:
        missing.insert(0, "arXiv id")  # may be a preprint: R finds it by its title
    return missing


def _incomplete_note(paper: Paper) -> str:
    known = paper.authors or paper.editors
    if not known and not _year(paper):
        return INCOMPLETE_NOTE
    if not known:
        return "Authors unknown"
    return "" if _year(paper) else "Year unknown"


def _tags(ann: Annotation | None) -> list[str]:
    return [t for t in (clean(t) for t in ann.tags) if t] if ann is not None else []


# -- BibTeX family -----------------------------------------------------------

# CSL item type -> (BibTeX entry type, BibLaTeX entry type, container field, BibLaTeX's container field)
BIB_TYPES = {
    "article-journal": ("article", "article", "journal", "journaltitle"),
    "article-magazine": ("article", "article", "journal", "journaltitle"),
    "article-newspaper": ("article", "article", "journal", "journaltitle"),
    "paper-conference": ("inproceedings", "inproceedings", "booktitle", "booktitle"),
    "chapter": ("incollection", "incollection", "booktitle", "booktitle"),
    "book": ("book", "book", "", ""),
    "report": ("techreport", "report", "institution", "institution"),  # what the styles print (and require)
    "thesis": ("phdthesis", "thesis", "school", "institution"),
}


MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _bib_entry(kind: str, key: str, fields: list[tuple[str, str]]) -> str:
    """The entry; a month is BibTeX's macro (``month = jun``), which styles print in their language."""
    body = ",\n".join(f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
                       for name, value in fields if value)
    return f"@{kind}{{{key},\n{body}\n}}"


def _bib_names(names: list[Name]) -> str:
    """BibTeX's list; a last ET_AL is its "and others" (styles print "et al.")."""
    named, more = split_others(names)
    return " and ".join([escape_bibtex(n.bibtex()) if not n.literal else "{" + escape_bibtex(n.family) + "}"
                         for n in named] + (["others"] if more else []))


def _bib_pages(paper: Paper) -> str:
    return escape_bibtex(clean(paper.pages)).replace("\u2013", "--").replace("--", "-").replace("-", "--")


def _bib_notes(paper: Paper, ann: Annotation | None, biblatex: bool) -> list[tuple[str, str]]:
    note = "; ".join(x for x in [_incomplete_note(paper), journal_note(paper)] if x)
    fields = [("note", escape_bibtex(note))]
    if ann is not None:
        lines = clean(ann.note, keep_newlines=True).splitlines()
        fields.append(("annote", "\n".join(escape_bibtex(x, literal=True) for x in lines).strip()))
        fields.append(("keywords", _bib_keywords(_tags(ann))))
    return fields


def _bib_keywords(tags: list[str]) -> str:
    """Tags separated by commas; a tag holding a comma or semicolon is braced, which biblatex
    (and reader) read as one keyword: ``{a;b}, c``."""
    escaped = [escape_bibtex(t, literal=True) for t in tags]
    return ", ".join("{" + e + "}" if any(c in t for c in ",;") else e for t, e in zip(tags, escaped, strict=True))


# a thesis's genre -> (BibTeX entry type, biblatex's type key); another genre is @phdthesis
# with a `type` (which BibTeX styles print instead of "PhD thesis"), biblatex's type as written
THESIS_TYPES = {DOCTORAL: ("phdthesis", "phdthesis"), MASTERS: ("mastersthesis", "mathesis")}


def _bib_published(paper: Paper, biblatex: bool) -> tuple[str, list[tuple[str, str]]]:
    """Entry type and the fields of the published version."""
    bib, blx, container, blx_container = BIB_TYPES.get(clean(paper.entry_type), ("misc", "misc", "", ""))
    fields = []
    thesis = clean(paper.entry_type) == "thesis"
    if thesis:  # the school, where BibTeX wants it; the genre as the entry type or its `type`
        genre = _genre(paper)
        bib, blx_type = THESIS_TYPES.get(genre, ("phdthesis", genre))
        fields.append((blx_container if biblatex else container, escape_bibtex(_school(paper))))
        fields.append(("type", escape_bibtex(blx_type if biblatex else "" if genre in THESIS_TYPES else genre)))
    elif clean(paper.entry_type) == "report":  # the institution (CSL's publisher, or where BibTeX's was kept)
        fields.append((container, escape_bibtex(institution(paper))))
        fields.append(("series", escape_bibtex(report_series(paper))))
    elif container:
        fields.append((blx_container if biblatex else container, escape_bibtex(clean(paper.journal))))
    elif clean(paper.journal):
        fields.append(("howpublished", escape_bibtex(clean(paper.journal))))
    fields += [
        ("volume", escape_bibtex(clean(paper.volume))),
        ("number", escape_bibtex(clean(paper.issue))),
        ("pages", _bib_pages(paper)),
        ("publisher", escape_bibtex(clean(paper.publisher)) if not thesis and clean(paper.entry_type) != "report" else ""),
        ("location" if biblatex else "address", escape_bibtex(clean(paper.place))),
    ]
    return (blx if biblatex else bib), fields


def _bib_title(paper: Paper) -> str:
    """The title field: the source's own TeX when there is one (the braces of the user's
    BibTeX file protect case, a plain-text title's braces are characters), else the title
    escaped; acronyms protected either way. A TeX form whose braces do not balance gives
    the title with every character itself (its braces are characters then too)."""
    tex = _tex_title(paper)
    if tex:
        return tex_field(tex) or escape_bibtex(_title(paper), protect_acronyms=True, literal=True)
    return escape_bibtex(_title(paper), protect_acronyms=True)


def bibtex(paper: Paper, key: str, ann: Annotation | None = None) -> str:
    fields = [
        ("title", _bib_title(paper)),
        ("author", _bib_names(_names(paper))),
        ("editor", _bib_names(_editors(paper))),
    ]
    kind = "misc"
    if is_published(paper):
        kind, more = _bib_published(paper, biblatex=False)
        fields += more
    parts = _date_parts(paper)
    fields.append(("year", str(parts[0]) if parts else ""))  # a number: styles sort, label and cite by it
    month = MONTH_MACROS[parts[1] - 1] if len(parts) > 1 else ""
    if parts and _season(paper):  # styles print the month field as written: "Spring 2019"
        month = "{" + SEASONS[_season(paper) - 1] + "}"
    fields.append(("month", month))
    # BibTeX has no "circa": an approximate date also gets biblatex's EDTF date (1900~), a
    # field BibTeX styles ignore and biber, JabRef and reader's import read (year stays a number)
    fields.append(("date", _edtf(paper, parts) if _circa(paper) else ""))
    fields += [
        ("eprint", arxiv_id(paper)),
        ("archivePrefix", "arXiv" if paper.arxiv_id else ""),
        ("primaryClass", clean(paper.primary_category) if paper.arxiv_id else ""),
        ("url", escape_url(_url(paper))),
        ("doi", escape_url(_doi(paper))),
    ]
    fields += _bib_notes(paper, ann, biblatex=False)
    return _bib_entry(kind, key, fields)


def biblatex(paper: Paper, key: str, ann: Annotation | None = None) -> str:
    fields = [
        ("title", _bib_title(paper)),
        ("author", _bib_names(_names(paper))),
        ("editor", _bib_names(_editors(paper))),
    ]
    kind = "online"
    if is_published(paper):
        kind, more = _bib_published(paper, biblatex=True)
        fields += more
    parts = _date_parts(paper)
    fields += [
        ("date", _edtf(paper, parts)),
        ("eprint", arxiv_id(paper)),
        ("eprinttype", "arxiv" if paper.arxiv_id else ""),
        ("eprintclass", clean(paper.primary_category) if paper.arxiv_id else ""),
        ("url", escape_url(_url(paper))),
        ("doi", escape_url(_doi(paper))),
    ]
    fields += _bib_notes(paper, ann, biblatex=True)
    return _bib_entry(kind, key, fields)


def _edtf(paper: Paper, parts: list[int]) -> str:
    """biblatex's date: ISO 8601 with EDTF's season (2019-21) and approximate mark (1900~)."""
    if not parts:
        return ""
    date = "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))
    if _season(paper):
        date += f"-{20 + _season(paper)}"
    return date + ("~" if _circa(paper) else "")


def escape_url(url: str) -> str:
    return url.replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")


# -- machine formats ---------------------------------------------------------

def csl_item(paper: Paper, key: str, ann: Annotation | None = None) -> dict:
    """CSL-JSON as Zotero writes it: a preprint is an ``article`` published by arXiv with
    number ``arXiv:ID`` and arXiv's DOI; a published paper has its own type, container,
    volume, issue, pages, date and DOI."""
    item: dict = {"id": key, "type": "article", "title": _text_title(paper)}
    names = _names(paper)
    if names:
        item["author"] = [n.csl() for n in names]
    if _editors(paper):
        item["editor"] = [n.csl() for n in _editors(paper)]
    if _date_parts(paper):
        item["issued"] = _csl_date(cited_date(paper))
    if preprint_date(paper):  # the preprint's date, which the venue's replaces in the citation
        item["submitted"] = _csl_date(preprint_date(paper))
    if is_published(paper):
        item["type"] = clean(paper.entry_type)
        thesis = item["type"] == "thesis"  # its school is CSL's publisher, its kind the genre
        report = item["type"] == "report"  # its institution is CSL's publisher, its number CSL's number
        container = "" if thesis else report_series(paper) if report else paper.journal
        publisher = _school(paper) if thesis else institution(paper) if report else paper.publisher
        for name, value in (("container-title", container), ("volume", paper.volume),
                            ("issue", "" if report else paper.issue), ("number", report_number(paper) if report else ""),
                            ("page", paper.pages), ("genre", _genre(paper)),
                            ("publisher", publisher), ("publisher-place", paper.place)):
            if clean(value):
                item[name] = tex_to_unicode(clean(value))
    elif paper.arxiv_id:
        item["publisher"] = "arXiv"
        item["number"] = f"arXiv:{arxiv_id(paper)}"
    if _doi(paper):
        item["DOI"] = _doi(paper)
    if _url(paper):
        item["URL"] = _url(paper)
    if paper.abstract:
        item["abstract"] = clean(paper.abstract)
    notes = note_lines(paper, ann.note if ann is not None else None)
    if notes:
        item["note"] = "\n".join(notes)
    tags = _tags(ann)
    if tags:
        item["keyword"] = ", ".join(tags)  # what other tools read
        if any(c in t for c in ",;" for t in tags):  # which would split it: the list, where CSL keeps extra data
            item["custom"] = {"tags": tags}
    return item


def csl_json(papers: list[tuple[Paper, str]], anns: list[Annotation | None] | None = None) -> str:
    anns = anns or [None] * len(papers)
    items = [csl_item(p, k, a) for (p, k), a in zip(papers, anns, strict=True)]
    return json.dumps(items, ensure_ascii=False, indent=2)


RIS_TYPES = {"article-journal": "JOUR", "paper-conference": "CPAPER", "chapter": "CHAP", "book": "BOOK",
             "report": "RPRT", "thesis": "THES", "article-magazine": "MGZN", "article-newspaper": "NEWS"}


def ris_name(n: Name) -> str:
    """RIS's "Last, First, Suffix"; a corporate name ends with a comma, as EndNote marks it
    (a name without one is read as "First Last")."""
    if n == ET_AL:
        return OTHERS  # RIS has no "et al.": BibTeX's word, which reader reads back
    if n.literal:
        return n.family + ","
    given = " ".join(p for p in (n.given, n.dropping) if p)
    return ", ".join([n.full_family, given] + ([n.suffix] if n.suffix else [])) if given or n.suffix else n.full_family + ","


def ris(paper: Paper, key: str, ann: Annotation | None = None) -> str:
    published = is_published(paper)
    kind = RIS_TYPES.get(clean(paper.entry_type), "GEN") if published else "UNPB"
    lines = [f"TY  - {kind}", f"ID  - {key}", f"TI  - {_text_title(paper)}"]
    lines += [f"{tag}  - {ris_name(n)}" for tag, names in (("AU", _names(paper)), ("ED", _editors(paper))) for n in names]
    parts = _date_parts(paper)
    if parts:
        lines.append(f"PY  - {parts[0]}")
        other = " ".join(x for x in ("circa" if _circa(paper) else "", SEASONS[_season(paper) - 1] if _season(paper) else "") if x)
        date = "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))
        lines.append("DA  - " + (date + "/" * (4 - len(parts)) + other if other else date))  # YYYY/MM/DD/other
    if published:
        pages = clean(paper.pages).replace("\u2013", "-").replace("--", "-")
        start, _, end = pages.partition("-")
        thesis = clean(paper.entry_type) == "thesis"  # its school is the publisher, its kind M3 ("Type of Work")
        report = clean(paper.entry_type) == "report"  # its institution is the publisher
        for tag, value in (("T2", "" if thesis else report_series(paper) if report else paper.journal), ("VL", paper.volume),
                           ("IS", paper.issue), ("SP", start), ("EP", end),
                           ("PB", _school(paper) if thesis else institution(paper) if report else paper.publisher),
                           ("CY", paper.place), ("M3", _genre(paper))):
            if clean(value):
                lines.append(f"{tag}  - {tex_to_unicode(clean(value))}")
    elif paper.arxiv_id:
        lines.append("PB  - arXiv")
        lines.append(f"M1  - arXiv:{arxiv_id(paper)}")
    if _doi(paper):
        lines.append(f"DO  - {_doi(paper)}")
    if _url(paper):
        lines.append(f"UR  - {_url(paper)}")
    if paper.abstract:
        lines.append(f"AB  - {clean(paper.abstract)}")
    lines += [f"N1  - {note}" for note in note_lines(paper, ann.note if ann is not None else None, one_line=True)]
    lines += [f"KW  - {t}" for t in _tags(ann)]
    lines.append("ER  - ")
    return "\n".join(lines)


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\*_<>[]`"})


def markdown(paper: Paper, key: str = "", ann: Annotation | None = None) -> str:
    title = _text_title(paper).translate(_MD_SPECIAL)
    url = _link(paper) if is_published(paper) else _url(paper)
    return f"[{title}](<{url}>)" if url else title


def plain(paper: Paper, key: str = "", ann: Annotation | None = None) -> str:
    return " ".join(x for x in [_end(_text_title(paper)), _url(paper)] if x)


def _end(text: str, mark: str = ".") -> str:
    return text if text.endswith((".", "?", "!")) else text + mark


Formatter = Callable[..., str]
FORMATS: dict[str, Formatter] = {
    "bibtex": bibtex,
    "biblatex": biblatex,
    "apa": apa,
    "mla": mla,
    "chicago": chicago,
    "csl-json": lambda p, k, a=None: csl_json([(p, k)], [a]),
    "ris": ris,
    "markdown": markdown,
    "plain": plain,
}
FORMAT_LABELS = {
    "bibtex": "BibTeX", "biblatex": "BibLaTeX", "apa": "APA 7", "mla": "MLA 9",
    "chicago": "Chicago (author-date)", "csl-json": "CSL-JSON", "ris": "RIS",
    "markdown": "Markdown link", "plain": "Plain text",
}


def render(items: list[tuple[Paper, str]], fmt: str, anns: list[Annotation | None] | None = None) -> str:
    """The citation text for ``items`` (paper, key) in ``fmt``; blocks separated by a blank line.
    ``anns`` (parallel to ``items``) adds the user's notes and tags where the format has fields for them."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    anns = anns or [None] * len(items)
    if fmt == "csl-json":
        return csl_json(items, anns) + "\n"
    if fmt in _TEXT_FORMATS:  # a reference a line; notes and tags, when asked for, indented below it
        return "\n".join(_annotated(FORMATS[fmt](p, k), a) for (p, k), a in zip(items, anns, strict=True)) + "\n"
    return "\n\n".join(FORMATS[fmt](p, k, a) if a is not None else FORMATS[fmt](p, k)
                       for (p, k), a in zip(items, anns, strict=True)) + "\n"


_TEXT_FORMATS = ("markdown", "plain", "apa", "mla", "chicago")


def _annotated(reference: str, ann: Annotation | None) -> str:
    """A text reference with the user's note and tags below it (an annotated
    bibliography): each line indented four spaces."""
    note, tags = (strip_controls(ann.note).strip(), _tags(ann)) if ann is not None else ("", [])
    if not (note or tags):
        return reference
    lines = [reference]
    if note:  # as typed (its spacing kept), without what would act on a terminal
        note_lines = note.splitlines()
        lines += ["    Note: " + note_lines[0]] + ["    " + line if line.strip() else "" for line in note_lines[1:]]
    if tags:
        lines.append("    Tags: " + ", ".join(tags))
    return "\n".join(lines)
