"""``reader import FILE...``: copied pages and id lists into the library."""

from __future__ import annotations

import sys
from pathlib import Path

from reader.cli.common import err, open_store


def register(sub) -> None:
    s = sub.add_parser("import", help="import copied Hugging Face pages or lists of arXiv ids/URLs")
    s.add_argument("files", nargs="+", metavar="FILE", help="a file, or - for standard input")
    s.add_argument("--no-resolve", action="store_true", help="do not look up papers imported from bare arXiv ids")
    s.set_defaults(handler=run)


def import_files(store, files: list[str], out=None, added: list | None = None) -> int:
    """Import each file; report each on one line. Exit status 2 if any file failed.
    New papers are appended to ``added`` when given."""
    from reader.parsers import InputError, parse_file
    from reader.storage.store import StoreError

    status = 0
    for name in files:
        if name == "-" and sys.stdin.isatty():
            err("reading a copied page from standard input (paste it, then ctrl+d)")
        try:
            papers = parse_file(name)
            result = store.import_papers(papers)
        except InputError as exc:
            err(str(exc))
            status = 2
            continue
        except StoreError as exc:
            err(str(exc))
            return 1
        if added is not None:
            new = set(result.new_keys)
            added.extend(p for p in papers if p.key in new)
        label = "<stdin>" if name == "-" else Path(name).name
        print(
            f"{label}: {len(papers)} papers read, {result.new} new, "
            f"{result.existing} already in the library",
            file=out or sys.stdout,
        )
    return status


def run(args) -> int:
    from reader.model import placeholder_title

    store = open_store()
    added: list = []
    status = import_files(store, args.files, added=added)
    id_only = [p.key for p in added if p.title == placeholder_title(p.arxiv_id)]
    if id_only and not args.no_resolve:
        from reader.cli.resolve import resolve

        resolved = resolve(store, keys=id_only)
        status = status or resolved
    return status
