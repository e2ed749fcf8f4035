"""The citation formats. Each formatter takes a paper and its key, returns text.

Nothing is invented: without authors or a year the output says "n.d." (APA,
Chicago) or leaves the field out and adds a note (BibTeX), and
:func:`incomplete_fields` tells the UI what is missing.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from reader.citations.names import Name, parse_name
from reader.citations.tex import escape_bibtex
from reader.model import Paper
from reader.text import clean

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
INCOMPLETE_NOTE = "Authors and year unknown"


def incomplete_fields(paper: Paper) -> list[str]:
    missing = []
    if not paper.authors:
        missing.append("authors")
    if not paper.year:
        missing.append("year")
    if not paper.arxiv_id and not paper.doi:
        missing.append("arXiv id")
    return missing


def _names(paper: Paper) -> list[Name]:
    return [parse_name(clean(a)) for a in paper.authors if clean(a)]


def _doi(paper: Paper) -> str:
    if paper.doi:
        return clean(paper.doi)
    return f"10.48550/arXiv.{paper.arxiv_id}" if paper.arxiv_id else ""


def _link(paper: Paper) -> str:
    """The stable link: the DOI (arXiv's DataCite DOI for preprints), else the page."""
    doi = _doi(paper)
    if doi:
        return f"https://doi.org/{doi}"
    return _url(paper)


def _url(paper: Paper) -> str:
    if paper.arxiv_id:
        return f"https://arxiv.org/abs/{paper.arxiv_id}"
    return clean(paper.url)


def _title(paper: Paper) -> str:
    return clean(paper.title)


def _date_parts(paper: Paper) -> list[int]:
    parts = []
    for piece in paper.published.split("-")[:3]:
        if not piece.isdigit():
            break
        parts.append(int(piece))
    return parts


def _end(text: str, mark: str = ".") -> str:
    return text if text.endswith((".", "?", "!")) else text + mark


# -- BibTeX family -----------------------------------------------------------

def _bib_entry(kind: str, key: str, fields: list[tuple[str, str]]) -> str:
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@{kind}{{{key},\n{body}\n}}"


def _bib_authors(paper: Paper) -> str:
    out = []
    for n in _names(paper):
        if n.literal:
            out.append("{" + escape_bibtex(n.family) + "}")
        else:
            out.append(escape_bibtex(n.family_given()))
    return " and ".join(out)


def bibtex(paper: Paper, key: str) -> str:
    fields = [
        ("title", escape_bibtex(_title(paper), protect_acronyms=True)),
        ("author", _bib_authors(paper)),
        ("year", paper.year),
        ("eprint", paper.arxiv_id),
        ("archivePrefix", "arXiv" if paper.arxiv_id else ""),
        ("primaryClass", clean(paper.primary_category) if paper.arxiv_id else ""),
        ("url", escape_url(_url(paper))),
        ("doi", clean(paper.doi)),
    ]
    if not paper.authors or not paper.year:
        fields.append(("note", INCOMPLETE_NOTE if not paper.authors and not paper.year
                       else "Authors unknown" if not paper.authors else "Year unknown"))
    return _bib_entry("misc", key, fields)


def biblatex(paper: Paper, key: str) -> str:
    fields = [
        ("title", escape_bibtex(_title(paper), protect_acronyms=True)),
        ("author", _bib_authors(paper)),
        ("date", paper.published if paper.year else ""),
        ("eprint", paper.arxiv_id),
        ("eprinttype", "arxiv" if paper.arxiv_id else ""),
        ("eprintclass", clean(paper.primary_category) if paper.arxiv_id else ""),
        ("url", escape_url(_url(paper))),
        ("doi", clean(paper.doi) or (_doi(paper) if paper.arxiv_id else "")),
    ]
    if not paper.authors or not paper.year:
        fields.append(("note", INCOMPLETE_NOTE))
    return _bib_entry("online", key, fields)


def escape_url(url: str) -> str:
    return url.replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")


# -- author-date styles ---------------------------------------------------------

def apa(paper: Paper, key: str = "") -> str:
    names = _names(paper)

    def one(n: Name) -> str:
        return n.family if n.literal else f"{n.family}, {n.initials()}".rstrip(", ")

    if len(names) > 20:
        authors = ", ".join(one(n) for n in names[:19]) + ", . . . " + one(names[-1])
    elif len(names) > 1:
        authors = ", ".join(one(n) for n in names[:-1]) + ", & " + one(names[-1])
    elif names:
        authors = one(names[0])
    else:
        authors = ""
    year = f"({paper.year})" if paper.year else "(n.d.)"
    title = _end(_title(paper))
    tail = "arXiv." if paper.arxiv_id else ""
    link = _link(paper)
    if authors:
        parts = [_end(authors), year + ".", title, tail, link]
    else:
        parts = [title, year + ".", tail, link]
    return " ".join(p for p in parts if p)


def mla(paper: Paper, key: str = "") -> str:
    names = _names(paper)
    if len(names) >= 3:
        authors = f"{names[0].family_given()}, et al."
    elif len(names) == 2:
        authors = f"{names[0].family_given()}, and {names[1].given_family()}."
    elif names:
        authors = _end(names[0].family_given())
    else:
        authors = ""
    parts = _date_parts(paper)
    date = ""
    if len(parts) == 3:
        date = f"{parts[2]} {MONTHS[parts[1] - 1]} {parts[0]}"
    elif len(parts) == 2:
        date = f"{MONTHS[parts[1] - 1]} {parts[0]}"
    elif parts:
        date = str(parts[0])
    container = ", ".join(x for x in ["arXiv" if paper.arxiv_id else "", date, _link(paper)] if x)
    title = f"\u201c{_end(_title(paper))}\u201d"
    return " ".join(x for x in [authors, title, _end(container) if container else ""] if x)


def chicago(paper: Paper, key: str = "") -> str:
    names = _names(paper)
    if names:
        shown = names if len(names) <= 10 else names[:7]
        items = [shown[0].family_given()] + [n.given_family() for n in shown[1:]]
        if len(names) > 10:
            authors = ", ".join(items) + ", et al."
        elif len(items) > 1:
            authors = ", ".join(items[:-1]) + (", and " if len(items) > 2 else " and ") + items[-1] + "."
        else:
            authors = _end(items[0])
    else:
        authors = ""
    year = f"{paper.year}." if paper.year else "n.d."
    title = f"\u201c{_end(_title(paper))}\u201d"
    tail = "arXiv." if paper.arxiv_id else ""
    if authors:
        parts = [authors, year, title, tail, _link(paper)]
    else:
        parts = [title, year, tail, _link(paper)]
    return " ".join(p for p in parts if p)


# -- machine formats ---------------------------------------------------------

def csl_item(paper: Paper, key: str) -> dict:
    item: dict = {"id": key, "type": "article", "title": _title(paper)}
    names = _names(paper)
    if names:
        item["author"] = [
            {"literal": n.family} if n.literal else {"family": n.family, "given": n.given}
            for n in names
        ]
    parts = _date_parts(paper)
    if parts:
        item["issued"] = {"date-parts": [parts]}
    if paper.arxiv_id:
        item["publisher"] = "arXiv"
        item["number"] = f"arXiv:{paper.arxiv_id}"
    if _doi(paper):
        item["DOI"] = _doi(paper)
    if _url(paper):
        item["URL"] = _url(paper)
    if paper.abstract:
        item["abstract"] = clean(paper.abstract)
    return item


def csl_json(papers: list[tuple[Paper, str]]) -> str:
    return json.dumps([csl_item(p, k) for p, k in papers], ensure_ascii=False, indent=2)


def ris(paper: Paper, key: str) -> str:
    lines = ["TY  - UNPB", f"ID  - {key}", f"TI  - {_title(paper)}"]
    lines += [f"AU  - {n.family if n.literal else n.family_given()}" for n in _names(paper)]
    parts = _date_parts(paper)
    if parts:
        lines.append(f"PY  - {parts[0]}")
        lines.append("DA  - " + "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts)))
    if paper.arxiv_id:
        lines.append("PB  - arXiv")
        lines.append(f"M1  - arXiv:{paper.arxiv_id}")
    if _doi(paper):
        lines.append(f"DO  - {_doi(paper)}")
    if _url(paper):
        lines.append(f"UR  - {_url(paper)}")
    if paper.abstract:
        lines.append(f"AB  - {clean(paper.abstract)}")
    lines.append("ER  - ")
    return "\n".join(lines)


def markdown(paper: Paper, key: str = "") -> str:
    title = _title(paper).replace("[", "\\[").replace("]", "\\]")
    url = _url(paper)
    return f"[{title}](<{url}>)" if url else title


def plain(paper: Paper, key: str = "") -> str:
    return " ".join(x for x in [_end(_title(paper)), _url(paper)] if x)


Formatter = Callable[[Paper, str], str]
FORMATS: dict[str, Formatter] = {
    "bibtex": bibtex,
    "biblatex": biblatex,
    "apa": apa,
    "mla": mla,
    "chicago": chicago,
    "csl-json": lambda p, k: csl_json([(p, k)]),
    "ris": ris,
    "markdown": markdown,
    "plain": plain,
}
FORMAT_LABELS = {
    "bibtex": "BibTeX", "biblatex": "BibLaTeX", "apa": "APA 7", "mla": "MLA 9",
    "chicago": "Chicago (author-date)", "csl-json": "CSL-JSON", "ris": "RIS",
    "markdown": "Markdown link", "plain": "Plain text",
}


def render(items: list[tuple[Paper, str]], fmt: str) -> str:
    """The citation text for ``items`` (paper, key) in ``fmt``; blocks separated by a blank line."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if fmt == "csl-json":
        return csl_json(items) + "\n"
    sep = "\n" if fmt in ("markdown", "plain", "apa", "mla", "chicago") else "\n\n"
    return sep.join(FORMATS[fmt](p, k) for p, k in items) + "\n"
