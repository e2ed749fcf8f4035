"""CSL-JSON as Zotero and Better BibTeX export it: a JSON array of items."""

from __future__ import annotations

import json
import re

from reader.citations.names import Name, is_others, mark_others
from reader.citations.names import format_name as name_text
from reader.sources import Parsed, split_tags
from reader.sources.common import (
    find_arxiv,
    find_doi,
    iso_date,
    loose_date,
    make_paper,
    plain_title_tex,
)
from reader.sources.names import format_name
from reader.text import clean

PREPRINT_TYPES = {"article", "manuscript", "post", "post-weblog", "webpage", "document", ""}


class CslError(ValueError):
    pass


def _s(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _date(value) -> str:
    """A CSL date: ``date-parts`` with its ``season`` (1-4, or citeproc-js's months 13-16)
    and ``circa``; else ``raw`` or ``literal`` as people write dates ("Spring 2019", "circa
    1900"), or an EDTF string. As iso_date writes it (``2019-21``, ``1900~``)."""
    if not isinstance(value, dict):
        return loose_date(_s(value))
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        year, month, day = ([_s(x).strip() for x in parts[0][:3]] + ["", ""])[:3]
        if month.isdigit() and 13 <= int(month) <= 16:
            month, day = str(int(month) + 8), ""
        season = _s(value.get("season")).strip()
        if not month and season:
            month = str(int(season) + 20) if season.isdigit() and 1 <= int(season) <= 4 else season
        circa = value.get("circa") not in (None, False, 0, "", "0", "false")
        return iso_date(year + ("~" if circa and year else ""), month, day)
    return loose_date(_s(value.get("raw") or value.get("literal") or value.get("edtf") or ""))


def _author(a) -> str:
    if isinstance(a, str):
        return format_name(literal=a)
    if not isinstance(a, dict):
        return ""
    if a.get("literal"):
        return format_name(literal=_s(a["literal"]))
    family, given, suffix = _s(a.get("family")).strip(), _s(a.get("given")).strip(), _s(a.get("suffix")).strip()
    particle, dropping = _s(a.get("non-dropping-particle")).strip(), _s(a.get("dropping-particle")).strip()
    if dropping and family:  # BibTeX comma form, the dropping particle ending the given part
        return name_text(Name(clean(family), clean(given), suffix=clean(suffix), particle=clean(particle), dropping=clean(dropping)))
    return format_name(family=family, given=given, particle=particle, suffix=suffix)


def _is_others(a) -> bool:
    """A last name saying "and others": pandoc's ``{"literal": "others"}`` (reader writes it
    too), or "et al." as a name."""
    if isinstance(a, dict):
        a = _s(a.get("literal")) or (_s(a.get("family")) if not _s(a.get("given")) else "")
    return isinstance(a, str) and is_others(a)


def _names(value) -> list[str]:
    if not isinstance(value, list):
        return []
    more = bool(value) and _is_others(value[-1])
    return mark_others([n for n in map(_author, value[:-1] if more else value) if n], more)


# CSL rich text (what Zotero writes in titles): these tags, and the TeX each becomes
_RICH = re.compile(r"<(/?)(i|b|sub|sup|span)\b([^<>]*)>", re.I)
_RICH_TEX = {"i": "\\textit{", "b": "\\textbf{", "sub": "\\textsubscript{", "sup": "\\textsuperscript{"}
_SMALL_CAPS = re.compile(r"""^\s+style\s*=\s*["']\s*font-variant\s*:\s*small-caps\s*;?\s*["']\s*$""", re.I)
_NOCASE = re.compile(r"""^\s+class\s*=\s*["']\s*nocase\s*["']\s*$""", re.I)
_TEX_SPECIAL = re.compile(r"(?<!\\)([&%#_])")


def rich_title(title: str) -> tuple[str, str]:
    """(plain title, its TeX) of a CSL title holding rich-text markup: ``<i>``, ``<b>``,
    ``<sub>``, ``<sup>``, ``<span class="nocase">`` (case kept: braces in the TeX) and
    ``<span style="font-variant:small-caps;">``. The tags are dropped from the plain title.
    A title without them, or with them unbalanced (then they are not markup), is as it was,
    its TeX only its braces (:func:`plain_title_tex`)."""
    if "<" not in title or not _RICH.search(title):
        return title, plain_title_tex(title)
    plain: list[str] = []
    tex: list[str] = []
    open_tags: list[str] = []
    end = 0
    for m in _RICH.finditer(title):
        text = title[end:m.start()]
        plain.append(text)
        tex.append(_tex_text(text))
        end = m.end()
        closing, tag, attrs = m.group(1), m.group(2).lower(), m.group(3)
        if closing:
            if attrs.strip() or not open_tags or open_tags.pop() != tag:
                return title, plain_title_tex(title)  # not markup
            tex.append("}")
        elif tag == "span":
            if not (_NOCASE.match(attrs) or _SMALL_CAPS.match(attrs)):
                return title, plain_title_tex(title)
            open_tags.append(tag)
            tex.append("{" if _NOCASE.match(attrs) else "\\textsc{")
        else:
            if attrs.strip():
                return title, plain_title_tex(title)
            open_tags.append(tag)
            tex.append(_RICH_TEX[tag])
    if open_tags:
        return title, plain_title_tex(title)
    plain.append(title[end:])
    tex.append(_tex_text(title[end:]))
    return "".join(plain), "".join(tex)


def _tex_text(text: str) -> str:
    """Plain text as TeX: its braces and ``& % # _`` are characters (math stays)."""
    return _TEX_SPECIAL.sub(r"\\\1", plain_title_tex(text) or text)


def item_paper(item: dict, source: str = ""):
    kind = _s(item.get("type"))
    venue = _s(item.get("container-title"))
    arxiv = find_arxiv(_s(item.get("number")), _s(item.get("URL")), _s(item.get("archive_location")), _s(item.get("note")))
    entry_type = "" if kind in PREPRINT_TYPES and not venue else kind
    title, title_tex = rich_title(clean(_s(item.get("title"))))
    return make_paper(
        title, source=source, title_tex=title_tex, arxiv=arxiv, venue=venue, entry_type=entry_type or ("article-journal" if venue else ""),
        date=_date(item.get("issued")), submitted=_date(item.get("submitted")),
        authors=_names(item.get("author")), editors=_names(item.get("editor")),
        doi=find_doi(_s(item.get("DOI"))) or _s(item.get("DOI")), volume=_s(item.get("volume")), issue=_s(item.get("issue")) or (_s(item.get("number")) if kind == "report" else ""),
        pages=_s(item.get("page")).replace("–", "-").replace("--", "-"), publisher=_s(item.get("publisher")) if kind not in PREPRINT_TYPES else "",
        abstract=_s(item.get("abstract")), url=_s(item.get("URL")), genre=_s(item.get("genre")) if kind == "thesis" else "",
        place=_s(item.get("publisher-place")),
    )


def _tags(item: dict) -> list[str]:
    """``custom.tags`` (reader's list, when a tag holds a comma or semicolon), else the
    ``keyword`` string split at them."""
    custom = item.get("custom")
    tags = custom.get("tags") if isinstance(custom, dict) else None
    if isinstance(tags, list) and tags and all(isinstance(t, str) for t in tags):
        return tags
    return split_tags(_s(item.get("keyword")))


def parse_csl_json(text: str, source: str = "") -> Parsed:
    """Items are decoded one by one so a bad one is reported with its line."""
    out = Parsed(fmt="CSL-JSON")
    decoder = json.JSONDecoder()
    n = len(text)
    i = 0
    while i < n and text[i] in " \t\r\n\ufeff":
        i += 1
    if i < n and text[i] == "{":  # one item, or {"items": [...]}
        try:
            obj = json.loads(text)
        except ValueError as exc:
            raise CslError(f"invalid JSON: {exc}") from exc
        items = obj.get("items") if isinstance(obj.get("items"), list) else [obj]
        for k, item in enumerate(items, 1):
            _add(out, item, f"item {k}", source)
        return out
    if i >= n or text[i] != "[":
        raise CslError("not a CSL-JSON array")
    i += 1
    line, pos, k = 1, 0, 0
    while True:
        while i < n and text[i] in " \t\r\n,":
            i += 1
        if i >= n:
            raise CslError(f"line {line + text.count(chr(10), pos, n)}: the JSON array is not closed (truncated file?)")
        if text[i] == "]":
            break
        line += text.count("\n", pos, i)
        pos = i
        k += 1
        try:
            item, i = decoder.raw_decode(text, i)
        except ValueError as exc:
            # where JSON says it went wrong (its message alone, "Invalid control character at",
            # ends without the place: trial 10)
            where = f"line {exc.lineno}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else f"line {line}"
            why = exc.msg.removesuffix(" at") if isinstance(exc, json.JSONDecodeError) else str(exc)
            out.problems.append(f"{where}: item {k} is not valid JSON ({why}); the rest of the file cannot be read")
            break
        _add(out, item, f"line {line}: item {k}", source)
    return out


def _add(out: Parsed, item, where: str, source: str) -> None:
    paper = item_paper(item, source) if isinstance(item, dict) else None
    if paper is None:
        out.problems.append(f"{where} has no title, skipped" if isinstance(item, dict) else f"{where} is not an object, skipped")
    else:
        out.add(paper, _s(item.get("note")), _tags(item), reader_note=True)
