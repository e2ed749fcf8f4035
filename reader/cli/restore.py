"""``reader restore FILE``: put a backup of the state file back."""

from __future__ import annotations

from pathlib import Path

from reader.cli.common import err, open_store


def register(sub) -> None:
    s = sub.add_parser("restore", help="restore the state file from a backup")
    s.add_argument("file", metavar="FILE")
    s.set_defaults(handler=run)


def run(args) -> int:
    from reader.backup import backup_state
    from reader.storage.store import StoreError

    store = open_store()
    source = Path(args.file)
    if not source.is_file():
        err(f"{source}: no such file")
        return 2
    backup_state(store.paths)
    try:
        store.replace_state_file(source)
    except StoreError as exc:
        err(str(exc))
        return 2
    print(f"restored {store.paths.state} from {source}")
    return 0
