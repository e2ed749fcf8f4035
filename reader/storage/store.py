"""The library (papers, a SQLite catalogue) and the state (the user's marks, a TinyDB file).

Why two files: importing writes the library; toggling a star must not. The catalogue
lives in :mod:`reader.storage.catalogue`; this module keeps the state file and is the
one door both go through. Why
read-merge-write under a lock for every change: a second running instance (or
the CLI while the TUI is open) may have written in between, and neither may
lose the other's changes. TinyDB's query cache and ``_next_id`` would go stale
across processes, so every change starts from a fresh read of the file and
assigns document ids from what is on disk.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from tinydb import TinyDB

from reader.model import Paper
from reader.paths import Paths
from reader.state import Change, PaperState
from reader.storage.atomic import AtomicJSONStorage
from reader.storage.catalogue import Catalogue, CatalogueError, ImportResult
from reader.storage.files import META_TABLE, FileReport, check_file, meta_doc
from reader.storage.lock import FileLock

STATE = "state"
__all__ = ["ImportResult", "Store", "StoreError"]


class StoreError(Exception):
    """A change could not be saved. The message is one line, fit for the user."""


def _describe(path: Path, exc: Exception) -> str:
    if isinstance(exc, OSError):
        return describe_os_error(path, exc)
    if isinstance(exc, sqlite3.Error):
        text = str(exc)
        if "full" in text:
            return f"{path}: disk full, change not saved yet"
        if "readonly" in text or "read-only" in text:
            return f"{path}: cannot write (read-only), change not saved yet"
        if "locked" in text or "busy" in text:
            return f"{path}: busy (another program holds it), change not saved yet"
        return f"{path}: {text}"
    return str(exc)


def describe_os_error(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return f"{path}: disk full, change not saved yet"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"{path}: cannot write ({exc.strerror}), change not saved yet"
    return f"{path}: {exc.strerror or exc}"


class _File:
    """One TinyDB file with its lock and the report from opening it."""

    def __init__(self, path: Path, kind: str, report: FileReport):
        self.path = path
        self.kind = kind
        self.lock_path = path.with_name(path.name + ".lock")
        self.readonly_reason = ""
        sub = FileReport()
        with FileLock(self.lock_path):
            for stale in path.parent.glob(f".{path.name}.*.tmp"):  # left by a killed writer
                try:
                    stale.unlink()
                except OSError:
                    pass
            self.initial = check_file(path, kind, sub)
        report.warnings += sub.warnings
        self.readonly_reason = sub.readonly_reason
        # the state file is small and written often, from the saver thread: keep the UI
        # thread running during encoding, and skip re-parsing a file nobody else changed
        self.cached = kind == "state"
        self.db = TinyDB(path, storage=AtomicJSONStorage, interruptible=self.cached)
        self._cache: tuple[tuple, dict] | None = None

    @property
    def storage(self) -> AtomicJSONStorage:
        return self.db.storage

    def _signature(self) -> tuple | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def read(self) -> dict:
        """A fresh view of the file (call under the lock). Cached only while the file
        is byte-for-byte the one this process last read or wrote (same inode, time, size):
        every write replaces the inode, so another process's write is always seen."""
        if self.cached and self._cache is not None and self._cache[0] == self._signature():
            return self._cache[1]
        self._cache = None
        data = self.storage.read() or {}
        data.setdefault(META_TABLE, meta_doc(self.kind))
        if self.cached:
            sig = self._signature()
            if sig is not None:
                self._cache = (sig, data)
        return data

    def forget(self) -> None:
        """Drop the cache: the data read may have been changed without being written."""
        self._cache = None

    def write(self, data: dict) -> None:
        if self.readonly_reason:
            raise StoreError(self.readonly_reason)
        self._cache = None
        try:
            self.storage.write(data)
        except OSError as exc:
            raise StoreError(describe_os_error(self.path, exc)) from exc
        if self.cached:
            sig = self._signature()
            if sig is not None:
                self._cache = (sig, data)


class Store:
    def __init__(self, paths: Paths):
        self.paths = paths
        self.report = FileReport()
        try:
            paths.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{paths.data_dir}: cannot create data directory ({exc.strerror})") from exc
        try:
            self.catalogue = Catalogue(paths.catalogue, paths.library, self.report)
        except (CatalogueError, OSError, sqlite3.Error) as exc:
            raise StoreError(_describe(paths.catalogue, exc)) from exc
        self.state = _File(paths.state, "state", self.report)

    @property
    def warnings(self) -> list[str]:
        return self.report.warnings

    @property
    def notices(self) -> list[str]:
        """Things done on opening that the user should hear of (a migration)."""
        return self.catalogue.notices

    @property
    def readonly_reason(self) -> str:
        return self.catalogue.readonly_reason or self.state.readonly_reason

    # -- reading ---------------------------------------------------------
    def papers(self) -> list[Paper]:
        """Every paper, in library order (for small libraries and tests; the app reads
        windows through :attr:`catalogue`)."""
        return list(self.catalogue.papers())

    def states(self) -> dict[str, PaperState]:
        data = self.state.initial if self.state.initial is not None else None
        self.state.initial = None
        if data is None:
            data = self.state.read()
        return {
            doc["key"]: PaperState.from_dict(doc)
            for doc in data.get(STATE, {}).values()
            if isinstance(doc, dict) and isinstance(doc.get("key"), str)
        }

    # -- writing ---------------------------------------------------------
    def import_papers(self, papers: Iterable[Paper]) -> ImportResult:
        """Merge parsed papers into the library, finding the same paper by arXiv id, DOI
        or normalized title. Existing keys and user state are never touched."""
        try:
            return self.catalogue.import_papers(papers)
        except (CatalogueError, sqlite3.Error, OSError) as exc:
            raise StoreError(_describe(self.paths.catalogue, exc)) from exc

    def update_papers(self, found: dict[str, Paper]) -> list[Paper]:
        """Merge resolved metadata into the papers with these keys (keys never change,
        fields the user edited are kept). Returns the updated papers."""
        try:
            return self.catalogue.update_papers(found)
        except (CatalogueError, sqlite3.Error, OSError) as exc:
            raise StoreError(_describe(self.paths.catalogue, exc)) from exc

    def apply(self, changes: Iterable[Change]) -> dict[str, PaperState]:
        """Merge changes into the state file under the lock; return the merged
        states of the papers touched (another instance's newer values win)."""
        changes = list(changes)
        if not changes:
            return {}
        with FileLock(self.state.lock_path):
            try:
                return self._apply_locked(changes)
            except BaseException:
                self.state.forget()  # the cached data may hold changes that were not written
                raise

    def _apply_locked(self, changes: list[Change]) -> dict[str, PaperState]:
        data = self.state.read()
        table: dict = data.setdefault(STATE, {})
        index = {doc.get("key"): doc_id for doc_id, doc in table.items() if isinstance(doc, dict)}
        next_id = max((int(i) for i in table), default=0) + 1
        merged: dict[str, PaperState] = {}
        for ch in changes:
            st = merged.get(ch.key)
            if st is None:
                doc_id = index.get(ch.key)
                st = PaperState.from_dict(table[doc_id]) if doc_id else PaperState()
                merged[ch.key] = st
            ch.apply_to(st)
        for key, st in merged.items():
            doc_id = index.get(key)
            if doc_id is None:
                doc_id = str(next_id)
                next_id += 1
            table[doc_id] = st.to_dict(key)
        self.state.write(data)
        return merged

    def replace_state_file(self, source: Path) -> None:
        """Restore: validate ``source`` as a state file, then atomically put it in place."""
        report = FileReport()
        data = check_file(source, "state", report) if source.exists() else None
        if data is None or report.warnings:
            raise StoreError(f"{source}: not a reader state file")
        if report.readonly_reason:
            raise StoreError(report.readonly_reason)
        with FileLock(self.state.lock_path):
            self.state.write(data)
