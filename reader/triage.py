"""The in-memory reading queue that the TUI and the CLI both drive.

Holds the papers and the user's marks, applies every change to memory first
(so it shows at once), records it for undo, and hands it to the background
:class:`~reader.saver.Saver`. No textual imports: the CLI uses it too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from reader.model import Paper
from reader.paths import Paths
from reader.saver import Saver
from reader.search import SearchIndex
from reader.state import CLOCK, Change, PaperState
from reader.storage.store import ImportResult, Store
from reader.views import counts, select

TOGGLES = ("read", "starred", "later")
UNDO_LIMIT = 500


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Triage:
    def __init__(
        self,
        store: Store,
        papers: list[Paper] | None = None,
        states: dict[str, PaperState] | None = None,
        on_error: Callable[[str], None] | None = None,
        background: bool = True,
        on_saved: Callable[[dict], None] | None = None,
    ):
        self.store = store
        self.papers: list[Paper] = papers if papers is not None else store.papers()
        self.states: dict[str, PaperState] = states if states is not None else store.states()
        self.by_key: dict[str, int] = {p.key: i for i, p in enumerate(self.papers)}
        self.keys: list[str] = [p.key for p in self.papers]
        self._search: SearchIndex | None = None
        self.undo_stack: list[list[Change]] = []  # old values, each expecting the value it set
        self.on_saved = on_saved
        self._counts: dict[str, int] | None = None
        self.saver = Saver(store, on_error=on_error, on_saved=self._saved) if background else None

    @classmethod
    def open(cls, paths: Paths, **kw) -> Triage:
        return cls(Store(paths), **kw)

    # -- reading ---------------------------------------------------------
    def state(self, key: str) -> PaperState:
        return self.states.get(key) or PaperState()

    def paper(self, key: str) -> Paper:
        return self.papers[self.by_key[key]]

    def view(self, name: str, query: str = "") -> list[int]:
        if query.strip():
            hits = self.search_index.search(query, self.states)
            if name == "all":
                return list(hits)
            if name == "later":  # keep the queue order
                found = set(hits)
                return [i for i in select(name, self.keys, self.states, self.by_key) if i in found]
            members = set(select(name, self.keys, self.states, self.by_key))
            return [i for i in hits if i in members]
        return select(name, self.keys, self.states, self.by_key)

    def counts(self) -> dict[str, int]:
        """Per-view counts, cached until a mark changes (the header asks on every repaint)."""
        if self._counts is None:
            by_key = self.by_key
            self._counts = counts(len(self.papers), {k: s for k, s in self.states.items() if k in by_key})
        return self._counts

    @property
    def search_index(self) -> SearchIndex:
        if self._search is None:
            self._search = SearchIndex(self.papers)
        return self._search

    # -- changing --------------------------------------------------------
    def _record(self, changes: list[Change], undoable: bool = True) -> list[Change]:
        """Apply to memory, remember the old values for undo, queue for saving."""
        if not changes:
            return []
        undo: list[Change] = []
        self._counts = None
        for ch in changes:
            st = self.states.setdefault(ch.key, PaperState())
            undo.append(Change(ch.key, ch.field, _copy(getattr(st, ch.field)), expect=_copy(ch.value), conditional=True))
            setattr(st, ch.field, _copy(ch.value))
            st.updated[ch.field] = ch.ts
        if self._search is not None and any(c.field in ("note", "tags") for c in changes):
            self._search.invalidate()
        if undoable:
            self.undo_stack.append(undo)
            del self.undo_stack[:-UNDO_LIMIT]
        self._submit(changes)
        return changes

    def _submit(self, changes: list[Change]) -> None:
        if self.saver is not None:
            self.saver.submit(changes)
        else:
            self.store.apply(changes)

    def set(self, keys: Iterable[str], field: str, value) -> list[Change]:
        ts = CLOCK.now()
        changes = [
            Change(k, field, value, ts) for k in keys if getattr(self.state(k), field) != value
        ]
        if field == "read":
            stamp = now_iso() if value else ""
            changes += [Change(c.key, "read_at", stamp, ts) for c in list(changes)]
        return self._record(changes)

    def toggle(self, keys: list[str], field: str) -> bool:
        """Toggle read/starred/later on ``keys``: if all have it, clear it; else set it on all.
        Returns the new value."""
        assert field in TOGGLES
        on = not all(bool(getattr(self.state(k), field)) for k in keys)
        value: object = on
        if field == "later":
            value = now_iso() if on else ""
            # keep the original queue time of papers already queued
            keys = [k for k in keys if bool(self.state(k).later) != on]
        self.set(keys, field, value)
        return on

    def set_note(self, key: str, note: str) -> bool:
        return bool(self.set([key], "note", note))

    def set_tags(self, keys: list[str], tags: list[str]) -> bool:
        clean = sorted({t.strip() for t in tags if t.strip()})
        return bool(self.set(keys, "tags", clean))

    def pin_cite_key(self, key: str, cite_key: str) -> None:
        if not self.state(key).cite_key:  # pinned once: another instance's pin is kept
            self._record([Change(key, "cite_key", cite_key, expect="", conditional=True)], undoable=False)

    def undo(self) -> list[str]:
        """Revert the last change group: only the fields that still hold the value the
        group set (another instance's later change is never erased). Returns the keys
        reverted; an empty list if there was nothing to undo or nothing left to revert."""
        if not self.undo_stack:
            return []
        group = self.undo_stack.pop()
        ts = CLOCK.now()
        changes = [
            Change(c.key, c.field, c.value, ts, expect=c.expect, conditional=True)
            for c in reversed(group)
            if getattr(self.state(c.key), c.field) == c.expect
        ]
        self._record(changes, undoable=False)
        return sorted({c.key for c in changes}, key=lambda k: self.by_key.get(k, 0))

    def import_papers(self, papers: list[Paper]) -> ImportResult:
        result = self.store.import_papers(papers)
        if result.new:
            # new papers are stored exactly as given: no need to read the library back
            given = {p.key: p for p in papers}
            added = [given[k] for k in result.new_keys if k in given and k not in self.by_key]
            self._counts = None
            for p in added:
                self.by_key[p.key] = len(self.papers)
                self.papers.append(p)
                self.keys.append(p.key)
            if self._search is not None:
                self._search.extend(added)
        return result

    def update_papers(self, found: dict[str, Paper]) -> list[str]:
        """Store resolved metadata and show it: returns the keys that changed."""
        updated = self.store.update_papers(found)
        for p in updated:
            if p.key in self.by_key:
                self.papers[self.by_key[p.key]] = p
        if updated:
            self._search = None  # authors/abstracts changed: rebuild at the next search
        return [p.key for p in updated]

    def _saved(self, info: dict) -> None:
        """Fold in values another instance wrote (they came back from the merge), and the
        disk's value where a conditional change (undo, pin) found the field moved on."""
        rejected = {(c.key, c.field) for c in info.get("batch", ()) if c.conditional and c.rejected}
        for key, st in info["merged"].items():
            mine = self.states.get(key)
            if mine is None:
                continue
            if self._fold(mine, st, rejected and {f for k, f in rejected if k == key}):
                self._counts = None
        if self.on_saved is not None:
            self.on_saved(info)

    @staticmethod
    def _fold(mine: PaperState, disk: PaperState, force: set[str] | None = None) -> bool:
        changed = False
        for name, ts in disk.updated.items():
            CLOCK.observe(ts)
            if ts > mine.updated.get(name, 0.0) or (force and name in force):
                if getattr(mine, name) != getattr(disk, name):
                    changed = True
                setattr(mine, name, _copy(getattr(disk, name)))
                mine.updated[name] = ts
        return changed

    def refresh_from_disk(self) -> tuple[list[str], list[str]]:
        """Fold in what other processes wrote since this one last read or wrote: another
        instance's marks (newer stamps win, unsaved changes here are newer still) and papers
        imported elsewhere. Cheap when nothing changed (two small reads of file headers).
        Returns (keys whose marks changed, keys of new papers). Call on the UI thread."""
        changed: list[str] = []
        if self.store.state_changed():
            for key, st in self.store.states().items():
                mine = self.states.get(key)
                if mine is None:
                    self.states[key] = st
                    changed.append(key)
                elif self._fold(mine, st):
                    changed.append(key)
            if changed:
                self._counts = None
                if self._search is not None:
                    self._search.invalidate()
        new: list[str] = []
        if self.store.library_changed():
            new = self._merge_library(self.store.papers())
        return changed, new

    def _merge_library(self, papers: list[Paper]) -> list[str]:
        """The library as another process left it: add its new papers, take its metadata."""
        added, updated = [], False
        for p in papers:
            i = self.by_key.get(p.key)
            if i is None:
                added.append(p)
            elif self.papers[i] != p:
                self.papers[i] = p
                updated = True
        if added:
            self._counts = None
            for p in added:
                self.by_key[p.key] = len(self.papers)
                self.papers.append(p)
                self.keys.append(p.key)
        if updated:
            self._search = None
        elif added and self._search is not None:
            self._search.extend(added)
        return [p.key for p in added]

    def unsaved(self) -> list[Change]:
        return self.saver.unsaved() if self.saver else []

    def flush(self, timeout: float = 10.0) -> bool:
        return self.saver.flush(timeout) if self.saver else True

    def close(self, timeout: float = 2.0) -> bool:
        """Wait (at most ``timeout`` s; not at all when the data dir is read-only) for the
        pending changes to reach the disk. False if some are still unsaved."""
        if self.saver is None:
            return True
        if self.store.readonly_reason:
            timeout = 0.0
        return self.saver.close(timeout)


def _copy(value):
    return list(value) if isinstance(value, list) else value
