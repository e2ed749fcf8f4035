"""Pieces of a file cut anywhere (``split -b``, a download cut short): the entry cut in
two at each cut is said to be so, and read whole when its pieces are imported in order
in one command (``reader import refs.aa refs.ab``).

A file ends inside an entry when, in BibTeX, its last entry's braces do not close (or
its last line, cut, starts one: "@arti"); in RIS, it ends inside a line after its last ER
line; in the arXiv snapshot, it ends inside a line that is not a whole JSON object. What
comes before a file's first entry is joined with the end of the file imported just
before it when the two read as exactly one entry, with no problem; else it is said to be
the end of a cut entry only when that is certain (BibTeX: it closes more braces than it
opens; RIS: it holds an ER line; the snapshot: its first line is not a JSON object),
and read as before otherwise (comments, a RIS export's header lines). Files in UTF-8 (or
another encoding that writes ASCII as ASCII) only: the parts are bytes, so a character
cut in two is whole again. A piece too short to hold one whole entry is not recognised
as its format: it is one line's error, as before."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

_BIB_ENTRY = re.compile(rb"^[ \t]*@(?!(?:string|preamble|comment)\s*[{(])[A-Za-z]+\s*\{", re.M | re.I)
_RIS_TY = re.compile(rb"^TY  - ", re.M)
_RIS_ER = re.compile(rb"^ER  -", re.M)
_RIS_ER_LINE = re.compile(rb"^ER  -.*(?:\n|\Z)", re.M)  # (a file may end with its ER line)
_BRACES = re.compile(rb"(?<!\\)[{}]")
_NEWLINE = re.compile(rb"\r\n?")
ADVICE = "a piece of `split -b`? import the pieces in order in one command, as in `reader import x.aa x.ab`"
MAX_CUT = 1 << 20  # bytes: an entry longer than this is not looked for


@dataclass
class Cut:
    """The end of a file (``name``), cut inside an entry of format ``fmt``: its bytes."""

    name: str
    fmt: str
    data: bytes


def lf(data: bytes) -> bytes:
    """``data`` (UTF-8 or CP1252) with its line ends as LF."""
    return _NEWLINE.sub(b"\n", data) if b"\r" in data else data


def _depths(data: bytes) -> tuple[int, int]:
    """(lowest, last) brace depth of ``data``, from 0."""
    depth = low = 0
    for m in _BRACES.finditer(data):
        depth += 1 if m.group() == b"{" else -1
        low = min(low, depth)
    return low, depth


def split(fmt: str, data: bytes) -> tuple[bytes, bytes, bytes, bool]:
    """(what comes before the first entry, the rest, the entry the file ends inside, whether
    the first part is certainly the end of an entry), b"" where there is none; ``data``
    has LF line ends. A file that ends inside a line ends inside an entry there."""
    cut_line = not data.endswith(b"\n")
    if fmt == "bibtex":
        starts = [m.start() for m in _BIB_ENTRY.finditer(data)]
        first = starts[0] if starts else len(data)
        certain = _depths(data[:first])[0] < 0  # it closes more braces than it opens
        tail_at = starts[-1] if starts and len(data) - starts[-1] <= MAX_CUT and _depths(data[starts[-1]:])[1] > 0 else None
        last_line = data.rfind(b"\n") + 1
        if tail_at is None and cut_line and data[last_line:].lstrip().startswith(b"@") and last_line >= first:
            tail_at = last_line  # cut inside an entry's first line ("@arti")
    elif fmt == "ris":
        m = _RIS_TY.search(data)
        first = m.start() if m else len(data)
        certain = bool(_RIS_ER.search(data, 0, first))
        ends = [m.end() for m in _RIS_ER_LINE.finditer(data, first)]
        tail_at = (ends[-1] if ends else first) if cut_line else None
    else:
        return b"", data, b"", False
    head = data[:first] if data[:first].strip() else b""
    tail = data[tail_at:] if tail_at is not None and data[tail_at:].strip() and tail_at >= first else b""
    return head, data[len(head): len(data) - len(tail)], tail, certain


def lines(data: bytes) -> int:
    return data.count(b"\n") + (not data.endswith(b"\n"))


def _span(head: bytes) -> str:
    n = lines(head.rstrip())
    return "line 1" if n == 1 else f"lines 1-{n}"


def head_problem(head: bytes) -> str:
    return f"{_span(head)}: the file starts inside an entry (its start is cut off: {ADVICE}), skipped"


def tail_problem(line: int) -> str:
    return f"line {line}: the last entry is cut off (the file ends inside it: {ADVICE}), skipped"


def joined(before: Cut, head: bytes) -> str:
    return f"{_span(head)}: the end of the entry cut off at the end of {before.name}: joined with it, read whole"


def join(before: Cut | None, fmt: str, head: bytes, source: str, categories: set[str] | None = None):
    """The one paper the cut entry ``before`` and this file's ``head`` make, as a
    :class:`reader.sources.Parsed`; None when they are not exactly one good entry (or a
    snapshot record not in ``categories``)."""
    if before is None or before.fmt != fmt or not head:
        return None
    from reader.sources import Parsed
    from reader.sources.detect import parse_as

    data = before.data + head
    if fmt == "arxiv-snapshot":
        from reader.sources.snapshot import record_paper, wanted

        try:
            obj = json.loads(data)
        except (ValueError, RecursionError):
            return None
        if not isinstance(obj, dict) or (categories and not wanted(str(obj.get("categories") or "").split(), categories)):
            return None
        paper = record_paper(obj, source)
        return Parsed([paper], fmt="arXiv snapshot") if paper else None
    text = data.decode("utf-8", "replace")
    try:
        out = parse_as(fmt, text, source)
    except (ValueError, RecursionError):
        return None
    return out if len(out) == 1 and not out.problems else None


def snapshot_ends(path: str | Path) -> tuple[bytes, bytes]:
    """(the first line of a snapshot file, if it does not start a JSON object; its last line,
    if the file ends inside it), each without its line end and at most MAX_CUT bytes."""
    try:
        with open(path, "rb") as fh:
            first = fh.readline(MAX_CUT)
            size = fh.seek(0, 2)
            fh.seek(max(0, size - MAX_CUT))
            end = fh.read()
    except OSError:
        return b"", b""
    head = first.rstrip(b"\r\n") if first.endswith((b"\n", b"\r")) and not _record(first) else b""
    cut = max(end.rfind(b"\n"), end.rfind(b"\r"))
    tail = end[cut + 1:] if end and not end.endswith((b"\n", b"\r")) and (cut >= 0 or size <= MAX_CUT) else b""
    return head, b"" if _record(tail) else tail


def _record(line: bytes) -> bool:
    """``line`` is a whole JSON object (a file cut at a line's end has no cut line)."""
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


def parse_pieces(fmt: str, data: bytes, decode, source: str, name: str, before: Cut | None):
    """The papers of a BibTeX or RIS file's bytes (UTF-8 or CP1252, read by ``decode``),
    its cut entries said (``tail_cut``: the one it ends inside), the one it starts inside
    joined with ``before``, the end of the file imported before it, when they make one."""
    from reader.sources.detect import parse_as

    data = lf(data).removeprefix(b"\xef\xbb\xbf")  # (a BOM: UTF-8's, as decode reads it)
    head, body, tail, certain = split(fmt, data)
    got = join(before, fmt, head, source)
    if got is None and not certain:  # the start of the file (a RIS file's header lines, BibTeX comments)
        head, body = b"", head + body
    out = parse_as(fmt, "\n" * head.count(b"\n") + decode(body), source)  # (its lines numbered as in the file)
    if head:
        if got is None:
            out.problems.insert(0, head_problem(head))
        else:
            out[0:0] = got
            out.marks += got.marks
            out.warnings.append(joined(before, head))
    if tail:
        at = len(data) - len(tail.lstrip())  # (its first line that is not blank)
        out.problems.append(tail_problem(data.count(b"\n", 0, at) + 1))
        out.tail_cut = Cut(name, fmt, tail)
    return out


def snapshot_pieces(path: str | Path, categories: set[str] | None, before: Cut | None,
                    batches: Callable[[], Iterator]) -> Iterator:
    """The ``batches()`` of a snapshot file, the line it starts inside first, joined with
    ``before`` when they make a record (its "not valid JSON" then not said); the last
    batch's ``tail_cut`` is the line it ends inside."""
    first, last = snapshot_ends(path)
    got = join(before, "arxiv-snapshot", first, Path(path).name, categories) if first else None
    if got is not None:
        got.warnings.append(joined(before, first))
        yield got
    held = None
    for batch in batches():
        if got is not None and held is None:
            batch.problems[:] = [p for p in batch.problems if not p.startswith("line 1: ")]
        if held is not None:
            yield held
        held = batch
    if held is not None:
        held.tail_cut = Cut(str(path), "arxiv-snapshot", last) if last else None
        yield held
