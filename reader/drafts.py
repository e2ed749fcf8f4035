"""Note drafts: the text typed in the note editor and not saved yet. The editor
writes it a moment after each pause in typing, and again when the app is stopped
(SIGTERM, SIGHUP: the terminal closed), so it outlives a SIGKILL or a power cut
too. The editor offers it on the next open of that paper's note."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from reader.paths import Paths
from reader.procs import proc_stat
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
    """Every draft: entry name -> {"key", "text", "base", "saved_at", "writer"}."""
    try:
        data = json.loads(_path(paths).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        k: _in_editor(v) for k, v in data.items()
        if isinstance(v, dict) and isinstance(v.get("text"), str) and isinstance(v.get("saved_at", 0), int | float)
    }


def _in_editor(draft: dict) -> dict:
    """A note being written in $EDITOR (``e``) is a draft whose text is its file's: what the
    editor wrote (``:w``) when the window closed before it exited (trial 10: the text was
    left in an unnamed temporary file, and the next start said nothing)."""
    name = draft.get("file")
    if not isinstance(name, str):
        return draft
    try:
        path = Path(name)
        return {**draft, "text": path.read_text(encoding="utf-8", errors="replace").rstrip("\n"),
                "saved_at": path.stat().st_mtime}
    except OSError:
        return draft


# Each process writes its own drafts (entry "KEY<tab>WRITER"): two instances editing one
# note keep a draft each. A draft is offered, and dropped, only by its own process or once
# that process has ended (a draft from a running instance is text someone is typing now).
_ME = ""


def _me() -> str:
    global _ME
    if not _ME or not _ME.startswith(f"{os.getpid()}:"):  # (a forked child is another writer)
        me = proc_stat(os.getpid())
        _ME = f"{os.getpid()}:{me.started if me else ''}"
    return _ME


def _writer_running(writer: str) -> bool:
    """Is the process that wrote a draft still running (and not this one)?"""
    pid_text, _, started = writer.partition(":")
    if not pid_text.isdigit() or writer == _me():
        return False
    pid = int(pid_text)
    if os.path.isdir("/proc/self"):  # the same process (not a later one with its pid), not ended
        stat = proc_stat(pid)
        return bool(started) and stat is not None and stat.started == started and stat.state != "Z"
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _mine_or_left(draft: dict) -> bool:
    """A draft this process wrote, or one whose process has ended (a legacy draft too)."""
    writer = draft.get("writer", "")
    return not isinstance(writer, str) or writer == _me() or not _writer_running(writer)


def _of(name: str, draft: dict) -> str:
    key = draft.get("key")
    return key if isinstance(key, str) else name  # (before writers: the entry name was the key)


def left_behind(paths: Paths) -> list[str]:
    """The papers with a draft whose process has ended (a window closed mid-note, a
    crash): the next start says so, since the editor offers a draft only when opened."""
    keys = {_of(name, d) for name, d in load_drafts(paths).items()
            if _mine_or_left(d) and d["text"] != d.get("base")}  # (an editor's file nobody changed)
    return sorted(keys)


def drafts_of(paths: Paths, key: str) -> tuple[dict | None, bool]:
    """(the newest draft of ``key``'s note this process may take (see above): {"text",
    "base" (the note when its editor opened), "saved_at"}, or None; whether another
    running instance is typing that note now). One read of the file."""
    taken, elsewhere = [], False
    for name, d in load_drafts(paths).items():
        if _of(name, d) == key:
            if _mine_or_left(d):
                taken.append(d)
            else:
                elsewhere = True
    return max(taken, key=lambda d: d.get("saved_at", 0), default=None), elsewhere



def save_draft(paths: Paths, key: str, text: str, base: str, wanted: Callable[[], bool] | None = None,
               file: Path | None = None) -> bool:
    """Keep ``text`` as this process's draft of ``key``'s note. ``wanted`` is asked under
    the lock that :func:`drop_draft` takes: a writer that lost the race with the editor's
    close writes nothing, so a saved or discarded note never comes back as a draft.
    ``file``: the note is being written there by $EDITOR (its text is the draft's)."""
    with _locked(paths):
        if wanted is not None and not wanted():
            return False
        drafts = load_drafts(paths)
        draft = {"key": key, "text": text, "base": base, "saved_at": time.time(), "writer": _me()}
        if file is not None:
            draft["file"] = str(file)
        drafts[f"{key}\t{_me()}"] = draft
        try:
            atomic_write_text(_path(paths), json.dumps(drafts, ensure_ascii=False))
        except OSError:
            return False
        return True


def drop_draft(paths: Paths, key: str) -> None:
    """Drop the drafts of ``key``'s note this process wrote or took over (another running
    instance's stays: it is still being typed)."""
    with _locked(paths):
        drafts = load_drafts(paths)
        gone = [name for name, d in drafts.items() if _of(name, d) == key and _mine_or_left(d)]
        if not gone:
            return
        for name in gone:
            file = drafts.pop(name).get("file")
            if isinstance(file, str):  # an editor's file left by a closed window: read, done with
                try:
                    os.unlink(file)
                except OSError:
                    pass
        try:
            if drafts:
                atomic_write_text(_path(paths), json.dumps(drafts, ensure_ascii=False))
            else:
                _path(paths).unlink()
        except OSError:
            pass
