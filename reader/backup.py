"""Rolling backups of the state file (the user's marks and notes).

A copy is taken when the app starts and then at most once a day while it
runs, keeping the newest ``KEEP``. ``reader backup`` takes one on demand and
``reader restore FILE`` puts one back (after backing up the current file).
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

from reader.paths import Paths
from reader.storage.atomic import atomic_write_bytes
from reader.storage.lock import FileLock

KEEP = 10
DAY = 24 * 3600


def list_backups(paths: Paths) -> list[Path]:
    if not paths.backups.is_dir():
        return []
    return sorted(paths.backups.glob("state-*.json"))


def backup_state(paths: Paths, *, keep: int = KEEP, min_age: float = 0.0) -> Path | None:
    """Copy the state file into the backups folder; None if there is nothing new to keep.

    ``min_age``: skip when the newest backup is younger than this many seconds.
    """
    if not paths.state.exists():
        return None
    existing = list_backups(paths)
    if existing and min_age and time.time() - existing[-1].stat().st_mtime < min_age:
        return None
    with FileLock(paths.state.with_name(paths.state.name + ".lock")):
        data = paths.state.read_bytes()
    if existing and existing[-1].read_bytes() == data:
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = paths.backups / f"state-{stamp}.json"
    atomic_write_bytes(target, data)
    for old in list_backups(paths)[:-keep]:
        try:
            old.unlink()
        except OSError:
            pass
    return target
