"""Small helpers every bibliography format shares: arXiv ids and DOIs found in fields,
dates, and building the Paper."""

from __future__ import annotations

import re

from reader.model import Paper, paper_key, preprint_venue, split_arxiv_id
from reader.sources.tex import decode_tex
from reader.text import clean

_ARXIV_IN = re.compile(
    r"(?:arxiv(?:\.org/(?:abs|pdf)|\.org)?[:/ ]\s*|abs/)(?P<id>\d{4}\.\d{4,5}(?:v\d+)?|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)", re.I
)
_DOI = re.compile(r"\b(10\.\d{4,9}/\S+)", re.I)
_DATE = re.compile(r"^(\d{4})(?:[-/](\d{1,2}))?(?:[-/](\d{1,2}))?")
MONTHS = {m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}


_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.I)


def find_arxiv(*texts: str) -> tuple[str, str]:
    """The first arXiv id (and version) found in ``texts`` ("arXiv:2401.01234v2", an abs URL)."""
    for text in texts:
        if not text:
            continue
        parts = split_arxiv_id(text.strip())
        if parts:
            return parts
        m = _ARXIV_IN.search(text)
        if m:
            parts = split_arxiv_id(m.group("id"))
            if parts:
                return parts
    return "", ""


def find_doi(*texts: str) -> str:
    for text in texts:
        m = _DOI.search(text or "")
        if m:
            return m.group(1).rstrip(".,;)]}>\"'")
    return ""


# a season as EDTF (ISO 8601-2) writes it in place of the month: 2019-21 is spring 2019
SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
_APPROXIMATE = "~%"  # EDTF's marks after a date: approximate ("circa"), both uncertain and approximate


def iso_date(year="", month="", day="") -> str:
    """Year, month (number, name or season) and day as ``YYYY[-MM[-DD]]``; "" when there is
    no year. A season is EDTF's month 21-24 (``2019-21``: "Spring 2019"), an approximate date
    ends with EDTF's ``~`` (``1900~``: "circa 1900"), as ``year`` may also write them."""
    year, month, day = (str(x).strip() for x in (year, month, day))
    m = _DATE.match(year)
    if not m:
        return ""
    circa = "~" if year[m.end():].strip()[:1] in tuple(_APPROXIMATE) else ""
    year, month, day = m.group(1), m.group(2) or month, m.group(3) or day
    if month and not month.isdigit():
        month = str(SEASONS.get(month.lower(), "") or MONTHS.get(month[:3].lower(), ""))
    if month.isdigit() and int(month) in SEASONS.values():
        return f"{year}-{int(month)}{circa}"
    if not month.isdigit() or not 1 <= int(month) <= 12:
        return year + circa
    if day.isdigit() and 1 <= int(day) <= 31:
        return f"{year}-{int(month):02d}-{int(day):02d}{circa}"
    return f"{year}-{int(month):02d}{circa}"


_ISO_LIKE = re.compile(r"^\d{4}(?:[-/]\d{1,2}){0,2}(?:T\S*)?\s*[~%?]?$")
_YEAR = re.compile(r"(?<![\d-])(\d{4})(?![\d]|s\b)")  # not "1990s", a decade
_WORD = re.compile(r"[A-Za-z]+\.?")
_MONTH_WORDS = {w: i + 1 for i, names in enumerate(
    ("january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul", "august aug",
     "september sep sept", "october oct", "november nov", "december dec")) for w in names.split()}
_CIRCA = re.compile(r"^(?:circa|ca|c|approx|approximately|about|around)$", re.I)
_CIRCA_BEFORE = re.compile(r"^(?:circa|ca\.?|c\.|approx\.?|approximately|about|around)\s+", re.I)


def loose_date(text: str) -> str:
    """A date as people write it (a CSL-JSON ``raw`` or ``literal`` date, RIS's free part):
    "Spring 2019" -> ``2019-21``, "circa 1900" -> ``1900~``, "May 3, 2019" / "3 May 2019" ->
    ``2019-05-03``; ISO forms as :func:`iso_date`; "" without a year ("1990s" has none)."""
    text = " ".join(str(text).split())
    core = _CIRCA_BEFORE.sub("", text)
    if _ISO_LIKE.match(core):
        return iso_date(core.rstrip("?").strip() + ("~" if core != text else ""))
    year = _YEAR.search(text)
    if not year:
        return ""
    words = [w.rstrip(".").lower() for w in _WORD.findall(text)]
    season = next((SEASONS[w] for w in words if w in SEASONS), 0)
    month = next((_MONTH_WORDS[w] for w in words if w in _MONTH_WORDS), 0)
    circa = any(_CIRCA.match(w) for w in words) or text.endswith("?")
    rest = text[:year.start()] + " " + text[year.end():]
    day = re.search(r"(?<!\d)(\d{1,2})(?!\d)", rest) if month else None
    return iso_date(year.group(1) + ("~" if circa else ""), str(month or season or ""), day.group(1) if day else "")


_MATH_OR_BRACE = re.compile(r"((?<!\\)\$[^$]*(?<!\\)\$)|([{}])")  # math as decode_tex reads it


def plain_title_tex(title: str) -> str:
    """The TeX of a plain-text title (RIS, CSL-JSON) whose braces are characters:
    ``The {x} set`` -> ``The \\textbraceleft{}x\\textbraceright{} set``; "" when it has
    none outside math (math is TeX: ``$\\{0,1\\}^n$`` stays)."""
    if "{" not in title and "}" not in title:
        return ""
    out = _MATH_OR_BRACE.sub(lambda m: m.group(1) or ("\\textbraceleft{}" if m.group(2) == "{" else "\\textbraceright{}"), title)
    return "" if out == title else out


def make_paper(title: str, *, source: str = "", arxiv: tuple[str, str] = ("", ""), venue: str = "", entry_type: str = "",
               date: str = "", title_tex: str = "", submitted: str = "", **fields) -> Paper | None:
    """A Paper from cleaned-up parts; None without a title. A venue that is arXiv/CoRR or a
    "preprint" makes the entry a preprint (no published version). ``title_tex`` (the
    title as TeX, see Paper.title_tex) is kept only when it reads as the title. ``date`` is
    the date cited; ``submitted`` a published paper's own earlier date (its preprint's, as
    reader's CSL-JSON writes it), its ``published``."""
    title = clean(title)
    if not title:
        return None
    title_tex = clean(title_tex)
    if title_tex and clean(decode_tex(title_tex)) != title:
        title_tex = ""
    arxiv_id, version = arxiv
    doi = fields.pop("doi", "")
    if m := _ARXIV_DOI.match(clean(doi).removeprefix("doi:").strip()):  # arXiv's own DOI names the preprint
        doi = ""
        if not arxiv_id:
            arxiv_id, version = split_arxiv_id(m.group(1)) or ("", "")
    venue = clean(venue)
    if preprint_venue(clean(fields.get("publisher", ""))):  # arXiv publishes preprints only
        fields["publisher"] = ""
        if not venue:  # Zotero's "article" published by arXiv
            entry_type = ""
    if preprint_venue(venue):
        venue, entry_type = "", ""
    published = bool(entry_type or venue)
    fields = {k: clean(v, keep_newlines=k == "abstract") if isinstance(v, str) else v for k, v in fields.items()}
    paper = Paper(
        key=paper_key(arxiv_id, title), title=title, title_tex=title_tex, arxiv_id=arxiv_id, arxiv_version=version,
        published=(submitted or date) if published else date, journal=venue, entry_type=entry_type if published else "",
        journal_date=date if published else "", doi=clean(doi).removeprefix("doi:").strip(), source_file=source, **fields,
    )
    if arxiv_id and not paper.url:
        paper.url = f"https://arxiv.org/abs/{arxiv_id}"
    if paper.doi and not paper.url:
        paper.url = f"https://doi.org/{paper.doi}"
    return paper
