"""Note drafts: the text typed in the note editor and not saved yet. The editor
writes it a moment after each pause in typing, and again when the app is stopped
(SIGTERM, SIGHUP: the terminal closed), so it outlives a SIGKILL or a power cut
too. The editor offers it on the next open of that paper's note."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from reader.paths import Paths
from reader.storage.atomic import atomic_write_text
from reader.storage.lock import FileLock

LOCK_WAIT = 2.0  # seconds a draft waits for another instance's write of the file

_LOCK = threading.RLock()  # the editor's writer thread, the UI and a signal handler (re-entrant)
_held = 0  # how deep this process is in _locked (under _LOCK): the file lock is taken once


@contextmanager
def _locked(paths: Paths) -> Iterator[None]:
    """Between threads (a re-entrant lock: a signal handler may run inside it) and
    between processes (a lock file): each change reads, changes and writes the whole
    file, so two instances typing notes would otherwise write back each other's stale
    copy. Where no lock file can be made (read-only), nothing can be written anyway."""
    global _held
    with _LOCK:
        lock = None
        if _held == 0:
            try:
                lock = FileLock(_path(paths).with_name("drafts.json.lock"), timeout=LOCK_WAIT)
                lock.__enter__()
            except OSError:
                lock = None
        _held += 1
        try:
            yield
        finally:
            _held -= 1
            if lock is not None:
                lock.__exit__()


def _path(paths: Paths) -> Path:
    return paths.data_dir / "drafts.json"


def load_drafts(paths: Paths) -> dict:
    try:
        data = json.loads(_path(paths).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        k: v for k, v in data.items()
        if isinstance(v, dict) and isinstance(v.get("text"), str) and isinstance(v.get("saved_at", 0), int | float)
    }


def draft_for(paths: Paths, key: str) -> dict | None:
    """{"text", "base" (the note when the editor opened), "saved_at"} or None."""
    return load_drafts(paths).get(key)


def save_draft(paths: Paths, key: str, text: str, base: str, wanted: Callable[[], bool] | None = None) -> bool:
    """Keep ``text`` as the draft of ``key``'s note. ``wanted`` is asked under the lock
    that :func:`drop_draft` takes: a writer that lost the race with the editor's close
    writes nothing, so a saved or discarded note never comes back as a draft."""
    with _locked(paths):
        if wanted is not None and not wanted():
            return False
        drafts = load_drafts(paths)
        drafts[key] = {"text": text, "base": base, "saved_at": time.time()}
        try:
            atomic_write_text(_path(paths), json.dumps(drafts, ensure_ascii=False))
        except OSError:
            return False
        return True


def drop_draft(paths: Paths, key: str) -> None:
    with _locked(paths):
        drafts = load_drafts(paths)
        if drafts.pop(key, None) is None:
            return
        try:
            if drafts:
                atomic_write_text(_path(paths), json.dumps(drafts, ensure_ascii=False))
            else:
                _path(paths).unlink()
        except OSError:
            pass
