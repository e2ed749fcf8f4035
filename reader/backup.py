"""Rolling backups of the state file (the user's marks and notes).

A copy is taken when the app starts and then at most once a day while it
runs, keeping the newest ``KEEP``. ``reader backup`` takes one on demand and
``reader restore FILE`` puts one back (after backing up the current file).
"""

from __future__ import annotations

import re
import time
from datetime import datetime
from pathlib import Path

from reader.paths import Paths
from reader.storage.atomic import atomic_write_bytes
from reader.storage.lock import FileLock

KEEP = 10
DAY = 24 * 3600


_SEQ = re.compile(r"-n(\d+)\.json$")


def _order(path: Path) -> tuple[int, str]:
    """Backups in the order they were taken: by the sequence number in their name (the
    clock may go back: a time in the name, or a file's mtime, would put a new backup
    first and have it pruned as the oldest), then by name (those from before numbers)."""
    m = _SEQ.search(path.name)
    return (int(m.group(1)) if m else 0, path.name)


def list_backups(paths: Paths) -> list[Path]:
    """Oldest first."""
    if not paths.backups.is_dir():
        return []
    return sorted(paths.backups.glob("state-*.json"), key=_order)


def backup_state(paths: Paths, *, keep: int = KEEP, min_age: float = 0.0) -> Path | None:
    """Copy the state file into the backups folder; None if there is nothing new to keep.

    ``min_age``: skip when the newest backup is younger than this many seconds (one
    dated in the future, the clock having gone back, is not young).
    """
    if not paths.state.exists():
        return None
    existing = list_backups(paths)
    if existing and min_age and 0 <= time.time() - existing[-1].stat().st_mtime < min_age:
        return None
    with FileLock(paths.state.with_name(paths.state.name + ".lock")):
        data = paths.state.read_bytes()
    if existing and existing[-1].read_bytes() == data:
        return None
    seq = _order(existing[-1])[0] + 1 if existing else 1
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = paths.backups / f"state-{stamp}-n{seq:06d}.json"
    atomic_write_bytes(target, data)
    for old in list_backups(paths)[:-keep]:
        if old == target:  # (never the one just taken)
            continue
        try:
            old.unlink()
        except OSError:
            pass
    return target
