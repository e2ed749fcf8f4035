"""``reader backup``: copy the state file into the backups folder now."""

from __future__ import annotations

from reader.cli.common import err
from reader.paths import default_paths


def register(sub) -> None:
    s = sub.add_parser("backup", help="back up the state file (marks, notes, tags) now")
    s.set_defaults(handler=run)


def run(args) -> int:
    from reader.backup import backup_state, list_backups

    paths = default_paths()
    try:
        target = backup_state(paths)
    except OSError as exc:
        err(f"{paths.backups}: backup failed ({exc.strerror or exc})")
        return 1
    if target is None:
        latest = list_backups(paths)
        if not paths.state.exists():
            err(f"{paths.state}: no state file yet, nothing to back up")
            return 1
        print(f"unchanged since the latest backup: {latest[-1]}")
    else:
        print(f"backed up to {target}")
    return 0
