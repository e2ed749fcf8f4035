"""The arXiv metadata snapshot (Kaggle's ``arxiv-metadata-oai-snapshot.json``): one JSON
object per line, about 2.7 million lines and several GB. Read line by line in batches,
so memory stays bounded whatever the size; a category filter skips lines before they
are decoded."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from email.utils import parsedate_to_datetime
from typing import BinaryIO

from reader.model import Paper, split_arxiv_id
from reader.sources import Parsed
from reader.sources.names import format_name
from reader.sources.tex import decode_tex
from reader.text import clean

MAX_LINE = 1 << 20
_ENDS = (b"\n", b"\r")  # a line's end: LF, CR LF, or a CR alone (an old Mac's)
BATCH = 5000


def parse_categories(spec: str | None) -> set[str]:
    return {c.strip() for c in (spec or "").split(",") if c.strip()}


def wanted(cats: list[str], categories: set[str]) -> bool:
    """``cs`` selects every ``cs.*`` category; ``cs.CL`` only itself."""
    return any(c in categories or c.split(".")[0] in categories for c in cats)


_MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
_CREATED = re.compile(r"[A-Z][a-z]{2}, (\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) \d\d:\d\d:\d\d GMT")


def created_date(text: str) -> str:
    """The ISO date of a version's ``created`` ("Mon, 2 Apr 2007 19:18:42 GMT", as
    arXiv writes every one of them), read directly: the email module's parser took a
    third of the time of reading a paper. Any other form goes through that parser."""
    m = _CREATED.fullmatch(text)
    try:
        if m and m.group(2) in _MONTHS and int(m.group(3)) >= 100:  # (the parser moves years < 100)
            return date(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1))).isoformat()
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return ""


def record_paper(obj: dict, source: str = "") -> Paper | None:
    parts = split_arxiv_id(str(obj.get("id") or ""))
    title = clean(decode_tex(" ".join(str(obj.get("title") or "").split())))  # joined first: clean's fast path
    if not parts or not title:
        return None
    arxiv_id = parts[0]
    parsed = obj.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        authors = [format_name(family=decode_tex(str(a[0])), given=decode_tex(str(a[1]) if len(a) > 1 else ""),
                               suffix=decode_tex(str(a[2]) if len(a) > 2 else ""))
                   for a in parsed if isinstance(a, list) and a and a[0]]
    else:
        authors = [clean(decode_tex(a)) for a in str(obj.get("authors") or "").replace(" and ", ", ").split(",") if a.strip()]
    versions = obj.get("versions") if isinstance(obj.get("versions"), list) else []
    published = created_date(str(versions[0].get("created"))) if versions and isinstance(versions[0], dict) else ""
    last = versions[-1].get("version", "") if versions and isinstance(versions[-1], dict) else ""
    cats = str(obj.get("categories") or "").split()
    updated = str(obj.get("update_date") or "")[:10]
    return Paper(
        key=arxiv_id, title=title, abstract=clean(decode_tex(" ".join(str(obj.get("abstract") or "").split()))),
        authors=[a for a in authors if a], arxiv_id=arxiv_id, arxiv_version=str(last) if str(last).startswith("v") else "",
        published=published or updated, updated=updated, primary_category=cats[0] if cats else "",
        doi=clean(str(obj.get("doi") or "")).split()[0] if obj.get("doi") else "", journal_ref=clean(str(obj.get("journal-ref") or "")),
        url=f"https://arxiv.org/abs/{arxiv_id}", source_file=source,
    )


def iter_snapshot(
    fh: BinaryIO, categories: set[str] | None = None, source: str = "", batch: int = BATCH,
    progress: Callable[[int], None] | None = None,
) -> Iterator[Parsed]:
    """Batches of papers (each a :class:`Parsed` with the problems of its lines).
    ``progress`` gets the number of bytes read so far after each batch, and at the end
    (once: a bar ends its line at 100%)."""
    needles = [c.encode() for c in categories] if categories else []
    out = Parsed(fmt="arXiv snapshot")
    done = 0
    told = -1
    n = 0
    for line in _lines(fh):
        n += 1
        done += len(line)
        if len(line) > MAX_LINE and not line.endswith(_ENDS):
            while True:  # skip the rest of an overlong line without holding it
                rest = fh.readline(MAX_LINE)
                done += len(rest)
                if not rest or rest.endswith(b"\n"):
                    break
            out.problems.append(f"line {n}: longer than 1 MiB, skipped")
            continue
        if not line.strip() or (needles and not any(x in line for x in needles)):
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            out.problems.append(f"line {n}: not valid JSON ({exc}), skipped{_cut(n, line)}")
            continue
        if not isinstance(obj, dict):
            out.problems.append(f"line {n}: not a JSON object, skipped")
            continue
        if categories and not wanted(str(obj.get("categories") or "").split(), categories):
            continue
        paper = record_paper(obj, source)
        if paper is None:
            out.problems.append(f"line {n}: no arXiv id or no title, skipped")
            continue
        out.append(paper)
        if len(out) >= batch:
            yield out
            if progress:
                progress(told := done)
            out = Parsed(fmt="arXiv snapshot")
    if out or out.problems:
        yield out
    if progress and done != told:  # (a file of whole batches: said after its last one)
        progress(done)


def _lines(fh: BinaryIO) -> Iterator[bytes]:
    """The lines of ``fh`` as ``readline(MAX_LINE + 1)`` gives them, with their ends, also
    where a CR alone (an old Mac's line end) ends them: a line read holding one is split
    there (a CR is never inside a JSON string: the snapshot's lines are JSON)."""
    carry = b""  # the start of a line that reading stopped inside, after a CR
    while True:
        line = fh.readline(MAX_LINE + 1 - len(carry))
        if carry:
            line, carry = carry + line, b""
        if not line:
            return
        if b"\r" in line and line.find(b"\r") != len(line) - 2:  # (not a CR LF's, the one of most files with CRs)
            parts = line.splitlines(keepends=True)
            if len(parts) > 1 and not parts[-1].endswith((b"\n", b"\r")):
                carry = parts.pop()
            yield from parts
        else:
            yield line


_JOIN = "import the pieces in order in one command (`reader import x.aa x.ab`) to read it whole"


def _cut(n: int, line: bytes) -> str:
    """What a broken first or last line says: the file was cut there (a download cut
    short, or the pieces of ``split -b``, which splits lines in two)."""
    if not line.endswith(_ENDS):  # (a longer line was skipped above: this one ends the file)
        return f"; the file ends inside this line (cut short? a piece of `split -b`: {_JOIN})"
    if n == 1 and not line.lstrip().startswith(b"{"):
        return f"; the file starts inside a line (a piece of `split -b`? {_JOIN})"
    return ""


def looks_like_snapshot(first_line: str) -> bool:
    try:
        obj = json.loads(first_line)
    except ValueError:
        return False
    return isinstance(obj, dict) and "id" in obj and bool({"authors_parsed", "categories", "versions"} & obj.keys())
