"""Importing one file into the store: parsed whole, or (the arXiv snapshot) streamed in
batches so memory stays bounded, with a progress callback and per-entry problems."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from reader.model import Paper
from reader.parsers.decode import STDIN
from reader.sources import Parsed
from reader.sources.snapshot_worker import GZIP, ZIP, compression
from reader.storage.store import ImportResult


class ImportInterrupted(KeyboardInterrupt):
    """ctrl+c during an import: ``done`` holds what was stored before it (each batch is
    one transaction, so that much is in the library)."""

    def __init__(self, done: FileImport):
        super().__init__()
        self.done = done


@dataclass
class FileImport:
    read: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # read despite them, nothing skipped (bytes not UTF-8)
    result: ImportResult = field(default_factory=ImportResult)
    added: list[Paper] = field(default_factory=list)  # new papers (not kept for streamed files)


def stamp(papers: list[Paper]) -> None:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for p in papers:
        if not p.added_at:
            p.added_at = now


def import_file(
    store, path, categories: set[str] | None = None, on_problem: Callable[[str], None] | None = None,
    progress: Callable[..., None] | None = None,
    importer: Callable[[list[Paper]], ImportResult] | None = None,
) -> FileImport:
    """Parse ``path`` (any supported format; ``-`` standard input) and merge it into
    ``store`` (or through ``importer``, e.g. the TUI's Triage). ``on_problem`` hears each
    skipped entry and each warning. A streamed arXiv snapshot tells ``progress(bytes read,
    total bytes)``; of standard input, whose size is not known, ``progress(bytes read,
    None, papers read)``. Raises InputError when nothing could be used."""
    from reader.parsers import InputError

    importer = importer or store.import_papers
    out = FileImport()
    told = (lambda done, total: progress(done, total) if total is not None else progress(done, None, out.read)) \
        if progress else None
    try:
        _import_batches(out, _batches(path, categories, told), importer, on_problem)
    except KeyboardInterrupt:
        raise ImportInterrupted(out) from None
    if not out.read and categories:
        raise InputError(path, f"no papers in the categories {','.join(sorted(categories))}")
    if not out.read:
        raise InputError(path, "no papers found" + (f" ({out.problems[0]})" if out.problems else ""))
    return out


def _batches(path, categories: set[str] | None, progress: Callable[[int, int | None], None] | None) -> Iterator[Parsed]:
    from reader.parsers import iter_file

    if str(path) == STDIN:
        return _stdin_batches(categories, progress)
    if compression(path):
        return _compressed_batches(Path(path), categories, progress)
    return iter_file(path, categories, progress)


def _compressed_batches(path: Path, categories: set[str] | None,
                        progress: Callable[[int, int | None], None] | None) -> Iterator[Parsed]:
    """A gzip-compressed snapshot (arxiv-metadata-oai-snapshot.json.gz) or a zip archive of
    it (Kaggle's arxiv.zip), streamed as it is decompressed, with its progress in the
    file's own (compressed) bytes. Any other content is refused: read it decompressed."""
    from reader.parsers import InputError
    from reader.parsers.decode import read_head
    from reader.sources import snapshot_worker as worker
    from reader.sources.detect import enough, sniff

    kind = compression(path)
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


def _stdin_batches(categories: set[str] | None, progress: Callable[[int, int | None], None] | None) -> Iterator[Parsed]:
    """Standard input, recognised by its first lines; an arXiv snapshot streamed (parsed
    in a child process when big) with its progress in bytes, of no known total."""
    from reader.parsers import _parse
    from reader.parsers.decode import STDIN_LABEL, InputError, stdin_with_head
    from reader.sources.detect import enough, sniff
    from reader.sources.snapshot_worker import ChildFailed, iter_snapshot_stdin

    head, stream = stdin_with_head(enough)
    if head.startswith(GZIP) or head[:4] in ZIP:
        raise InputError(STDIN_LABEL, "compressed data: give the file's name (reader import FILE.gz), or decompress it "
                                      "into standard input (zcat FILE.gz | reader import -)")
    fmt = sniff(head.decode("utf-8", "replace"))
    if fmt != "arxiv-snapshot":  # read whole, as reader.parsers.iter_file reads it
        papers = _parse(STDIN, fmt, stream)
        yield papers if isinstance(papers, Parsed) else Parsed(papers)
        return
    try:
        yield from iter_snapshot_stdin(head, stream, categories, (lambda done: progress(done, None)) if progress else None)
    except OSError as exc:
        raise InputError(STDIN_LABEL, exc.strerror or str(exc)) from None
    except ChildFailed as exc:
        raise InputError(STDIN_LABEL, str(exc)) from None


def _import_batches(out: FileImport, batches_of_file, importer, on_problem) -> None:
    batches = 0
    for batch in batches_of_file:
        batches += 1
        warnings = getattr(batch, "warnings", [])
        for line in batch.problems + warnings if on_problem else ():
            on_problem(line)
        stamp(batch)
        res = importer(batch)
        out.problems += batch.problems  # counted once stored: a ctrl+c during the import says what is in
        out.warnings += warnings
        out.read += len(batch)
        for name in ("read", "new", "existing", "updated"):
            setattr(out.result, name, getattr(out.result, name) + getattr(res, name))
        if batches == 1 and len(batch) == out.read:
            new = set(res.new_keys)
            out.added = [p for p in batch if p.key in new]
        else:
            out.added = []
