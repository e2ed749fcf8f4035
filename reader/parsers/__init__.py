"""Turning files the user imports into :class:`reader.model.Paper` records.

The format is recognised by content (:mod:`reader.sources.detect`): BibTeX, CSL-JSON,
RIS and the arXiv metadata snapshot go to :mod:`reader.sources`; anything else is a
list of arXiv ids or a copied Hugging Face page. Every failure is an
:class:`InputError` whose message names the file and the problem in one line; nothing
else escapes (the fuzz tests check that). Entries that cannot be read are listed in
the result's ``problems`` (with their line) while the rest imports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from reader.model import Paper
from reader.parsers.decode import InputError, read_text
from reader.parsers.hf import parse_hf_page
from reader.parsers.ids import looks_like_id_list, parse_id_list
from reader.sources import Parsed
from reader.sources.detect import FORMATS, HEAD, parse_as, sniff

__all__ = ["InputError", "Parsed", "iter_file", "parse_file", "parse_text"]


def parse_text(text: str, source: str = "") -> list[Paper]:
    """Parse already-decoded text in whichever format it is (the clipboard, a file)."""
    fmt = sniff(text)
    if fmt == "arxiv-snapshot":
        import io

        from reader.sources.snapshot import iter_snapshot

        out = Parsed(fmt="arXiv snapshot")
        for batch in iter_snapshot(io.BytesIO(text.encode()), source=source):
            out.extend(batch)
            out.problems += batch.problems
        return out
    if fmt == "unknown":
        return Parsed()
    if fmt:
        return parse_as(fmt, text, source)
    if looks_like_id_list(text):
        return parse_id_list(text, source=source)
    return parse_hf_page(text, source=source)


def _sniff_file(path: Path) -> str:
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD)
    except OSError:
        return ""  # read_text will say why
    return sniff(head.decode("utf-8", "replace"))


def iter_file(
    path: str | Path, categories: set[str] | None = None, progress: Callable[[int, int], None] | None = None
) -> Iterator[Parsed]:
    """The papers of one file in batches: one batch for most formats; the arXiv snapshot
    is streamed in bounded memory (``categories`` filters it; ``progress(done, total)``
    reports bytes read). Raises InputError naming the file when nothing can be used."""
    path = Path(path)
    if _sniff_file(path) == "arxiv-snapshot":
        from reader.sources.snapshot import iter_snapshot

        total = path.stat().st_size
        with open(path, "rb") as fh:
            yield from iter_snapshot(fh, categories, source=path.name,
                                       progress=(lambda done: progress(done, total)) if progress else None)
        return
    papers = parse_file(path)
    yield papers if isinstance(papers, Parsed) else Parsed(papers)


def parse_file(path: str | Path) -> list[Paper]:
    """Read, decode and parse one file; raise InputError naming the file on any problem."""
    path = Path(path)
    if _sniff_file(path) == "arxiv-snapshot":
        out = Parsed(fmt="arXiv snapshot")
        for batch in iter_file(path):
            out.extend(batch)
            out.problems += batch.problems
        if not out:
            raise InputError(path, "no papers found in the arXiv snapshot" + (f" ({out.problems[0]})" if out.problems else ""))
        return out
    text = read_text(path)
    try:
        papers = parse_text(text, source=path.name)
    except RecursionError as exc:  # pragma: no cover - defensive
        raise InputError(path, "input too deeply nested to parse") from exc
    except ValueError as exc:  # a format recognised but unreadable as a whole (CSL-JSON)
        raise InputError(path, str(exc)) from exc
    if not papers:
        problems = getattr(papers, "problems", [])
        fmt = getattr(papers, "format", "")
        if fmt:
            raise InputError(path, f"no papers found in this {fmt} file" + (f" ({problems[0]})" if problems else ""))
        raise InputError(path, f"no papers found (not a recognised format: expected {FORMATS})")
    return papers
