"""What the citation formats need from a paper: parsed names, the canonical arXiv id,
which version is cited (published or preprint), its DOI, link, date and title."""

from __future__ import annotations

import re

from reader.citations.names import ET_AL, OTHERS, Name, parse_name
from reader.citations.tex import tex_to_unicode
from reader.model import Paper
from reader.text import clean


def names(paper: Paper) -> list[Name]:
    return parse_names(paper.authors)


def editors(paper: Paper) -> list[Name]:
    return parse_names(paper.editors)


def parse_names(raw: list[str]) -> list[Name]:
    """The names of a list; a last "others" (BibTeX's "and others") is the marker ET_AL."""
    out = [n for n in (parse_name(clean(a)) for a in raw if clean(a)) if n.family]
    if len(out) > 1 and clean(raw[-1]) == OTHERS:
        out[-1] = ET_AL
    return out


_OLD_STYLE = re.compile(r"^([a-z\-]+)\.[A-Z]{2}/(\d{7})$")


def arxiv_id(paper: Paper) -> str:
    """The canonical arXiv id: ``math.GT/0309136`` is ``math/0309136`` (its DOI and URL use that)."""
    return _OLD_STYLE.sub(r"\1/\2", clean(paper.arxiv_id))


def is_published(paper: Paper) -> bool:
    """Cite the published version (journal, proceedings, ...) rather than the preprint."""
    return bool(paper.entry_type)


DOCTORAL = "Doctoral dissertation"  # APA's words, which reader.sources.bibtex makes BibTeX's "PhD thesis"
MASTERS = "Master's thesis"


def school(paper: Paper) -> str:
    """A thesis's degree-granting institution: its publisher, as CSL has it, or the
    container, where BibTeX imports before the genre kept BibTeX's school."""
    return clean(paper.publisher) or clean(paper.journal)


def is_report(paper: Paper) -> bool:
    return clean(paper.entry_type) == "report"


def institution(paper: Paper) -> str:
    """A report's issuing institution: its publisher, as CSL has it, or the container, where
    a BibTeX @techreport's institution was kept (reader.sources.bibtex reads it as the venue)."""
    return clean(paper.publisher) or clean(paper.journal)


def report_series(paper: Paper) -> str:
    """A report's container (a series) when it is not the institution."""
    return clean(paper.journal) if clean(paper.publisher) else ""


def report_number(paper: Paper) -> str:
    """A report's number (BibTeX's number, which imports keep as the issue)."""
    return clean(paper.issue)


def genre(paper: Paper) -> str:
    """A thesis's kind ("Doctoral dissertation"); "" for any other work."""
    return clean(paper.genre) if clean(paper.entry_type) == "thesis" else ""


def arxiv_doi(paper: Paper) -> str:
    return f"10.48550/arXiv.{arxiv_id(paper)}" if paper.arxiv_id else ""


def journal_doi(paper: Paper) -> str:
    """The DOI when it is not arXiv's own (10.48550/...)."""
    doi = clean(paper.doi)
    return "" if doi.lower().startswith("10.48550/") else doi


def doi(paper: Paper) -> str:
    """The DOI of the version cited: the journal's for a published paper, else arXiv's."""
    if is_published(paper):
        return journal_doi(paper)
    return arxiv_doi(paper) or clean(paper.doi)


def link(paper: Paper) -> str:
    """The stable link: the DOI (arXiv's DataCite DOI for preprints), else the page."""
    found = doi(paper)
    return f"https://doi.org/{found}" if found else url(paper)


def url(paper: Paper) -> str:
    if paper.arxiv_id:
        return f"https://arxiv.org/abs/{arxiv_id(paper)}"
    return clean(paper.url)


def title(paper: Paper) -> str:
    return clean(paper.title)


def tex_title(paper: Paper) -> str:
    """The title as its source wrote it in TeX (Paper.title_tex: a BibTeX file's braces),
    while that still reads as the title; "" when there is none or the title was changed
    since (an edit by hand)."""
    tex = clean(paper.title_tex)
    if not tex:
        return ""
    from reader.sources.tex import decode_tex  # here: reader.sources imports this package

    return tex if clean(decode_tex(tex)) == title(paper) else ""


def text_title(paper: Paper) -> str:
    """The title as readers see it: simple TeX as Unicode. A title with a TeX form was
    decoded from it (or is plain text): its braces are characters, not TeX's groups."""
    return tex_to_unicode(title(paper), literal_braces=bool(tex_title(paper)))


SEASONS = ("Spring", "Summer", "Autumn", "Winter")  # CSL's season-01..04 (en-US)


def cited_date(paper: Paper) -> str:
    """The date of the version cited, as stored: ISO, or with EDTF's season (``2019-21``)
    or approximate mark (``1900~``)."""
    return (paper.journal_date or paper.published) if is_published(paper) else paper.published


def date_parts(paper: Paper) -> list[int]:
    """[year, month, day] of the version cited, as far as known and valid: month 00 or 13
    (or a season) leaves the year alone."""
    return iso_parts(cited_date(paper))


def season(paper: Paper) -> int:
    """1-4 (spring .. winter) when the date cited is a season of its year, else 0."""
    return date_season(cited_date(paper))


def circa(paper: Paper) -> bool:
    """The date cited is approximate ("circa 1900")."""
    return date_circa(cited_date(paper))


def preprint_date(paper: Paper) -> str:
    """A published paper's own date (``published``: its preprint's, arXiv's "Submitted on")
    when it is not the date cited (the venue's); else ""."""
    if not is_published(paper) or not iso_parts(paper.published) or paper.published == cited_date(paper):
        return ""
    return paper.published


def date_season(date: str) -> int:
    month = date.rstrip("~%").split("-")[1:2]
    return int(month[0]) - 20 if month and month[0].isdigit() and 21 <= int(month[0]) <= 24 else 0


def date_circa(date: str) -> bool:
    return date.endswith(("~", "%")) and bool(iso_parts(date))


def readable_date(date: str) -> str:
    """A stored date as a person reads it: ``2019-21`` as "Spring 2019", ``1900~`` as
    "circa 1900"; anything else as it is."""
    parts, spring = iso_parts(date), date_season(date)
    if not parts or not (spring or date_circa(date)):
        return date
    shown = f"{SEASONS[spring - 1]} {parts[0]}" if spring else date.rstrip("~%")
    return f"circa {shown}" if date_circa(date) else shown


def csl_date(date: str) -> dict:
    """A stored date as a CSL date: its parts, a season (``2019-21``) as ``season``, an
    approximate one (``1900~``) ``circa``."""
    out: dict = {"date-parts": [iso_parts(date)]}
    if date_season(date):
        out["season"] = date_season(date)
    if date_circa(date):
        out["circa"] = True
    return out


def date_fields(name: str, date: str) -> dict:
    """A stored date as JSON for scripts (``reader list --json``): ``name`` is ISO 8601 —
    the date itself, or what of it ISO can say: a season's year (``2019-21`` -> "2019"),
    an approximate date without its mark (``1900~`` -> "1900"). A season or approximate
    date adds ``name_text`` as people read it ("Spring 2019", "circa 1900") and
    ``name_csl``, the CSL-JSON date that says it all ({"date-parts": [[2019]], "season": 1})."""
    parts = iso_parts(date)
    if not parts or not (date_season(date) or date_circa(date)):
        return {name: date} if date else {}
    iso = "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(parts))
    return {name: iso, f"{name}_text": readable_date(date), f"{name}_csl": csl_date(date)}


def iso_parts(date: str) -> list[int]:
    parts: list[int] = []
    for piece, top in zip(date.rstrip("~%?").split("-")[:3], (9999, 12, 31), strict=False):
        if not piece.isdigit() or not (0 < int(piece) <= top):
            break
        parts.append(int(piece))
    return parts


def year(paper: Paper) -> str:
    parts = date_parts(paper)
    return str(parts[0]) if parts else ""
