"""The ``reader`` command line. Pure core: the TUI is imported only when opened."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from reader import __version__
from reader.paths import default_paths
from reader.views import VIEWS

COMMANDS = ("import", "list", "path", "cite", "export", "backup", "restore", "resolve", "tui")


def _err(message: str) -> None:
    print(f"reader: {message}", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reader",
        description="A keyboard-first reading queue for research papers. "
        "With no command (or with files), opens the TUI.",
        epilog="`reader FILE...` imports the files, then opens the TUI.",
    )
    p.add_argument("--version", action="version", version=f"reader {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("import", help="import copied Hugging Face pages or lists of arXiv ids/URLs")
    s.add_argument("files", nargs="+", metavar="FILE")
    s.add_argument("--no-resolve", action="store_true", help="do not look up papers imported from bare arXiv ids")

    s = sub.add_parser("resolve", help="complete title-only papers from Hugging Face and arXiv")
    s.add_argument("--view", choices=list(VIEWS), default="all")
    s.add_argument("--limit", type=int, default=None, metavar="N")

    s = sub.add_parser("list", help="list the papers of a view")
    s.add_argument("--view", choices=list(VIEWS), default="all")
    s.add_argument("--json", action="store_true", help="one JSON object per paper (JSON lines)")

    sub.add_parser("path", help="show where data and config live")

    s = sub.add_parser("cite", help="print the citation of one paper")
    s.add_argument("query", metavar="KEY|TITLE-SUBSTRING")
    s.add_argument("--format", default=None, help="bibtex, biblatex, apa, mla, chicago, csl-json, ris, markdown, plain")

    s = sub.add_parser("export", help="write a bibliography of a view")
    s.add_argument("--view", choices=list(VIEWS), default="all")
    s.add_argument("--format", default=None)
    s.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")

    sub.add_parser("backup", help="back up the state file (marks, notes, tags) now")
    s = sub.add_parser("restore", help="restore the state file from a backup")
    s.add_argument("file", metavar="FILE")

    s = sub.add_parser("tui", help="open the TUI (the default)")
    s.add_argument("files", nargs="*", metavar="FILE")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in COMMANDS and not argv[0].startswith("-"):
        argv = ["tui", *argv]
    args = build_parser().parse_args(argv)
    command = args.command or "tui"
    try:
        return HANDLERS[command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _open_store():
    from reader.storage.store import Store, StoreError

    try:
        store = Store(default_paths())
    except StoreError as exc:
        _err(str(exc))
        raise SystemExit(1) from exc
    for warning in store.warnings:
        _err(warning)
    return store


def import_files(store, files: list[str], out=None, added: list | None = None) -> int:
    """Import each file; report each on one line. Exit status 2 if any file failed.
    New papers are appended to ``added`` when given."""
    from reader.parsers import InputError, parse_file
    from reader.storage.store import StoreError

    status = 0
    for name in files:
        try:
            papers = parse_file(name)
            result = store.import_papers(papers)
        except InputError as exc:
            _err(str(exc))
            status = 2
            continue
        except StoreError as exc:
            _err(str(exc))
            return 1
        if added is not None:
            new = set(result.new_keys)
            added.extend(p for p in papers if p.key in new)
        label = Path(name).name
        print(
            f"{label}: {len(papers)} papers read, {result.new} new, "
            f"{result.existing} already in the library",
            file=out or sys.stdout,
        )
    return status


def cmd_import(args) -> int:
    from reader.model import placeholder_title

    store = _open_store()
    added: list = []
    status = import_files(store, args.files, added=added)
    id_only = [p.key for p in added if p.title == placeholder_title(p.arxiv_id)]
    if id_only and not args.no_resolve:
        from reader.cli_resolve import resolve

        resolved = resolve(store, keys=id_only)
        status = status or resolved
    return status


def cmd_resolve(args) -> int:
    from reader.cli_resolve import resolve

    return resolve(_open_store(), view=args.view, limit=args.limit)


def cmd_list(args) -> int:
    from reader.triage import Triage

    store = _open_store()
    triage = Triage(store, background=False)
    idx = triage.view(args.view)
    if not triage.papers:
        _err("the library is empty: `reader import FILE` or just `reader` to start with the sample")
    for i in idx:
        paper = triage.papers[i]
        st = triage.state(paper.key)
        if args.json:
            row = paper.to_dict()
            row["state"] = st.to_dict(paper.key)
            print(json.dumps(row, ensure_ascii=False))
        else:
            marks = ("✓" if st.read else " ") + ("★" if st.starred else " ") + ("◷" if st.later else " ")
            marks += "✎" if st.note.strip() else " "
            print(f"{marks} {paper.key:<20} {paper.title}")
    return 0


def cmd_path(args) -> int:
    paths = default_paths()
    print(f"data dir:    {paths.data_dir}")
    print(f"config dir:  {paths.config_dir}")
    print(f"library:     {paths.library}")
    print(f"state:       {paths.state}")
    print(f"backups:     {paths.backups}")
    print(f"config file: {paths.config}")
    return 0


def cmd_backup(args) -> int:
    from reader.backup import backup_state, list_backups

    paths = default_paths()
    try:
        target = backup_state(paths)
    except OSError as exc:
        _err(f"{paths.backups}: backup failed ({exc.strerror or exc})")
        return 1
    if target is None:
        latest = list_backups(paths)
        if not paths.state.exists():
            _err(f"{paths.state}: no state file yet, nothing to back up")
            return 1
        print(f"unchanged since the latest backup: {latest[-1]}")
    else:
        print(f"backed up to {target}")
    return 0


def cmd_restore(args) -> int:
    from reader.backup import backup_state
    from reader.storage.store import StoreError

    store = _open_store()
    source = Path(args.file)
    if not source.is_file():
        _err(f"{source}: no such file")
        return 2
    backup_state(store.paths)
    try:
        store.replace_state_file(source)
    except StoreError as exc:
        _err(str(exc))
        return 2
    print(f"restored {store.paths.state} from {source}")
    return 0


def cmd_cite(args) -> int:
    from reader.cli_cite import cite

    return cite(_open_store(), args.query, args.format)


def cmd_export(args) -> int:
    from reader.cli_cite import export

    return export(_open_store(), args.view, args.format, args.output)


def cmd_tui(args) -> int:
    from reader.tui.app import run_app

    return run_app(getattr(args, "files", []) or [])


HANDLERS = {
    "import": cmd_import,
    "list": cmd_list,
    "path": cmd_path,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "cite": cmd_cite,
    "export": cmd_export,
    "tui": cmd_tui,
    "resolve": cmd_resolve,
}
