"""``reader export``: a bibliography of a view, to stdout or a file."""

from __future__ import annotations

import os
import stat
import sys

from reader.citations import FORMATS
from reader.citations.cite import citation
from reader.cli.common import err, open_store
from reader.cli.formats import choose_format
from reader.cli.lookup import complete_first
from reader.storage.atomic import write_output
from reader.storage.store import StoreError
from reader.triage import Triage
from reader.views import VIEWS


def register(sub) -> None:
    s = sub.add_parser("export", help="write a bibliography of a view")
    s.add_argument("--view", choices=list(VIEWS), default="all")
    s.add_argument("--format", default=None,
                   help=f"{', '.join(FORMATS)} (default: the one FILE's extension means, .bib .ris .json .md .txt; "
                        "else cite_format in config.toml)")
    s.add_argument("-o", "--output", metavar="FILE",
                   help="write to FILE (atomically; through a symlink) instead of stdout")
    s.add_argument("-f", "--force", action="store_true", help="replace FILE when it exists")
    s.add_argument("--with-notes", action="store_true",
                   help="add your notes and tags (BibTeX/BibLaTeX annote+keywords, CSL-JSON note+keyword, RIS N1+KW; "
                        "the text formats: Note: and Tags: lines below each reference)")
    s.set_defaults(handler=run)


def run(args) -> int:
    return export(open_store(), args.view, args.format, args.output, args.with_notes, args.force)


def _exists(output: str) -> bool:
    """A regular file (or a link to one) that writing ``output`` would replace; a FIFO or a
    device (``/dev/stdout``) is a stream, written to as it is."""
    try:
        return stat.S_ISREG(os.stat(output).st_mode)
    except OSError:
        return False


def export(store, view: str, fmt: str | None, output: str | None, with_notes: bool = False,
           force: bool = False) -> int:
    fmt = choose_format(fmt, output)
    if fmt is None:
        return 2
    if output and not force and _exists(output):
        err(f"{output}: exists; not replaced (use --force to replace it)")
        return 1
    triage = Triage(store, background=False)
    keys = triage.keys_at(triage.view(view))
    if not keys:
        print(f"reader: the {view} view is empty, nothing to export", file=sys.stderr)
        return 1
    complete_first(triage, keys)
    try:
        text, label, warnings = citation(triage, keys, fmt, with_notes=with_notes)
        if output:
            write_output(output, text)
    except StoreError as exc:
        print(f"reader: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"reader: {output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if output:
        print(f"wrote {label} to {output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    for w in warnings:
        print(f"reader: {w}", file=sys.stderr)
    return 0
