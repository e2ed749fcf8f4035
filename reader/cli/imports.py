"""``reader import FILE...``: copied pages and id lists into the library."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from reader.cli.common import err, open_store


def register(sub) -> None:
    s = sub.add_parser("import", help="import files: copied Hugging Face pages, lists of arXiv ids/URLs, BibTeX, "
                                      "CSL-JSON, RIS, RSS/Atom feeds, the arXiv metadata snapshot (found by content)")
    s.add_argument("files", nargs="+", metavar="FILE", help="a file, or - for standard input")
    s.add_argument("--no-resolve", action="store_true", help="do not look up papers imported from bare arXiv ids")
    s.add_argument("--category", metavar="CATS", help="arXiv snapshot: only these categories (cs.CL,cs.LG; cs = every cs.*)")
    s.set_defaults(handler=run)


def import_files(store, files: list[str], out=None, added: list | None = None, categories: str | None = None) -> int:
    """Import each file; report each on one line (and each unreadable entry with its line).
    Exit status 2 if any file failed. New papers are appended to ``added`` when given."""
    from reader.parsers import InputError
    from reader.parsers.decode import label
    from reader.sources.files import ImportInterrupted, import_file
    from reader.sources.snapshot import parse_categories
    from reader.storage.store import StoreError

    status = 0
    before = None  # the entry the last file ends inside: the next file's first lines may end it
    for name in files:
        if name == "-" and sys.stdin.isatty():
            err("reading a copied page from standard input (paste it, then ctrl+d)")
        shown = label(name)
        bar = progress_bar(name) if sys.stderr.isatty() else None
        try:
            done = import_file(store, name, parse_categories(categories), on_problem=lambda p, n=shown: err(f"{n}: {p}"),
                               progress=bar, before=before)
        except InputError as exc:
            _end(bar)
            err(str(exc))
            status = 2
            before = getattr(exc, "tail_cut", None)
            continue
        except StoreError as exc:
            _end(bar)
            err(str(exc))
            return 1
        except ImportInterrupted as stop:  # ctrl+c: what is stored stays, and is said
            _end(bar)  # below the progress bar
            print(_summary(name, stop.done) + ", then interrupted", file=out or sys.stdout)
            err(f"{shown}: interrupted; what is said above is in the library, and importing the file again adds the rest")
            return 130
        _end(bar)
        before = done.tail_cut
        if added is not None:
            added.extend(done.added)
        print(_summary(name, done), file=out or sys.stdout)
    return status


def _summary(name: str, done) -> str:
    """"hf.txt: 52 papers read, 50 new, 2 already in the library"."""
    result = done.result
    label = "<stdin>" if name == "-" else Path(name).name
    skipped = f", {len(done.problems)} entr{'y' if len(done.problems) == 1 else 'ies'} skipped" if done.problems else ""
    return (f"{label}: {done.read} paper{'' if done.read == 1 else 's'} read, {result.new} new, "
            f"{result.existing} already in the library{skipped}")


def progress_bar(name: str) -> Progress:
    return Progress(name)


class Progress:
    """A one-line progress bar on stderr (for the streamed arXiv snapshot), called with
    (bytes read, total bytes, papers read). Of standard input the total is not known
    (None): the line says the papers and bytes read and the rate, and :meth:`end` ends it."""

    def __init__(self, name: str):
        self.label = "<stdin>" if name == "-" else Path(name).name
        self.start = time.monotonic()
        self.open = False  # a line drawn and not ended

    def __call__(self, done: int, total: int | None, papers: int = 0) -> None:
        if total is None:
            self._count(done, papers)
        else:
            self._bar(done, total)

    def end(self) -> None:
        if self.open:
            print(file=sys.stderr, flush=True)
            self.open = False

    def _count(self, done: int, papers: int) -> None:
        """"<stdin>: 120,000 papers, 85 MiB read, 9,512 papers/s", cut to the terminal's width
        (the rate first, then the bytes, then the name)."""
        rate = papers / max(time.monotonic() - self.start, 1e-3)
        room = shutil.get_terminal_size((80, 24)).columns - 1
        parts = [f" {papers:,} paper{'' if papers == 1 else 's'}", f", {done / 2**20:,.0f} MiB read", f", {rate:,.0f} papers/s"]
        while len(parts) > 1 and len(self.label) + 1 + sum(map(len, parts)) > room:
            parts.pop()
        text = "".join(parts)
        name = self.label if len(self.label) + 1 + len(text) <= room else self.label[:max(1, room - len(text) - 2)] + "…"
        print(f"\r{name}:{text}"[:room + 1], end="", file=sys.stderr, flush=True)
        self.open = True

    def _bar(self, done: int, total: int) -> None:
        label = self.label
        frac = done / total if total else 1.0
        size = f" {frac:4.0%} of {total / 2**20:,.0f} MiB"
        # one line whatever the terminal's width: a line that wraps is not redrawn by \r
        room = shutil.get_terminal_size((80, 24)).columns - 1
        name = label if len(label) + len(size) + 14 <= room else label[:max(1, room - len(size) - 14)] + "…"
        width = max(0, min(30, room - len(name) - len(size) - 4))
        bar = f" [{'#' * int(frac * width):<{width}}]" if width >= 5 else ""
        end = "\n" if done >= total else ""
        print(f"\r{name}:{bar}{size}"[:room + 1], end=end, file=sys.stderr, flush=True)
        self.open = not end


def _end(bar: Progress | None) -> None:
    if bar is not None:
        bar.end()


def run(args) -> int:
    from reader.model import placeholder_title

    store = open_store()
    added: list = []
    status = import_files(store, args.files, added=added, categories=args.category)
    id_only = [p.key for p in added if p.title == placeholder_title(p.arxiv_id)]
    if id_only and not args.no_resolve:
        from reader.cli.resolve import resolve

        if resolve(store, keys=id_only):  # the import itself succeeded: its status stands
            print("reader: the papers are imported; `reader resolve` looks them up later", file=sys.stderr)
    return status
