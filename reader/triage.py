"""The in-memory reading queue that the TUI and the CLI both drive.

Holds the papers and the user's marks, applies every change to memory first
(so it shows at once), records it for undo, and hands it to the background
:class:`~reader.saver.Saver`. No textual imports: the CLI uses it too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from reader.history import History, Step, describe
from reader.model import Paper
from reader.paths import Paths
from reader.saver import Saver
from reader.search import SearchIndex
from reader.sorting import sort_rows
from reader.state import Change, PaperState
from reader.storage.store import ImportResult, Store
from reader.views import counts, select

TOGGLES = ("read", "starred", "later", "archived")
STAMPED = ("later", "archived")  # set to the time they were set, "" when off


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
        self.history = History()
        self.last_step = ""  # what the last undo/redo did, for the status message
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

    def view(self, name: str, query: str = "", sort: str = "added") -> list[int]:
        return sort_rows(self._view(name, query), self.papers, sort)

    def _view(self, name: str, query: str) -> list[int]:
        if query.strip():
            hits = self.search_index.search(query, self.states)
            if name == "all" and not self.counts()["archived"]:
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
        if undoable:
            self.history.record(Step(describe(changes, self._title), undo, list(changes)))
        self._counts = None
        for ch in changes:
            st = self.states.setdefault(ch.key, PaperState())
            undo.append(Change(ch.key, ch.field, _copy(getattr(st, ch.field))))
            setattr(st, ch.field, _copy(ch.value))
            st.updated[ch.field] = ch.ts
        if self._search is not None and any(c.field in ("note", "tags") for c in changes):
            self._search.invalidate()
        self._submit(changes)
        return changes

    def _submit(self, changes: list[Change]) -> None:
        if self.saver is not None:
            self.saver.submit(changes)
        else:
            self.store.apply(changes)

    def set(self, keys: Iterable[str], field: str, value) -> list[Change]:
        ts = time.time()
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
        if field in STAMPED:
            value = now_iso() if on else ""
            # keep the original time of papers already queued / archived
            keys = [k for k in keys if bool(getattr(self.state(k), field)) != on]
        self.set(keys, field, value)
        return on

    def set_note(self, key: str, note: str) -> bool:
        return bool(self.set([key], "note", note))

    def set_tags(self, keys: list[str], tags: list[str]) -> bool:
        clean = sorted({t.strip() for t in tags if t.strip()})
        return bool(self.set(keys, "tags", clean))

    def pin_cite_key(self, key: str, cite_key: str) -> None:
        if not self.state(key).cite_key:
            self._record([Change(key, "cite_key", cite_key)], undoable=False)

    def undo(self) -> list[str]:
        """Revert the last change group. Returns the keys it touched; ``last_step`` says what."""
        step = self.history.undo()
        return self._replay(step, step.before[::-1], "Undid") if step else []

    def redo(self) -> list[str]:
        """Apply again the last change group undone."""
        step = self.history.redo()
        return self._replay(step, step.after, "Redid") if step else []

    def _replay(self, step: Step, values: list[Change], verb: str) -> list[str]:
        ts = time.time()
        changes = [Change(c.key, c.field, c.value, ts) for c in values]
        self._record(changes, undoable=False)
        self.last_step = f"{verb} {step.label}"
        return sorted({c.key for c in changes}, key=lambda k: self.by_key.get(k, 0))

    def _title(self, key: str) -> str:
        i = self.by_key.get(key)
        return self.papers[i].title if i is not None else key

    def purge(self) -> list[Paper]:
        """Remove the archived papers from the library for good. Their state stays as a
        tombstone, so importing the same file again keeps them archived (hidden)."""
        keys = {k for k, s in self.states.items() if s.archived and k in self.by_key}
        if not keys:
            return []
        removed = self.store.remove_papers(keys)
        gone = {p.key for p in removed}
        self.papers = [p for p in self.papers if p.key not in gone]
        self.keys = [p.key for p in self.papers]
        self.by_key = {k: i for i, k in enumerate(self.keys)}
        self._search = None
        self._counts = None
        return removed

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
        """Fold in values another instance wrote (they came back from the merge)."""
        for key, st in info["merged"].items():
            mine = self.states.get(key)
            if mine is None:
                continue
            for name, ts in st.updated.items():
                if ts > mine.updated.get(name, 0.0):
                    setattr(mine, name, getattr(st, name))
                    mine.updated[name] = ts
                    self._counts = None
        if self.on_saved is not None:
            self.on_saved(info)

    def flush(self, timeout: float = 10.0) -> bool:
        return self.saver.flush(timeout) if self.saver else True

    def close(self, timeout: float = 10.0) -> bool:
        return self.saver.close(timeout) if self.saver else True


def _copy(value):
    return list(value) if isinstance(value, list) else value
