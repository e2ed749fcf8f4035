"""Turning files the user imports into :class:`reader.model.Paper` records.

The format is recognised by content (:mod:`reader.sources.detect`): BibTeX, CSL-JSON,
RIS and the arXiv metadata snapshot go to :mod:`reader.sources`; anything else is a
list of arXiv ids or a copied Hugging Face page. Every failure is an
:class:`InputError` whose message names the file and the problem in one line; nothing
else escapes (the fuzz tests check that). Files are streamed line by line
(:mod:`reader.parsers.decode`), so memory stays bounded; the arXiv snapshot is streamed
in batches (:func:`iter_file`). Entries that cannot be read are listed in the result's
``problems`` (with their line) while the rest imports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from pathlib import Path
from typing import BinaryIO

from reader.model import Paper
from reader.parsers.decode import (
    MAX_BYTES,
    STDIN,
    STDIN_LABEL,
    InputError,
    label,
    read_head,
    stdin_with_head,
    with_lines,
)
from reader.parsers.encoding import encoding_of, head_text, newlines
from reader.parsers.hf import NotHFPage, PageError, parse_hf_lines
from reader.parsers.ids import SNIFF_LINES, looks_like_id_list, parse_id_list
from reader.parsers.pieces import Cut, parse_pieces, snapshot_pieces
from reader.sources import Parsed
from reader.sources.detect import FORMATS, NOT_SNAPSHOT, enough, parse_as, sniff

__all__ = ["InputError", "NotHFPage", "PageError", "Parsed", "iter_file", "parse_file", "parse_lines", "parse_text"]


def parse_lines(lines: Iterable[str], source: str = "") -> list[Paper]:
    """Parse a stream of lines in whichever format it is: BibTeX, CSL-JSON, RIS, the arXiv
    snapshot, a list of arXiv ids/URLs, or a copied Hugging Face page."""
    it: Iterator[str] = iter(lines)
    head = _head(it)
    fmt = sniff("\n".join(head))
    if fmt == "unknown":
        return Parsed()
    if fmt == "json-lines":
        raise ValueError(NOT_SNAPSHOT)
    if fmt == "arxiv-snapshot":
        import io

        from reader.sources.snapshot import iter_snapshot

        out = Parsed(fmt="arXiv snapshot")
        for batch in iter_snapshot(io.BytesIO("\n".join(chain(head, it)).encode()), source=source):
            out.extend(batch)
            out.problems += batch.problems
        return out
    if fmt:
        return parse_as(fmt, "\n".join(chain(head, it)), source)
    it = chain(head, it)
    if looks_like_id_list(head):
        return parse_id_list(it, source=source)
    return parse_hf_lines(it, source=source)


def _head(it: Iterator[str]) -> list[str]:
    """The first lines, up to SNIFF_LINES non-blank ones (bounded: at most 4x that many lines)."""
    head: list[str] = []
    nonblank = 0
    for line in islice(it, SNIFF_LINES * 4):
        head.append(line)
        if line.strip():
            nonblank += 1
            if nonblank >= SNIFF_LINES:
                break
    return head


def parse_text(text: str, source: str = "") -> list[Paper]:
    """Parse already-decoded text (an :class:`InputError` names ``source`` on a problem)."""
    try:
        return parse_lines(newlines(text).split("\n"), source)
    except ValueError as exc:  # PageError; a CSL-JSON file that is not JSON at all
        raise InputError(source or "<text>", str(exc)) from exc


def _sniff_file(path: str | Path) -> tuple[str, BinaryIO | None]:
    """The format of ``path`` from its first lines; for ``-`` (standard input), also the
    stream to read it from (what was read to recognise it comes again)."""
    fmt, stdin, _head = _sniff_head(path)
    return fmt, stdin


def _sniff_head(path: str | Path) -> tuple[str, BinaryIO | None, bytes]:
    """:func:`_sniff_file`, and the first bytes it read."""
    if str(path) == STDIN:
        head, stdin = stdin_with_head(enough)
        return _format(head), stdin, head
    try:
        with open(path, "rb") as fh:
            head, _ = read_head(fh, enough)
    except OSError:
        return "", None, b""  # reading it properly will say why
    return _format(head), None, head


def _format(head: bytes) -> str:
    """The format of an input starting with ``head``. The snapshot is streamed as UTF-8 bytes:
    in any other encoding (UTF-16) it is read as lines, decoded, as a page is ("")."""
    fmt = sniff(head_text(head))
    return "" if fmt == "arxiv-snapshot" and not encoding_of(head).startswith("utf-8") else fmt


def _read_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(path, f"file too large (limit {MAX_BYTES // 2**20} MiB)")
        return path.read_bytes()
    except OSError as exc:
        raise InputError(path, exc.strerror or str(exc)) from exc


def _decode(data: bytes) -> str:
    encoding = encoding_of(data[:65536])
    if not encoding.startswith("utf-8"):
        return newlines(data.decode(encoding, "replace"))
    try:
        return newlines(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return newlines(data.decode("cp1252", "replace"))


def iter_file(
    path: str | Path, categories: set[str] | None = None, progress: Callable[[int, int | None], None] | None = None,
    before: Cut | None = None,
) -> Iterator[Parsed]:
    """The papers of one file (``-``: standard input) in batches: one batch for most
    formats; the arXiv snapshot is streamed in bounded memory, compressed too (``categories``
    filters it; ``progress(done, total)`` reports bytes read, of no known total (None) for
    standard input). Raises InputError naming the file when nothing can be used. The last
    batch's ``tail_cut`` is the entry the file ends inside (BibTeX, RIS, the snapshot), which
    the next file's first lines may end: ``before`` (:mod:`reader.parsers.pieces`)."""
    from reader.sources.snapshot_worker import GZIP, ZIP, compression

    if str(path) != STDIN and compression(path):
        yield from _iter_compressed(Path(path), categories, progress)
        return
    fmt, stdin, head = _sniff_head(path)
    if stdin is not None and (head.startswith(GZIP) or head[:4] in ZIP):
        raise InputError(STDIN_LABEL, "compressed data: give the file's name (reader import FILE.gz), or decompress "
                                      "it into standard input (zcat FILE.gz | reader import -)")
    if fmt == "arxiv-snapshot":
        if stdin is None:
            yield from snapshot_pieces(path, categories, before, lambda: _iter_snapshot(path, None, head, categories, progress))
        else:
            yield from _iter_snapshot(path, stdin, head, categories, progress)
        return
    papers = _parse(path, fmt, stdin, before)
    yield papers if isinstance(papers, Parsed) else Parsed(papers)


def _iter_snapshot(path: str | Path, stdin: BinaryIO | None, head: bytes | None = None,
                   categories: set[str] | None = None,
                   progress: Callable[[int, int | None], None] | None = None) -> Iterator[Parsed]:
    """A file is parsed in a child process when big; standard input too when its first
    bytes (``head``) are given, with its progress in bytes of no known total."""
    from reader.sources.snapshot import iter_snapshot
    from reader.sources.snapshot_worker import ChildFailed, iter_snapshot_file, iter_snapshot_stdin

    if stdin is not None:
        told = (lambda done: progress(done, None)) if progress else None
        try:
            if head is None:  # read here (parse_file: the whole of it, at once)
                yield from iter_snapshot(stdin, categories, source="stdin", progress=told)
            else:
                yield from iter_snapshot_stdin(head, stdin, categories, told)
        except OSError as exc:
            raise InputError(STDIN_LABEL, exc.strerror or str(exc)) from None
        except ChildFailed as exc:
            raise InputError(STDIN_LABEL, str(exc)) from None
        return
    path = Path(path)
    total = path.stat().st_size
    try:
        yield from iter_snapshot_file(path, categories, progress=(lambda done: progress(done, total)) if progress else None)
    except ChildFailed as exc:
        raise InputError(path, str(exc)) from None


def _iter_compressed(path: Path, categories: set[str] | None,
                     progress: Callable[[int, int | None], None] | None) -> Iterator[Parsed]:
    """A gzip-compressed snapshot (arxiv-metadata-oai-snapshot.json.gz) or a zip archive of
    it (Kaggle's arxiv.zip), streamed as it is decompressed, with its progress in the
    file's own (compressed) bytes. Any other content is refused: read it decompressed."""
    from reader.sources import snapshot_worker as worker

    kind = worker.compression(path)
    try:
        with worker.open_snapshot(path) as (fh, _tell):
            head, _ = read_head(fh, enough)
    except (OSError, *worker.COMPRESSION_ERRORS) as exc:
        raise InputError(path, worker.problem(exc)) from None
    if not head.strip():
        raise InputError(path, f"file is empty ({kind}-compressed)")
    if sniff(head.decode("utf-8", "replace")) != "arxiv-snapshot":
        raise InputError(path, f"{kind}-compressed, and not the arXiv metadata snapshot: only the snapshot is read "
                               f"compressed; decompress it first")
    total = path.stat().st_size
    # the decompressor reads ahead: the last batches may all find the whole file read, and
    # each 100% would end the bar's line. 100% is said once, when the reading is done
    # (a zip archive's list of files, at its end, is never read)
    tell = (lambda done: progress(min(done, total - 1), total)) if progress else None
    try:
        yield from worker.iter_snapshot_file(path, categories, progress=tell)
    except worker.ChildFailed as exc:
        raise InputError(path, str(exc)) from None
    if progress:
        progress(total, total)


def parse_file(path: str | Path) -> list[Paper]:
    """Read, decode and parse one file (``-``: standard input); raise InputError naming
    the file on any problem."""
    return _parse(path, *_sniff_file(path))


def _parse(path: str | Path, fmt: str, stdin: BinaryIO | None, before: Cut | None = None) -> list[Paper]:
    name = label(path)
    source = "stdin" if name != str(path) else Path(path).name
    try:
        papers = _parse_as(path, fmt, stdin, source, before)
    except RecursionError as exc:  # JSON nested deeper than the decoder goes
        raise InputError(name, "input too deeply nested to parse") from exc
    except ValueError as exc:  # PageError, BadFeed, a CSL-JSON file that is not JSON at all
        raise InputError(name, str(exc)) from exc
    if not papers:
        problems = getattr(papers, "problems", [])
        fmt = getattr(papers, "format", "")
        if fmt:
            exc = InputError(name, f"no papers found in this {fmt} file" + (f" ({problems[0]})" if problems else ""))
            exc.tail_cut = getattr(papers, "tail_cut", None)  # (the next piece may end it)
            raise exc
        raise InputError(name, f"no papers found (not a recognised format: expected {FORMATS})")
    return papers


def _parse_as(path: str | Path, fmt: str, stdin: BinaryIO | None, source: str, before: Cut | None = None) -> list[Paper]:
    if fmt == "arxiv-snapshot":  # streamed from the bytes, not capped like a page
        out = Parsed(fmt="arXiv snapshot")
        for batch in _iter_snapshot(path, stdin):
            out.extend(batch)
            out.problems += batch.problems
        return out
    if stdin is not None or fmt not in ("feed", "bibtex", "csl-json", "ris"):  # read as lines
        return with_lines(path, lambda lines: parse_lines(lines, source=source), stdin)
    if fmt == "feed":  # read as bytes: a feed declares its own encoding
        from reader.sources.feeds import read_feed_file

        return read_feed_file(path, source)
    data = _read_bytes(Path(path))  # a bibliography may hold one long line (minified JSON)
    if fmt in ("bibtex", "ris") and encoding_of(data[:65536]).startswith("utf-8"):  # (or CP1252)
        return parse_pieces(fmt, data, _decode, source, str(path), before)
    return parse_as(fmt, _decode(data), source)
