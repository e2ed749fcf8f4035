"""The ``reader`` command line: one module per command, each with ``register(sub)``
adding its parser and a ``run(args)`` handler. Pure core: the TUI is imported only
when it opens."""

from __future__ import annotations

import argparse
import os
import sys

from reader import __version__
from reader.cli import (
    archive,
    backup,
    cite,
    export,
    fetch,
    imports,
    keys,
    listing,
    path,
    purge,
    resolve,
    restore,
    tui,
    unarchive,
)
from reader.storage.lock import LockTimeout

# in help order; `tui` is the default command
MODULES = (imports, fetch, resolve, listing, path, cite, export, archive, unarchive, purge, keys, backup, restore, tui)


class Parser(argparse.ArgumentParser):
    """argparse swallows a failed write of help, version or usage (``reader --help > /dev/full``
    exited 0 with nothing written): this one flushes and lets the error reach ``main``."""

    def _print_message(self, message: str, file=None) -> None:
        if message:
            file = file or sys.stderr
            file.write(message)
            file.flush()


def build_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="reader",
        description="A keyboard-first reading queue for research papers. "
        "With no command (or with files), opens the TUI.",
        epilog="`reader FILE...` imports the files, then opens the TUI.",
    )
    p.add_argument("--version", action="version", version=f"reader {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for module in MODULES:
        module.register(sub)
    return p


def looks_like_file(word: str) -> bool:
    """A word that is not a command is a file to open only if it exists or looks like a
    path (a separator, a dot, ``~``); ``reader fetch`` is an unknown command."""
    return os.path.exists(word) or any(c in word for c in "/\\.~")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    if argv and argv[0] not in commands and not argv[0].startswith("-") and not looks_like_file(argv[0]):
        names = ", ".join(c for c in commands if c != "tui")
        print(f"reader: unknown command {argv[0]!r} (commands: {names}; a file to open needs a path "
              f"like ./{argv[0]})", file=sys.stderr)
        return 2
    if not argv or (argv[0] not in commands and not argv[0].startswith("-")):
        argv = ["tui", *argv]
    try:
        args = parser.parse_args(argv)
        return args.handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except LockTimeout as exc:  # a file kept locked by another reader for the whole wait
        print(f"reader: {exc} (it is still saving a big change: try again in a moment)", file=sys.stderr)
        return 1
    except OSError as exc:  # the output itself failed (a full disk behind `> file`): one line, not a traceback
        where = f"{exc.filename}: " if exc.filename else "writing the output: "
        try:
            print(f"reader: {where}{exc.strerror or exc}", file=sys.stderr)
        except OSError:
            pass
        return 1
