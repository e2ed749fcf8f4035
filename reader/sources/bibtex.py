"""BibTeX (and biblatex) files, parsed with bibtexparser 2.

bibtexparser splits the file into blocks and reports broken ones with their line;
macros (``@string``, month names, ``#`` concatenation), TeX and names are handled
here so every part of a name (particle, suffix, a braced corporate name) survives.
"""

from __future__ import annotations

import logging
import re

import bibtexparser
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ParsingFailedBlock,
    String,
)

from reader.citations.metadata import DOCTORAL, MASTERS
from reader.citations.names import mark_others
from reader.citations.notes import read_bibtex_note
from reader.sources import Parsed
from reader.sources.common import MONTHS, find_arxiv, find_doi, iso_date, make_paper
from reader.sources.names import format_name
from reader.sources.tex import decode_tex

TYPES = {
    "article": "article-journal", "inproceedings": "paper-conference", "conference": "paper-conference",
    "book": "book", "incollection": "chapter", "inbook": "chapter", "phdthesis": "thesis",
    "mastersthesis": "thesis", "thesis": "thesis", "techreport": "report", "report": "report",
    "proceedings": "book", "manual": "report",
}
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)  # broken blocks are reported per entry
_AND = re.compile(r"\s+and\s+", re.I)
_URL_IN = re.compile(r"^(?:\\url\{)?\s*(https?://[^\s{}]+)\s*\}?$")


def _split_top(text: str, sep: re.Pattern | str) -> list[str]:
    """Split at ``sep`` outside braces (and outside quotes for ``#``)."""
    if sep == "#" and "#" not in text:
        return [text]
    if "{" not in text and '"' not in text:  # the common case, at C speed
        return sep.split(text) if isinstance(sep, re.Pattern) else text.split(sep)
    out, depth, start, quoted, i = [], 0, 0, False, 0
    pattern = sep if isinstance(sep, re.Pattern) else None
    while i < len(text):
        ch = text[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        elif ch == '"' and depth == 0 and sep == "#":
            quoted = not quoted
        elif depth == 0 and not quoted:
            if pattern is not None:
                m = pattern.match(text, i)
                if m and m.end() > i:
                    out.append(text[start:i])
                    start = i = m.end()
                    continue
            elif ch == sep:
                out.append(text[start:i])
                start = i + 1
        i += 1
    out.append(text[start:])
    return out


MAX_VALUE = 256 * 1024  # a field or macro longer than this is an attack, not a bibliography
MAX_MACROS = 8 * 2**20  # all @string values together


class ValueTooLong(ValueError):
    pass


def resolve_value(raw: str, strings: dict[str, str]) -> str:
    """A raw field value (``{...}``, ``"..."``, a number, a macro, or ``#`` joins of these).
    Raises ValueTooLong past MAX_VALUE characters (``@string`` doubling is exponential)."""
    parts = []
    size = 0
    for part in _split_top(raw.strip(), "#"):
        part = part.strip()
        if len(part) >= 2 and ((part[0] == "{" and part[-1] == "}") or (part[0] == '"' and part[-1] == '"')):
            parts.append(part[1:-1])
        elif part.isdigit():
            parts.append(part)
        else:
            low = part.lower()
            parts.append(strings.get(low, str(MONTHS[low[:3]]) if low[:3] in MONTHS and len(low) <= 9 else part))
        size += len(parts[-1])
        if size > MAX_VALUE:
            raise ValueTooLong(f"a value longer than {MAX_VALUE // 1024} KiB (runaway @string macros?)")
    return "".join(parts)


def _name(raw: str) -> str:
    raw = " ".join(raw.split())
    if len(raw) > 2 and raw[0] == "{" and raw[-1] == "}" and "}" not in raw[1:-1].replace("{", "").replace("}", "") and _split_top(raw[1:-1], ",") == [raw[1:-1]]:
        inner = raw[1:-1]
        if inner.count("{") == inner.count("}"):
            return format_name(literal=decode_tex(inner))
    parts = [p.strip() for p in _split_top(raw, ",")]
    if len(parts) == 1:  # First von Last
        words = _split_top(parts[0], re.compile(r"\s+"))
        if len(words) == 1:
            return format_name(literal=decode_tex(words[0]))
        last = len(words) - 1
        first_von = next((i for i, w in enumerate(words[:last]) if w[:1].islower()), last)
        von_end = first_von
        for i in range(first_von, last):
            if words[i][:1].islower():
                von_end = i + 1
        given, particle, family = words[:first_von], words[first_von:von_end], words[von_end:]
        return format_name(family=decode_tex(" ".join(family)), given=decode_tex(" ".join(given)), particle=decode_tex(" ".join(particle)))
    family_part = _split_top(parts[0], re.compile(r"\s+"))
    k = 0
    while k < len(family_part) - 1 and family_part[k][:1].islower():
        k += 1
    particle, family = " ".join(family_part[:k]), " ".join(family_part[k:])
    if len(parts) == 2:
        return format_name(family=decode_tex(family), given=decode_tex(parts[1]), particle=decode_tex(particle))
    return format_name(family=decode_tex(family), given=decode_tex(", ".join(parts[2:])), suffix=decode_tex(parts[1]), particle=decode_tex(particle))


def _split_names(value: str) -> tuple[list[str], bool]:
    parts = [p for p in _split_top(value, _AND) if p.strip()]
    more = bool(parts) and parts[-1].strip().lower() == "others"
    if more:
        parts.pop()
    return [n for n in (_name(p) for p in parts) if n], more


def split_authors(value: str) -> list[str]:
    """The people an author (or editor) field names; a last "others" is BibTeX's "et al."
    (Google Scholar ends long lists with it), not a person."""
    return _split_names(value)[0]


def author_list(value: str) -> list[str]:
    """An author (or editor) field as the library keeps it: the people, then the marker
    OTHERS when the field ends with "and others" (reader.citations.names)."""
    return mark_others(*_split_names(value))


_KEYWORD_SEP = re.compile(r"[,;]")


def keywords(value: str) -> list[str]:
    """The tags of a keywords field: separated by commas (or semicolons) outside braces
    (``{a;b}, c`` is two: reader braces a tag holding either)."""
    return [t for t in (decode_tex(k).strip() for k in _split_top(value, _KEYWORD_SEP)) if t]


def _plain(value: str) -> str:
    return value.replace("\\_", "_").replace("{", "").replace("}", "").strip()


# fields a crossref'd child does not take from its parent (its own identity and notes)
_NOT_INHERITED = frozenset({"title", "crossref", "ids", "doi", "url", "eprint", "archiveprefix", "eprinttype",
                            "primaryclass", "eprintclass", "abstract", "annote", "keywords", "note", "urldate", "file"})


def entry_fields(entry: Entry, strings: dict[str, str]) -> dict[str, str]:
    return {field.key.lower(): resolve_value(field.value, strings) for field in entry.fields}


def inherit(f: dict[str, str], parents: dict[str, dict[str, str]]) -> dict[str, str]:
    """``f`` with what its ``crossref`` parent (an entry of the same file) gives it, as
    BibTeX and biber do: every field the child lacks, the parent's title as booktitle.
    A crossref to an entry not in the file is ignored."""
    parent = parents.get(_plain(f.get("crossref", "")).lower())
    if not parent or parent is f:
        return f
    out = {k: v for k, v in parent.items() if k not in _NOT_INHERITED}
    if parent.get("title"):
        out.setdefault("booktitle", parent["title"])
    return {**out, **f}


_MASTERS = frozenset({"ma", "ms", "msc", "mphil", "mres", "meng", "mathesis", "msthesis", "mscthesis", "mphilthesis"})


def thesis_genre(kind: str, type_field: str) -> str:
    """The genre of a thesis entry: its ``type`` ("PhD Thesis", biblatex's ``phdthesis`` /
    ``mathesis``) or the entry type (@phdthesis, @mastersthesis), as the words APA prints,
    "Doctoral dissertation" or "Master's thesis"; any other ``type`` as written ("Habilitation")."""
    written = " ".join(decode_tex(type_field).split())
    low = re.sub(r"[^a-z]", "", written.lower())
    if low.startswith(("phd", "dphil")) or "doctor" in low or low == "dissertation":
        return DOCTORAL
    if low.startswith("master") or low in _MASTERS:
        return MASTERS
    return written or {"phdthesis": DOCTORAL, "mastersthesis": MASTERS}.get(kind, "")


def entry_paper(kind: str, f: dict[str, str], source: str = ""):
    """The paper of an entry of type ``kind`` with resolved fields ``f``, with the note and
    tags it carries (``annote``, ``keywords``)."""
    kind = kind.lower()
    text = {k: decode_tex(f.get(k, "")) for k in ("title", "journal", "journaltitle", "booktitle", "publisher", "abstract", "school", "institution")}
    eprint = _plain(f.get("eprint", ""))
    prefix = (f.get("archiveprefix") or f.get("eprinttype") or "").lower()
    how = f.get("howpublished", "").strip()
    link = _URL_IN.search(how)  # howpublished = {\url{...}}: the link, not a venue
    thesis = TYPES.get(kind) == "thesis"  # its school is its publisher (as CSL has it), not a venue
    school = (text["school"] or text["institution"]) if thesis else ""
    venue = (text["journal"] or text["journaltitle"] or text["booktitle"] or ("" if thesis else text["school"] or text["institution"])
             or ("" if link else decode_tex(how)))
    url = _plain(f.get("url", "")) or (link.group(1) if link else "")
    arxiv = find_arxiv(eprint if (prefix in ("arxiv", "") and eprint) else "", _plain(f.get("volume", "")) if venue.lower() == "corr" else "",
                       venue, url, _plain(f.get("note", "")))
    date = ""
    if f.get("date"):
        date = iso_date(_plain(f["date"]))
    if not date:
        date = iso_date(_plain(f.get("year", "")), _plain(f.get("month", "")), _plain(f.get("day", "")))
    pages = _plain(f.get("pages", "")).replace("--", "-").replace("–", "-")
    raw_title = " ".join(f.get("title", "").split())  # its braces protect case; kept as Paper.title_tex
    braced = "{" in raw_title or "{" in text["title"] or "}" in text["title"]
    paper = make_paper(
        text["title"], source=source, title_tex=raw_title if braced else "", arxiv=arxiv, venue=venue, entry_type=TYPES.get(kind, ""), date=date,
        authors=author_list(f.get("author", "")), editors=author_list(f.get("editor", "")), doi=find_doi(_plain(f.get("doi", ""))) or _plain(f.get("doi", "")),
        volume=_plain(f.get("volume", "")) if venue.lower() != "corr" else "", issue=_plain(f.get("number", "") or f.get("issue", "")),
        pages=pages, publisher=school or text["publisher"], abstract=text["abstract"],
        genre=thesis_genre(kind, f.get("type", "")) if thesis else "",
        place=decode_tex(f.get("address") or f.get("location") or ""),  # BibTeX, biblatex
        primary_category=_plain(f.get("primaryclass") or f.get("eprintclass") or ""), url=url,  # BibTeX, biblatex
    )
    if paper is not None and paper.arxiv_id and not paper.entry_type:  # reader's journal note of a preprint
        paper.journal_ref, doi = read_bibtex_note(decode_tex(f.get("note", "")))
        paper.doi = paper.doi or doi
    return paper, decode_tex(f.get("annote", "")), keywords(f.get("keywords", ""))


def parse_bibtex(text: str, source: str = "") -> Parsed:
    library = bibtexparser.parse_string(text, parse_stack=[])
    strings: dict[str, str] = {}
    macros = 0
    out = Parsed(fmt="BibTeX")
    entries: list[tuple[int, str, str, dict[str, str]]] = []
    problems: list[tuple[int, str]] = []  # in the order of the file
    for block in library.blocks:
        if isinstance(block, DuplicateBlockKeyBlock | DuplicateFieldKeyBlock):
            block = block.ignore_error_block
        line = (block.start_line or 0) + 1
        if isinstance(block, String):
            try:
                value = resolve_value(block.value, strings)
                macros += len(value)
                if macros > MAX_MACROS:
                    raise ValueTooLong(f"@string values add up to more than {MAX_MACROS // 2**20} MiB")
                strings[block.key.lower()] = value
            except ValueTooLong as exc:
                problems.append((line, f"line {line}: @string {block.key}: {exc}, skipped"))
        elif isinstance(block, ParsingFailedBlock):
            head = (block.raw or "").lstrip()[:40].split("{")[0].split("(")[0].strip()
            reason = str(block.error).strip().splitlines()[0] if str(block.error).strip() else "unbalanced braces or quotes"
            problems.append((line, f"line {line}: {head or 'entry'} cannot be read ({reason}), skipped"))
        elif isinstance(block, Entry):
            try:
                entries.append((line, block.key, block.entry_type, entry_fields(block, strings)))
            except ValueTooLong as exc:
                problems.append((line, f"line {line}: entry {block.key!r} has {exc}, skipped"))
    parents = {key.lower(): f for _line, key, _kind, f in entries if key}
    for line, key, kind, f in entries:
        paper, note, tags = entry_paper(kind, inherit(f, parents), source)
        if paper is None:
            problems.append((line, f"line {line}: entry {key!r} has no title, skipped"))
        else:
            out.add(paper, note, tags)
    out.problems = [p for _line, p in sorted(problems, key=lambda x: x[0])]
    return out
