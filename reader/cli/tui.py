"""``reader [tui] [FILE...]``: open the TUI, importing the files first."""

from __future__ import annotations


def register(sub) -> None:
    s = sub.add_parser("tui", help="open the TUI (the default)")
    s.add_argument("files", nargs="*", metavar="FILE")
    s.set_defaults(handler=run)


def run(args) -> int:
    from reader.tui.app import run_app

    return run_app(getattr(args, "files", []) or [])
