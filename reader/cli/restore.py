"""``reader restore FILE``: put a backup of the state file back.

FILE is only read: it is validated as a copy in memory and never moved or changed,
and anything that is not a reader state file is refused (exit 2, one line)."""

from __future__ import annotations

from pathlib import Path

from reader.cli.common import err, open_store


def register(sub) -> None:
    s = sub.add_parser("restore", help="restore the state file from a backup")
    s.add_argument("file", metavar="FILE")
    s.set_defaults(handler=run)


def run(args) -> int:
    from reader.backup import backup_state
    from reader.paths import default_paths
    from reader.storage.store import RESCUE_PREFIX, StoreError, read_state_copy

    source = Path(args.file)
    if not source.exists():
        err(f"{source}: no such file")
        return 2
    try:
        data = read_state_copy(source)  # read now: the backup taken below may prune the file itself
    except StoreError as exc:
        err(str(exc))
        return 2
    paths = default_paths()
    if paths.state.exists() and source.resolve() == paths.state.resolve():
        err(f"{source}: this is the current state file; restore takes a backup")
        return 2
    store = open_store()
    try:
        backup_state(store.paths)
    except OSError as exc:
        err(f"{store.paths.backups}: cannot back up the current state first ({exc.strerror or exc}); nothing restored")
        return 1
    try:
        if source.name.startswith(RESCUE_PREFIX):  # changes a session could not save: put them back, keep the rest
            taken = store.merge_state_file(data)
            print(f"merged {taken} unsaved change{'s' * (taken != 1)} from {source} into {store.paths.state} "
                  "(anything changed since is kept)")
            return 0
        store.replace_state_file(data)
    except StoreError as exc:
        err(str(exc))
        return 2
    print(f"restored {store.paths.state} from {source}")
    return 0
