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

import copy
import errno
import json
import secrets
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from datetime import datetime
from pathlib import Path

from tinydb import TinyDB

from reader.model import Paper, legacy_key
from reader.paths import Paths
from reader.state import CLOCK, Change, PaperState
from reader.storage.atomic import AtomicJSONStorage, CorruptFile, atomic_write_bytes, read_json
from reader.storage.catalogue import Catalogue, CatalogueError, ImportResult
from reader.storage.files import (
    META_TABLE,
    SCHEMA,
    FileReport,
    check_data,
    check_file,
    copy_aside,
    drop_bad_documents,
    generation,
    identity,
    meta_doc,
    move_aside,
    stamped,
    summarize,
)
from reader.storage.lock import FileLock, LockTimeout

STATE = "state"
__all__ = ["ImportResult", "Store", "StoreError"]


class StoreError(Exception):
    """A change could not be saved. The message is one line, fit for the user."""


def _describe(path: Path, exc: Exception, unsaved: str = "change not saved yet") -> str:
    """One line for the user; ``unsaved`` says what became of the change."""
    if isinstance(exc, OSError):
        return describe_os_error(path, exc, unsaved)
    if isinstance(exc, sqlite3.Error):
        text = str(exc)
        if "full" in text:
            return f"{path}: disk full, {unsaved}"
        if "readonly" in text or "read-only" in text:
            return f"{path}: cannot write (read-only), {unsaved}"
        if "locked" in text or "busy" in text:
            return f"{path}: busy (another program holds it), {unsaved}"
        return f"{path}: {text}"
    return str(exc)


def describe_os_error(path: Path, exc: OSError, unsaved: str = "change not saved yet") -> str:
    if exc.errno == errno.ENOSPC:
        return f"{path}: disk full, {unsaved}"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"{path}: cannot write ({exc.strerror}), {unsaved}"
    return f"{path}: {exc.strerror or exc}"


class _File:
    """One TinyDB file with its lock, the report from opening it, and the identity
    (generation stamp) of the version this process last read or wrote."""

    def __init__(self, path: Path, kind: str, report: FileReport):
        self.path = path
        self.kind = kind
        self.lock_path = path.with_name(path.name + ".lock")
        self.readonly_reason = ""
        self.notices: list[str] = []  # problems met after opening (a file gone bad mid-run)
        self.locking = True
        sub = FileReport()
        try:
            with FileLock(self.lock_path):
                self._open(sub)
        except LockTimeout:
            raise
        except OSError as exc:  # read-only mount, immutable directory: read without the lock
            self.locking = False
            self._open(sub, cleanup=False)
            sub.readonly_reason = sub.readonly_reason or (
                f"{path.parent}: read-only ({exc.strerror or exc}); changes cannot be saved"
            )
        report.warnings += sub.warnings
        self.readonly_reason = sub.readonly_reason
        # the state file is small and written often, from the saver thread: keep the UI
        # thread running during encoding, and skip re-parsing a file nobody else changed
        self.cached = kind == "state"
        self.db = TinyDB(path, storage=AtomicJSONStorage, interruptible=self.cached)
        self._cache: tuple[tuple, dict] | None = None
        self._good: dict = self.initial or {}  # the last valid contents seen (for recovery)
        self._held_marks = bool(self._good.get(STATE))  # the file held marks once (its loss is news)
        self.foreign_reads = self.folded_reads = 0  # versions written elsewhere read / all folded in

    def _open(self, sub: FileReport, cleanup: bool = True) -> None:
        if cleanup:
            for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):  # left by a killed writer
                try:
                    stale.unlink()
                except OSError:
                    pass
        before = identity(self.path)
        self.initial = check_file(self.path, self.kind, sub)
        self.known = (generation(self.initial) or before) if self.initial is not None else identity(self.path)

    @property
    def storage(self) -> AtomicJSONStorage:
        return self.db.storage

    def lock(self):
        """The inter-process lock (nothing to take when the directory is read-only)."""
        return FileLock(self.lock_path) if self.locking else nullcontext()

    def changed_on_disk(self) -> bool:
        """Another process wrote (or replaced) the file since this one last read all of it:
        since its last read or write, or in a version that only a write read (the saver
        merges its changes into another instance's newer file and writes: that file's other
        changes were never folded into this process's marks)."""
        return identity(self.path) != self.known or self.foreign_reads != self.folded_reads

    def read(self) -> dict:
        """A fresh view of the file (call under the lock). Cached while the file's generation
        stamp is the one this process last read or wrote: every write stamps a new one."""
        before = identity(self.path)
        if self.cached and self._cache is not None and before is not None and self._cache[0] == before:
            return self._cache[1]
        if before != self.known:
            self.foreign_reads += 1  # another process's version (see changed_on_disk)
        self._cache = None
        try:
            data = self.storage.read()
        except CorruptFile as exc:
            data = self._recover(str(exc))
        else:
            if data is None:
                if self._held_marks:  # it held marks this session read or wrote: emptied or removed under it
                    data = self._recover("emptied" if self.path.exists() else "removed")
                else:
                    data = {}
            elif why := check_data(data, self.kind):
                data = self._recover(why)
            elif problems := drop_bad_documents(data, self.kind):
                self._keep_copy(problems)
        data.setdefault(META_TABLE, meta_doc(self.kind))
        self.known = generation(data) or before
        if self.cached and self.known is not None:
            self._cache = (self.known, data)
        self._good = data
        self._held_marks = self._held_marks or bool(data.get(STATE))
        return data

    def _recover(self, why: str) -> dict:
        """The file went bad while this process ran: keep it aside and carry on from the
        last contents this process read or wrote (the caller adds its pending changes)."""
        if self.path.exists():
            try:
                aside = move_aside(self.path)
            except OSError as exc:
                raise StoreError(f"{self.path}: {why}, and it cannot be moved aside ({exc.strerror or exc})") from exc
            kept = f"kept it as {aside.name} and "
        else:
            kept = ""
        self.notices.append(f"{self.path}: {why}; {kept}wrote a new one from what this session had read, plus your changes")
        data = copy.deepcopy(self._good)
        data.setdefault(META_TABLE, meta_doc(self.kind))
        if not self.readonly_reason:  # never leave the file missing (another process would see nothing)
            data = self.write(data)
        return data

    def _keep_copy(self, problems: list[str]) -> None:
        try:
            kept = f"kept a copy as {copy_aside(self.path).name}"
        except OSError as exc:
            kept = f"could not keep a copy ({exc.strerror or exc})"
        self.notices.append(f"{self.path}: skipped bad documents ({summarize(problems)}); {kept}")

    def forget(self) -> None:
        """Drop the cache: the data read may have been changed without being written."""
        self._cache = None

    def write(self, data: dict) -> dict:
        """Write ``data`` stamped with the next generation; returns what was written."""
        if self.readonly_reason:
            raise StoreError(self.readonly_reason)
        self._cache = None
        self.initial = None  # what opening read is out of date now
        data = stamped(data, self.kind)
        try:
            self.storage.write(data)
        except OSError as exc:
            raise StoreError(describe_os_error(self.path, exc)) from exc
        self.known = generation(data)
        self._good = data
        self._held_marks = self._held_marks or bool(data.get(STATE))
        if self.cached:
            self._cache = (self.known, data)
        return data


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
        self._restored = ""

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
            with self.state.lock():
                data = self.state.read()
                # the cached table is the one the saver thread writes into: listed under the lock
                docs = list(data.get(STATE, {}).values())
                self.state.folded_reads = self.state.foreign_reads  # everything read is handed out
        else:
            docs = list(data.get(STATE, {}).values())
        self._restored = restore_mark(data)
        states: dict[str, PaperState] = {}
        for doc in docs:  # validated when read
            st = PaperState.from_dict(doc)
            states[doc["key"]] = st
            CLOCK.observe(st.newest())
        return states

    def state_changed(self) -> bool:
        """Has another process written the state file since this one last read or wrote it?"""
        return self.state.changed_on_disk()

    def take_notices(self) -> list[str]:
        """Problems met since the last call (a file gone bad mid-run, bad documents)."""
        out, self.state.notices = self.state.notices, []
        return out

    # -- writing ---------------------------------------------------------
    def import_papers(self, papers: Iterable[Paper], marks: bool = True) -> ImportResult:
        """Merge parsed papers into the library, finding the same paper by arXiv id, DOI
        or normalized title. Existing keys never change. The notes and tags the entries
        carried (a :class:`~reader.sources.Parsed`'s ``marks``) are given to the papers
        they became in one write (see :meth:`imported_marks`); ``marks=False`` leaves
        that to the caller (the TUI, for one undo step)."""
        if not isinstance(papers, list):
            papers = list(papers)
        try:
            result = self.catalogue.import_papers(papers)
        except (CatalogueError, sqlite3.Error, OSError) as exc:  # one transaction: all of it undone
            raise StoreError(_describe(self.paths.catalogue, exc, "these papers not imported")) from exc
        self.carry_legacy_marks(papers, result)  # before the entries' marks: a carried note stays
        if marks and getattr(papers, "marks", None):
            states = self.states()
            self.apply(self.imported_marks(papers, result, lambda key: states.get(key) or PaperState()))
        return result

    def carry_legacy_marks(self, papers: list[Paper], result: ImportResult) -> dict[str, str]:
        """Marks left under the key an earlier title normalization gave (a paper purged
        before TeX math was read as Unicode, imported again: see :func:`reader.model.legacy_key`)
        given to the new paper that key became, in one atomic write of the state file.
        Only where the new key has no marks at all, the old key is not a paper of the
        library, and no other new paper of this import claims the same old key; the old
        key keeps its marks. Returns {old key: new key} for each paper that got them."""
        if not result.new_keys or len(result.keys) != len(papers):
            return {}
        new = set(result.new_keys)
        claims: dict[str, set[str]] = {}
        for paper, key in zip(papers, result.keys, strict=True):
            if key.startswith(("t:", "w:")) and key in new and (old := legacy_key(paper, key)):
                claims.setdefault(old, set()).add(key)
        pairs = {old: next(iter(keys)) for old, keys in claims.items() if len(keys) == 1}
        if pairs:
            for old in self.catalogue.positions(pairs):  # a paper of the library: its marks are its own
                del pairs[old]
        if not pairs:
            return {}
        return self._under_lock(self._carry_locked, pairs)

    def _carry_locked(self, pairs: dict[str, str]) -> dict[str, str]:
        data = self.state.read()
        table: dict = data.setdefault(STATE, {})
        index = {doc["key"]: doc_id for doc_id, doc in table.items()}
        next_id = _next_id(table)
        carried: dict[str, str] = {}
        for old, key in pairs.items():
            if old not in index or PaperState.from_dict(table[index[old]]).empty:
                continue
            if key in index:
                mine = PaperState.from_dict(table[index[key]])
                if not mine.empty or mine.updated:  # marked (or unmarked) under its new key: those stand
                    continue
                doc_id = index[key]
            else:
                doc_id, next_id = str(next_id), next_id + 1
            table[doc_id] = PaperState.from_dict(table[index[old]]).to_dict(key)  # with their stamps
            carried[old] = key
        if carried:
            self.state.write(data)
            # written here, but no caller holds these marks yet: a running app's next
            # look at the disk (Triage.refresh_from_disk) takes them as another process's
            self.state.foreign_reads += 1
        return carried

    def imported_marks(self, papers: Iterable[Paper], result: ImportResult,
                       state_of: Callable[[str], PaperState]) -> list[Change]:
        """The changes that give the papers just imported from ``papers`` (a Parsed) the
        notes and tags their entries carried: a note only where the paper has none, tags
        added to its own. Conditional: a note written meanwhile is never replaced.
        ``result`` is the import's, which says the key each paper read went into."""
        entries = getattr(papers, "marks", [])
        if not entries or len(result.keys) != len(papers):
            return []
        where = {id(p): key for p, key in zip(papers, result.keys, strict=True)}
        notes: dict[str, str] = {}
        tags: dict[str, set[str]] = {}
        for paper, ann in entries:
            key = where.get(id(paper))
            if key is None:
                continue
            if ann.note and not state_of(key).note:
                notes.setdefault(key, ann.note)
            tags.setdefault(key, set(state_of(key).tags)).update(ann.tags)
        ts = CLOCK.now()
        changes = [Change(k, "note", note, ts, expect="", conditional=True) for k, note in notes.items()]
        for key, added in tags.items():
            old = state_of(key).tags
            if added != set(old):
                changes.append(Change(key, "tags", sorted(added), ts, expect=list(old), conditional=True))
        return changes

    def update_papers(self, found: dict[str, Paper]) -> list[Paper]:
        """Merge resolved metadata into the papers with these keys (keys never change,
        fields the user edited are kept). Returns the updated papers."""
        try:
            return self.catalogue.update_papers(found)
        except (CatalogueError, sqlite3.Error, OSError) as exc:
            raise StoreError(_describe(self.paths.catalogue, exc)) from exc

    def remove_papers(self, keys: set[str]) -> list[Paper]:
        """Delete these papers from the library (``reader purge``). Returns those removed."""
        try:
            return self.catalogue.remove(keys)
        except (CatalogueError, sqlite3.Error, OSError) as exc:
            raise StoreError(_describe(self.paths.catalogue, exc)) from exc

    def apply(self, changes: Iterable[Change]) -> dict[str, PaperState]:
        """Write changes into the state file under the lock; return the merged states
        of the papers touched (with what another instance wrote to other fields).
        A change the user made wins over the disk for its field (see Change.apply_over)."""
        changes = list(changes)
        if not changes:
            return {}
        return self._under_lock(self._apply_locked, changes)

    def _under_lock(self, change, *args):
        """``change(*args)`` under the state file's lock; on any failure the cached data,
        which it may have changed without writing, is dropped."""
        with self.state.lock():
            try:
                return change(*args)
            except BaseException:
                self.state.forget()
                raise

    def _apply_locked(self, changes: list[Change]) -> dict[str, PaperState]:
        data = self.state.read()
        table: dict = data.setdefault(STATE, {})
        index = {doc["key"]: doc_id for doc_id, doc in table.items()}
        next_id = _next_id(table)
        merged: dict[str, PaperState] = {}
        for ch in changes:
            st = merged.get(ch.key)
            if st is None:
                doc_id = index.get(ch.key)
                st = PaperState.from_dict(table[doc_id]) if doc_id else PaperState()
                merged[ch.key] = st
            ch.apply_over(st)
        for key, st in merged.items():
            doc_id = index.get(key)
            if doc_id is None:
                doc_id = str(next_id)
                next_id += 1
            table[doc_id] = st.to_dict(key)
        self.state.write(data)
        return merged

    def replace_state_file(self, data: dict) -> None:
        """Restore: put ``data`` (a state file read by :func:`read_state_copy`) in place,
        atomically, marked as a restore: a running app takes it whole instead of folding
        in only what is newer than what it shows (see :attr:`restored`)."""
        data = copy.deepcopy(data)
        data[META_TABLE]["1"]["restored"] = secrets.token_hex(8)
        with self.state.lock():
            self.state.read()
            self.state.write(data)

    def merge_state_file(self, data: dict) -> int:
        """Put back a rescue file's changes (``state.unsaved-*``, a whole state file as the
        session that could not save had read it, plus its changes): field by field, the
        newer stamp wins, so what was written since is kept. Returns the fields taken."""
        return self._under_lock(self._merge_locked, data)

    def _merge_locked(self, data: dict) -> int:
        taken = 0
        current = self.state.read()
        table: dict = current.setdefault(STATE, {})
        index = {doc["key"]: doc_id for doc_id, doc in table.items()}
        next_id = _next_id(table)
        for doc in data.get(STATE, {}).values():
            theirs = PaperState.from_dict(doc)
            doc_id = index.get(doc["key"])
            st = PaperState.from_dict(table[doc_id]) if doc_id else PaperState()
            moved = [f for f, ts in theirs.updated.items() if st.updated.get(f, 0.0) < ts]
            for f in moved:
                Change(doc["key"], f, getattr(theirs, f), theirs.updated[f]).apply_to(st)
            if moved:
                taken += len(moved)
                if doc_id is None:
                    doc_id, next_id = str(next_id), next_id + 1
                table[doc_id] = st.to_dict(doc["key"])
        if taken:
            self.state.write(current)
        return taken

    @property
    def restored(self) -> str:
        """The mark of the last restore in the state file as last read ("" if none)."""
        return self._restored


RESCUE_PREFIX = "state.unsaved-"  # rescue_file's files: `reader restore` merges them


def restore_mark(data: dict) -> str:
    mark = data.get(META_TABLE, {}).get("1", {}).get("restored", "")
    return mark if isinstance(mark, str) else ""


def read_state_copy(source: Path) -> dict:
    """The contents of a state file given by the user, validated; StoreError (one line)
    if it is not one. ``source`` is only read."""
    try:
        if source.is_dir():
            raise StoreError(f"{source}: a directory, not a reader state file")
        data = read_json(source)
    except CorruptFile as exc:
        raise StoreError(f"{source}: not a reader state file ({exc})") from exc
    except OSError as exc:
        raise StoreError(f"{source}: cannot read ({exc.strerror or exc})") from exc
    if data is None:
        raise StoreError(f"{source}: empty, not a reader state file")
    why = check_data(data, "state")
    if why:
        raise StoreError(f"{source}: {why}")
    if data[META_TABLE]["1"]["schema"] > SCHEMA:
        raise StoreError(f"{source}: written by a newer reader (schema {data[META_TABLE]['1']['schema']})")
    problems = drop_bad_documents(data, "state")
    if problems:
        raise StoreError(f"{source}: {len(problems)} bad documents ({summarize(problems)})")
    return data


def _next_id(table: dict) -> int:
    return max((int(i) for i in table if i.isdigit()), default=0) + 1


def rescue_file(store: Store, changes: list[Change], places: Iterable[Path]) -> Path | None:
    """Changes that could not be saved, written as a complete state file of their own
    (what this session last read, plus the changes) in the first place that takes it:
    ``reader restore FILE`` puts it back. None when no place could be written."""
    if not changes:
        return None
    data = copy.deepcopy(store.state._good) or {}
    table: dict = data.setdefault(STATE, {})
    index = {doc["key"]: doc_id for doc_id, doc in table.items() if isinstance(doc, dict) and "key" in doc}
    next_id = _next_id(table)
    for ch in changes:
        doc_id = index.get(ch.key)
        if doc_id is None:
            doc_id = index[ch.key] = str(next_id)
            next_id += 1
        st = PaperState.from_dict(table.get(doc_id, {}))
        ch.apply_over(st)
        table[doc_id] = st.to_dict(ch.key)
    data = stamped(data, "state")
    name = f"{RESCUE_PREFIX}{datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    payload = json.dumps(data, ensure_ascii=False).encode("utf-8")
    for place in places:
        try:
            atomic_write_bytes(place / name, payload)
        except OSError:
            continue
        return place / name
    return None
