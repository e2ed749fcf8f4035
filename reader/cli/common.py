"""What every command shares: one-line errors and opening the store."""

from __future__ import annotations

import sys

from reader.paths import default_paths


def err(message: str) -> None:
    print(f"reader: {message}", file=sys.stderr)


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
