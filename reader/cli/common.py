"""What every command shares: one-line errors and opening the store."""

from __future__ import annotations

import sys

from reader.paths import default_paths
from reader.text import clean


def err(message: str) -> None:
    """One line on stderr; file names and titles in it never act on the terminal."""
    print(f"reader: {clean(message)}", file=sys.stderr)


def open_store():
    from reader.storage.store import Store, StoreError

    try:
        store = Store(default_paths())
    except StoreError as exc:
        err(str(exc))
        raise SystemExit(1) from exc
    for line in store.warnings + store.notices:
        err(line)
    return store
