"""APA 7, MLA 9 and Chicago author-date (18th edition) as text, the way citeproc-js renders
the official CSL styles (apa.csl, modern-language-association.csl, chicago-author-date.csl)
from this app's CSL-JSON. ``tests/fixtures/citeproc`` holds citeproc-js's output for a
corpus of papers; the tests compare the two. Italics are dropped, as in citeproc-js's
text output.

Deliberate differences: citeproc-js title-cases old-style arXiv numbers in APA and
Chicago ("arXiv:hep-Th/9711200"); the identifier is printed as it is ("hep-th"). A list
of names that ends with "and others" (BibTeX's, :data:`reader.citations.names.OTHERS`;
the CSL-JSON ``{"literal": "others"}``, which citeproc-js prints as a name: "Ryder, N., &
others") ends with the style's "et al." where its own truncation would put it: "Brown,
T., Mann, B., Ryder, N., et al." (the name before it inverted, or two or more names
before it, take the comma, as in CSL's contextual rule).
"""

from __future__ import annotations

import re

from reader.citations import metadata as f
from reader.citations.csltext import MLA_MONTHS, MONTHS, page_range, smart_quotes, title_case
from reader.citations.names import Name, split_others
from reader.citations.tex import tex_to_unicode
from reader.model import Paper
from reader.text import clean


def _title(paper: Paper, case: bool, level: int) -> str:
    title = f.text_title(paper)
    return smart_quotes(title_case(title) if case else title, level)


def _container(paper: Paper, case: bool) -> str:
    text = tex_to_unicode(clean(paper.journal))
    return smart_quotes(title_case(text) if case else text)


def _place(paper: Paper) -> str:
    """The publisher's place (APA 7 prints none)."""
    return tex_to_unicode(clean(paper.place))


def _placed(container: str, place: str, marks: str) -> str:
    """A serial's container with the place after it, as MLA and Chicago print it: "J [Place]",
    "J (Place)"."""
    return f"{container} {marks[0]}{place}{marks[1]}" if container and place else container


def _year(paper: Paper, circa: str) -> str:
    """The year, an approximate one in the style's form (``circa`` "ca. {}", "[{}?]")."""
    year = f.year(paper)
    return circa.format(year) if year and f.circa(paper) else year


def _month(paper: Paper, parts: list[int]) -> str:
    """The month's name, or the season's ("Spring"), as Chicago prints it beside the year."""
    if f.season(paper):
        return f.SEASONS[f.season(paper) - 1]
    return MONTHS[parts[1] - 1] if len(parts) >= 2 else ""


def _end(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def _join(parts: list[str], sep: str = " ") -> str:
    return sep.join(p for p in parts if p)


def _volume_issue(paper: Paper) -> tuple[str, str]:
    return clean(paper.volume), clean(paper.issue)


_SERIAL = ("article-journal", "paper-conference")  # cited by container, volume and issue

# CSL's is-numeric, as citeproc-js tests a number: digits with letter affixes, a list or range
# of them ("17", "2b", "3-4", "2 & 4"); "CS-TR-2019-01" and "NIST IR 8000" are not
_NUMERIC = re.compile(r"^[A-Za-z]?\d+[A-Za-z]?(?:\s*(?:[-,&\u2013]|and)\s*[A-Za-z]?\d+[A-Za-z]?)*$")


def _report_number(paper: Paper, label: str) -> str:
    """A report's number, after the style's label when it is numeric ("No. 17"), else as
    written ("CS-TR-2019-01"), as the styles' <number variable="number"> with a label."""
    number = tex_to_unicode(f.report_number(paper))
    return f"{label} {number}" if number and _NUMERIC.match(number) else number


# -- APA ---------------------------------------------------------------------

def _apa_name(n: Name) -> str:
    if n.literal or not (n.given or n.dropping):
        return _join([n.full_family, n.suffix], ", ") if not n.literal else n.family
    given = _join([n.initials(), n.dropping])
    return _join([f"{n.full_family}, {given}", n.suffix], ", ")


ET_AL = "et al."


def _et_al(shown: list[str], inverted: bool) -> str:
    """``shown`` names followed by "et al.": after a comma when the name before it is
    inverted ("Brown, T., et al.") or two or more names precede it ("A, B, et al.")."""
    joined = ", ".join(shown)
    return joined + (", " if inverted or len(shown) > 1 else " ") + ET_AL


def _apa_authors(names: list[Name]) -> str:
    named, more = split_others(names)
    if more:  # APA lists at most 19 before the ellipsis: here the last author is not known
        return _et_al([_apa_name(n) for n in named[:19]], inverted=True)
    return _apa_list([_apa_name(n) for n in names], _second_is_literal(names))


def _second_is_literal(names: list[Name]) -> bool:
    """Two names, the second an organisation's: citeproc-js joins a person and an
    institution without the comma it puts after an inverted name ("Brown, T. & World Health
    Organization"; three or more names keep it)."""
    return len(names) == 2 and names[1].literal


def _apa_list(names: list[str], second_literal: bool = False) -> str:
    if len(names) > 20:
        return ", ".join(names[:19]) + ", \u2026 " + names[-1]
    if len(names) > 1:
        return ", ".join(names[:-1]) + (" & " if second_literal else ", & ") + names[-1]
    return names[0] if names else ""


def _listed(names: list[str], conj: str) -> str:
    """ "A", "A and B", "A, B, and C" (``conj`` "and" or "&")."""
    if len(names) <= 2:
        return f" {conj} ".join(names)
    return ", ".join(names[:-1]) + f", {conj} " + names[-1]


def _eds(names: list[Name], short: str, long: str) -> str:
    return short if len(names) == 1 else long


def _apa_editors(paper: Paper) -> str:
    """The editors of a chapter's book, given name first: "T. Edi & B. Two (Eds.), "."""
    eds = f.editors(paper)
    if not eds:
        return ""
    named, more = split_others(eds)
    shown = [n.family if n.literal else _join([n.initials(), n.dropping, n.full_family, n.suffix]) for n in named]
    listed = _et_al(shown, inverted=False) if more else _listed(shown, '&')
    return f"{listed} ({_eds(eds, 'Ed.', 'Eds.')}), "


def apa(paper: Paper, key: str = "") -> str:
    authors = _apa_authors(f.names(paper))
    eds = f.editors(paper)
    if not authors and eds:  # an edited book: its editors stand in for the authors
        authors = _apa_authors(eds) + f" ({_eds(eds, 'Ed.', 'Eds.')})"
        eds = []
    year = f"({_year(paper, 'ca. {}') or 'n.d.'})."
    title = _title(paper, case=False, level=0)
    link = f.link(paper)
    kind = clean(paper.entry_type)
    publisher = clean(paper.publisher)
    if kind == "thesis":
        return _apa_thesis(paper, authors, year, title, link)
    if kind == "report":  # "Title (No. 17). Institution." (apa.csl; the number as written when not numeric)
        number = _report_number(paper, "No.")
        title = _end(f"{title} ({number})" if number else title)
        issuer = tex_to_unicode(f.institution(paper))
        tail = [_end(issuer) if issuer else "", link]
    elif kind == "book":
        title = _end(title)
        tail = [_end(publisher) if publisher else "", link]
    elif kind == "chapter" or (kind == "paper-conference" and eds):  # a part of an edited book
        volume, issue = _volume_issue(paper)
        pages = clean(paper.pages)
        where = _join([f"Vol. {volume}" if volume else "", f"Issue {issue}" if issue else "",
                       f"pp. {page_range(pages, 'expanded')}" if pages else ""], ", ")
        inside = f"In {_apa_editors(paper) if eds else ''}{_container(paper, case=False)}" + (f" ({where})" if where else "")
        title = _end(title)
        tail = [_end(inside), _end(publisher) if publisher else "", link]
    elif f.is_published(paper):
        volume, issue = _volume_issue(paper)
        source = _container(paper, case=False)
        if volume:
            source += f", {volume}" + (f"({issue})" if issue else "")
        elif issue and kind in _SERIAL:  # "Proceedings of X, (3), 11–19"
            source += f", ({issue})"
        if clean(paper.pages):
            source += ", " + page_range(clean(paper.pages), "expanded")
        title = _end(title)
        tail = [_end(source) if source else "", link]
    elif paper.arxiv_id:
        number = f"arXiv:{f.arxiv_id(paper)}"
        title = f"{title} ({number})."
        tail = ["arXiv.", link]
    else:
        title = _end(title)
        tail = ["Retrieved " + link if link and not f.year(paper) else link]
    if authors:
        return _join([_end(authors), year, title, *tail])
    return _join([title, year, *tail])


def _apa_thesis(paper: Paper, authors: str, year: str, title: str, link: str) -> str:
    """"Title [Doctoral dissertation]. School." or, with a link (the archive's), "Title
    [Doctoral dissertation, School]. https://...", as apa.csl gives it."""
    genre, school = smart_quotes(f.genre(paper)), f.school(paper)
    described = _join([genre, school if link else ""], ", ")
    bracket = f"[{described}]" if described else ""
    tail = [_end(school) if school and not link else "", link]
    if authors:
        return _join([_end(authors), year, _end(_join([title, bracket])), *tail])
    return _join([_end(title), year, _end(bracket) if bracket else "", *tail])


# -- MLA ---------------------------------------------------------------------

def _mla_date(paper: Paper, day: bool = True) -> str:
    """The date as MLA prints it: "2 Jan. 2024" (with ``day``), "Spring 2019"; approximate,
    "Circa 1900" with the day (a preprint, a page), else "[May 1900?]"."""
    parts = f.date_parts(paper)
    if len(parts) == 3 and day:
        text = f"{parts[2]} {MLA_MONTHS[parts[1] - 1]} {parts[0]}"
    elif len(parts) >= 2:
        text = f"{MLA_MONTHS[parts[1] - 1]} {parts[0]}"
    elif parts and f.season(paper):
        text = f"{f.SEASONS[f.season(paper) - 1]} {parts[0]}"
    else:
        text = str(parts[0]) if parts else ""
    if text and f.circa(paper):
        return f"Circa {text}" if day else f"[{text}?]"
    return text


def _mla_names(names: list[Name]) -> str:
    if len(names) >= 3 or split_others(names)[1]:  # "and others": three or more, or two
        return f"{names[0].family_given()}, et al."
    if len(names) == 2:
        return f"{names[0].family_given()}{'' if _second_is_literal(names) else ','} and {names[1].given_family()}"
    return names[0].family_given() if names else ""


def _edited_by(names: list[Name], mla_style: bool) -> str:
    """ "edited by Tor Edi", "... Tor Edi and Bee Two", "... A, B, and C" (MLA: "A et al.")."""
    if not names:
        return ""
    named, more = split_others(names)
    if mla_style and (len(names) >= 3 or more):
        return f"edited by {names[0].given_family()} et al."
    if more:
        return "edited by " + _et_al([n.given_family() for n in named], inverted=False)
    return "edited by " + _listed([n.given_family() for n in names], "and")


def mla(paper: Paper, key: str = "") -> str:
    names, eds = f.names(paper), f.editors(paper)
    authors = _mla_names(names)
    if not names and eds:  # an edited book: its editors stand in for the authors
        authors = _mla_names(eds) + (", editor" if len(eds) == 1 else ", editors")
        eds = []
    authors = _end(authors) if authors else ""
    title = "\u201c" + _end(_title(paper, case=True, level=1)) + "\u201d"
    kind = clean(paper.entry_type)
    pages = clean(paper.pages)
    if pages:
        ranged = page_range(pages, "minimal-two")
        pages = ("pp. " if "\u2013" in ranged else "p. ") + ranged
    if kind == "thesis":  # "Title. 2019. School, Doctoral dissertation." (the link after the year)
        title = _end(_title(paper, case=True, level=0))
        when = _join([_year(paper, "[{}?]"), f.link(paper)], ", ")
        what = _join([f.school(paper), smart_quotes(f.genre(paper))], ", ")
        return _join([authors, title, _end(when) if when else "", _end(what) if what else ""])
    publisher = clean(paper.publisher) or _place(paper)  # the place only where no publisher is named
    if kind == "report":  # "Title. NIST IR 8000, Institution, Mar. 2021." (no. 17 when numeric)
        title = _end(_title(paper, case=True, level=0))
        container = [_report_number(paper, "no."), tex_to_unicode(f.institution(paper)), _mla_date(paper)]
    elif kind == "book":
        title = _end(_title(paper, case=True, level=0))
        container = [publisher, _year(paper, "[{}?]")]
    elif kind == "chapter" or (kind == "paper-conference" and eds):  # a part of an edited book
        volume, issue = _volume_issue(paper)
        container = [_container(paper, case=True), _edited_by(eds, mla_style=True), f"vol. {volume}" if volume else "",
                     f"no. {issue}" if issue else "", publisher, _year(paper, "[{}?]"), pages]
    elif f.is_published(paper):
        volume, issue = _volume_issue(paper)
        date = _year(paper, "[{}?]") if kind == "paper-conference" else _mla_date(paper, day=False)
        container = [_placed(_container(paper, case=True), _place(paper), "[]"), f"vol. {volume}" if volume else "",
                     f"no. {issue}" if issue else "", date, pages]
    else:
        number = f"arXiv:{f.arxiv_id(paper)}" if paper.arxiv_id else ""
        container = [number, "arXiv" if paper.arxiv_id else "", _mla_date(paper)]
    container.append(f.link(paper))
    rest = _join(container, ", ")
    return _join([authors, title, _end(rest) if rest else ""])


# -- Chicago author-date -------------------------------------------------------

def _chicago_first(n: Name) -> str:
    """Sort order with the particle demoted: "Waals, Johannes Diderik van der"."""
    if n.literal or not (n.given or n.dropping):
        return n.family if n.literal else _join([n.full_family, n.suffix], ", ")
    given = _join([n.spaced_given, n.dropping, n.particle])
    return _join([f"{n.family}, {given}", n.suffix], ", ")


def _chicago_names(names: list[Name]) -> str:
    named, more = split_others(names)
    shown = named[:3] if len(names) > 6 else named  # "and others" counts as one more name
    items = [_chicago_first(shown[0])] + [n.given_family() for n in shown[1:]]
    if len(names) > 6 or more:
        return ", ".join(items) + ", et al."
    if len(items) > 1:
        return ", ".join(items[:-1]) + (" and " if _second_is_literal(shown) else ", and ") + items[-1]
    return items[0]


def _chicago_unnumbered(paper: Paper, parts: list[int], dated: bool) -> str:
    """A journal's or proceedings' article without a volume, as chicago-author-date.csl
    gives it: "Proc, no. 3 (July): 11–19" with an issue (the month only after an author or
    editor), else the date in full: "Proc, August 5, 20–29"; a journal article with a DOI
    and no pages is "ahead of print" (CMOS 14.75): "Journal, ahead of print, March"."""
    source = _placed(_container(paper, case=True), _place(paper), "()")
    pages = page_range(clean(paper.pages), "chicago-16") if clean(paper.pages) else ""
    month = _month(paper, parts)
    issue = clean(paper.issue)
    if issue:
        number = f"no. {issue}" + (f" ({month})" if month and dated else "")
        return _join([source, number], ", ") + (f": {pages}" if pages else "")
    when = month + (f" {parts[2]}" if month and len(parts) == 3 else "")
    # a journal article with a DOI and a date, and no volume, issue or pages: online before its issue
    ahead = "ahead of print" if clean(paper.entry_type) == "article-journal" and f.doi(paper) and parts and not pages else ""
    return _join([source, ahead, when, pages], ", ")


def chicago(paper: Paper, key: str = "") -> str:
    names, eds = f.names(paper), f.editors(paper)
    authors = _chicago_names(names) if names else ""
    if not names and eds:  # an edited book: its editors stand in for the authors
        authors = _chicago_names(eds) + (", ed" if len(eds) == 1 else ", eds")
        eds = []
    authors = _end(authors) if authors else ""
    year = _end(_year(paper, "[{}?]") or "n.d.")
    title = "\u201c" + _end(_title(paper, case=True, level=1)) + "\u201d"
    parts = f.date_parts(paper)
    kind = clean(paper.entry_type)
    publisher = clean(paper.publisher) or _place(paper)  # the place only where no publisher is named
    publisher = _end(publisher) if publisher else ""
    if kind == "thesis":  # "Doctoral dissertation, School."
        what = _join([smart_quotes(f.genre(paper)), f.school(paper) or _place(paper)], ", ")
        tail = [_end(what) if what else ""]
    elif kind == "report":  # "Title. No. 17. Institution." (no place, as chicago-author-date.csl)
        title = _end(_title(paper, case=True, level=0))
        number, issuer = _report_number(paper, "No."), tex_to_unicode(f.institution(paper))
        tail = [_end(number) if number else "", _end(issuer) if issuer else ""]
    elif kind == "book":
        title = _end(_title(paper, case=True, level=0))
        tail = [publisher]
    elif kind == "chapter" or (kind == "paper-conference" and eds):  # a part of an edited book
        volume, issue = _volume_issue(paper)
        inside = ["In " + _container(paper, case=True), _edited_by(eds, mla_style=False), f"vol. {volume}" if volume else ""]
        tail = [_end(_join(inside, ", ")), f"no. {issue}." if issue else "", publisher]
    elif kind in _SERIAL and not clean(paper.volume):
        source = _chicago_unnumbered(paper, parts, dated=bool(names or f.editors(paper)))
        tail = [_end(source) if source else ""]
    elif f.is_published(paper):
        volume, issue = _volume_issue(paper)
        source = _placed(_container(paper, case=True), _place(paper), "()")
        if volume:
            source += f" {volume}"
        if issue:
            source += f" ({issue})"
        elif _month(paper, parts):  # the month (or season) stands in for a missing issue
            source += f" ({_month(paper, parts)})"
        if clean(paper.pages):
            source += ": " + page_range(clean(paper.pages), "chicago-16")
        tail = [_end(source) if source else ""]
    else:
        when = _month(paper, parts) + (f" {parts[2]}" if len(parts) == 3 else "")
        arxiv = "arXiv" if paper.arxiv_id else ""
        tail = [f"arXiv:{f.arxiv_id(paper)}." if arxiv else "", _end(_join(["Preprint", arxiv, when], ", "))]
    link = f.link(paper)
    tail.append(_end(link) if link else "")
    if authors:
        return _join([authors, year, title, *tail])
    return _join([title, year, *tail])
