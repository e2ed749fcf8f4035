"""``reader [tui] [FILE...]``: open the TUI, importing the files first."""

from __future__ import annotations

import sys
from pathlib import Path

from reader.cli.common import err


def register(sub) -> None:
    s = sub.add_parser("tui", help="open the TUI (the default)")
    s.add_argument("files", nargs="*", metavar="FILE")
    s.set_defaults(handler=run)


def run(args) -> int:
    files = getattr(args, "files", []) or []
    missing = [f for f in files if not Path(f).exists()]
    for name in missing:
        err(f"{name}: no such file")
    if missing:
        return 2  # the TUI does not open on a mistyped name
    if not sys.stdout.isatty():
        err("the TUI needs a terminal and standard output is not one "
            "(for scripts: reader import, reader list, reader export)")
        return 2
    from reader.tui.app import run_app

    return run_app(files)
