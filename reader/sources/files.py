"""Importing one file into the store: parsed whole, or (the arXiv snapshot) streamed in
batches so memory stays bounded, with a progress callback and per-entry problems."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from reader.model import Paper
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
    tail_cut: object = None  # the entry the file ends inside (reader.parsers.pieces.Cut): the next piece may end it


def stamp(papers: list[Paper]) -> None:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for p in papers:
        if not p.added_at:
            p.added_at = now


def import_file(
    store, path, categories: set[str] | None = None, on_problem: Callable[[str], None] | None = None,
    progress: Callable[..., None] | None = None,
    importer: Callable[[list[Paper]], ImportResult] | None = None, before=None,
) -> FileImport:
    """Parse ``path`` (any supported format; ``-`` standard input) and merge it into
    ``store`` (or through ``importer``, e.g. the TUI's Triage). ``on_problem`` hears each
    skipped entry and each warning. A streamed arXiv snapshot tells ``progress(bytes read,
    total bytes)``; of standard input, whose size is not known, ``progress(bytes read,
    None, papers read)``. ``before`` is the entry the file imported just before ends inside
    (its ``tail_cut``), which this one may end (:mod:`reader.parsers.pieces`). Raises
    InputError when nothing could be used (its ``tail_cut``, that of the file)."""
    from reader.parsers import InputError, iter_file

    importer = importer or store.import_papers
    out = FileImport()
    told = (lambda done, total: progress(done, total) if total is not None else progress(done, None, out.read)) \
        if progress else None
    try:
        _import_batches(out, iter_file(path, categories, told, before), importer, on_problem)
    except KeyboardInterrupt:
        raise ImportInterrupted(out) from None
    if not out.read:
        exc = InputError(path, f"no papers in the categories {','.join(sorted(categories))}" if categories else
                         "no papers found" + (f" ({out.problems[0]})" if out.problems else ""))
        exc.tail_cut = out.tail_cut
        raise exc
    return out


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
        out.tail_cut = getattr(batch, "tail_cut", None)
        for name in ("read", "new", "existing", "updated"):
            setattr(out.result, name, getattr(out.result, name) + getattr(res, name))
        if batches == 1 and len(batch) == out.read:
            new = set(res.new_keys)
            out.added = [p for p in batch if p.key in new]
        else:
            out.added = []
