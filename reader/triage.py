"""The reading queue that the TUI and the CLI both drive.

Holds the user's marks (all of them: they are few) and only a window of the papers:
the catalogue (SQLite) is read for the rows on screen, in chunks, and for the paper
in the detail pane, through small caches. So memory and start time do not grow with
the library. Every change is applied to memory first (so it shows at once), recorded
for undo, and handed to the background :class:`~reader.saver.Saver`. No textual
imports: the CLI uses it too.
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from itertools import islice

from reader.gc_pause import no_gc
from reader.history import History, Step, describe
from reader.model import Paper
from reader.paths import Paths
from reader.saver import Saver
from reader.sorting import COLUMNS, Ranked, in_order, ranks
from reader.state import CLOCK, Change, PaperState, sort_tags, tag_id, unique_tags
from reader.storage.catalogue import Interrupted, fold, search_words, word_start
from reader.storage.store import ImportResult, Store
from reader.views import Complement, counts, select, tag_spellings

TOGGLES = ("read", "starred", "later", "archived")
BULK = 10_000  # changes at once from which no garbage collection runs among them
STAMPED = ("later", "archived")  # set to the time they were set, "" when off
CHUNK = 256  # rows fetched at once for the list
CHUNKS_KEPT = 64
LOGGED_KEYS = 1024  # papers a mark change names in the log (more: "any may have changed")
SCATTERED_KEPT = 4096  # rows read one by one, for sorted and searched views
PAPERS_KEPT = 256
SEARCH_FIRST = 2000  # a search shows this many hits at once; the rest follow (``complete``)
SORT_AT_ONCE = 2000  # a sorted view this small is sorted by one query; a bigger one in a worker
MIXED_FIRST = 100  # noted papers whose text the UI thread reads for a search mixing note and paper words
MEMBERS_KEPT = 16  # views whose rows are kept between two mark changes (each: its marked papers)
# the rows of a big sort the UI thread reads at once (a few screens; the worker brings the
# rest): reading 2,000 from the index was 10 ms of each S at a million papers
SORT_FIRST = 256
SORT_SCAN = 100_000  # the UI thread reads at most this much of a sort index for a view's first rows


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class _LRU(OrderedDict):
    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def get(self, key, default=None):
        value = super().get(key, default)
        if value is not default:
            try:
                self.move_to_end(key)
            except KeyError:  # cleared meanwhile by another thread (a lookup's results)
                pass
        return value

    def put(self, key, value) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


class Triage:
    def __init__(
        self,
        store: Store,
        states: dict[str, PaperState] | None = None,
        on_error: Callable[[str], None] | None = None,
        background: bool = True,
        on_saved: Callable[[dict], None] | None = None,
    ):
        self.store = store
        self.catalogue = store.catalogue
        self.states: dict[str, PaperState] = states if states is not None else store.states()
        self.size = self.catalogue.count()
        self._version = self.catalogue.version()
        # positions of the papers that carry marks (views are built from these)
        self.pos: dict[str, int] = self.catalogue.positions(self.states)
        self._renumbered = self.catalogue.renumbered()  # see reload_papers
        self._restored = store.restored  # see refresh_from_disk
        self.catalogue_changed = False  # the last refresh_from_disk saw the catalogue change
        # bumped whenever a position may show another paper or another title (an import, a
        # purge, resolved metadata): what was drawn for a position is stale then
        self.rows_epoch = 0
        self._chunks: _LRU = _LRU(CHUNKS_KEPT)  # chunk number -> [(key, title, date, upvotes)]
        self._scattered: _LRU = _LRU(SCATTERED_KEPT)  # position -> (key, title, date, upvotes), see prefetch()
        self._papers: _LRU = _LRU(PAPERS_KEPT)  # key -> Paper
        self.history = History()
        self.last_step = ""  # what the last undo/redo did, for the status message
        self._orders: dict[str, tuple[int, Sequence[int], Sequence[int]]] = {}  # sort -> (version, positions, ranks)
        self.on_saved = on_saved
        self._counts: dict[str, int] | None = None
        self.search_first = SEARCH_FIRST
        self._mark_words: dict[str, tuple[tuple, str]] = {}  # key -> ((note, tags), " words")
        self._noted: list[tuple[int, str]] | None = None  # (position, " words") of noted/tagged papers
        self._generation = 0  # bumped whenever the marks change (see _marks_changed)
        self._mark_log: deque[tuple[int, set[str] | None]] = deque(maxlen=64)  # see changed_since
        self._derived_lock = threading.Lock()
        self._members: dict[tuple[str, int], Sequence[int]] | None = None  # views' rows, until a mark changes
        self.saver = Saver(store, on_error=on_error, on_saved=self._saved) if background else None

    @classmethod
    def open(cls, paths: Paths, **kw) -> Triage:
        return cls(Store(paths), **kw)

    # -- reading ---------------------------------------------------------
    def state(self, key: str) -> PaperState:
        return self.states.get(key) or PaperState()

    def paper(self, key: str) -> Paper:
        paper = self._papers.get(key)
        if paper is None:
            paper = self.catalogue.paper(key)
            if paper is None:
                raise KeyError(key)
            self._papers.put(key, paper)
        return paper

    def row(self, pos: int) -> tuple[str, str, str, int | None]:
        """(key, title, date, upvotes) of the paper at ``pos`` (what its list row shows),
        read with its neighbours (unless :meth:`prefetch` read it alone)."""
        n = pos // CHUNK
        chunk = self._chunks.get(n)
        if chunk is None:
            found = self._scattered.get(pos)
            if found is not None:
                return found
            chunk = self.catalogue.titles(n * CHUNK, (n + 1) * CHUNK)
            self._chunks.put(n, chunk)
        return chunk[pos - n * CHUNK]

    def prefetch(self, positions: Iterable[int]) -> None:
        """Read the rows at these positions (a screenful) in one query, unless their
        neighbourhoods are read already. A sorted or searched view's screenful lies all over
        the library: reading each row with its neighbours cost one query per row, 50 ms for
        a screen at a million papers."""
        missing = [p for p in positions if p // CHUNK not in self._chunks and p not in self._scattered]
        if len({p // CHUNK for p in missing}) > 2:  # else the neighbourhoods serve the next screens too
            for pos, row in self.catalogue.titles_of(missing).items():
                self._scattered.put(pos, row)

    def _forget_rows(self) -> None:
        self._chunks.clear()
        self._scattered.clear()
        self.rows_epoch += 1


    @property
    def keys(self) -> Sequence[str]:
        """Every key in library order, read lazily (``triage.keys[i]``)."""
        return _Keys(self)

    def key_at(self, pos: int) -> str:
        return self.row(pos)[0]

    def keys_at(self, positions: Iterable[int]) -> list[str]:
        return [self.row(p)[0] for p in positions]

    def papers_at(self, positions: Iterable[int]) -> Iterator[Paper]:
        for p in positions:
            yield self.paper(self.row(p)[0])

    def position(self, key: str) -> int | None:
        pos = self.pos.get(key)
        return pos if pos is not None else self.catalogue.position(key)

    def has(self, key: str) -> bool:
        return self.position(key) is not None

    def view(self, name: str, query: str = "", sort: str = "added",
             stop: Callable[[], bool] | None = None, pause: Callable[[], None] | None = None) -> Sequence[int]:
        """Positions in view ``name`` (matching ``query``), complete. Safe in a worker
        thread: it works on a copy of the marks. With ``stop``, it ends early with
        :class:`~reader.storage.catalogue.Interrupted` once ``stop()`` is true (the user
        typed on: nobody wants this answer any more); ``pause()`` is called as often and
        may wait (see :meth:`Catalogue.interruptible`)."""
        if stop is None:
            return self.search_view(name, query, limit=None, states=dict(self.states), sort=sort)[0]

        def check() -> None:  # between the steps: the Python in them is not watched by SQLite
            if stop():
                raise Interrupted()
            if pause is not None:
                pause()

        check()
        states = dict(self.states)
        with self.catalogue.interruptible(stop, pause):
            rows = self._search_view(name, query, None, states)[0]
            check()
            rows = self.ordered(rows, sort)[0]
        check()
        return rows

    def search_view(self, name: str, query: str, limit: int | None = SEARCH_FIRST,
                    states: dict[str, PaperState] | None = None, sort: str = "added") -> tuple[Sequence[int], bool]:
        rows, complete = self._search_view(name, query, limit, states)
        rows, whole = self.ordered(rows, sort, limit)
        return rows, complete and whole

    def ordered(self, rows: Sequence[int], sort: str, limit: int | None = None) -> tuple[Sequence[int], bool]:
        """``rows`` in the order ``sort`` names (see :mod:`reader.sorting`), and whether that
        is all of them. With ``limit`` (the UI thread), a big view gets only the first
        ``limit`` in order, read from the front of the sort index or of the cached order,
        so ``S`` on a million papers costs milliseconds; the rest comes from
        ``limit=None`` (a worker), which sorts the whole view and caches the order."""
        if sort not in COLUMNS:
            return rows, True
        column, descending = COLUMNS[sort]
        cached = self._orders.get(sort)
        order, rank = cached[1:] if cached is not None and cached[0] == self._version else (None, None)
        if order is not None and isinstance(rows, range) and len(rows) == len(order):
            return Ranked(order, rank), True
        if len(rows) <= SORT_AT_ONCE:
            return self.catalogue.order_of(rows, column, descending), True
        if limit is None:
            if order is None:
                version = self._version
                order = self.catalogue.order(column, descending)
                rank = ranks(order)
                self._orders[sort] = (version, order, rank)
            return Ranked(in_order(rows, order), rank), True
        inside = rows if isinstance(rows, range | Complement) else set(rows)
        first = min(limit, SORT_FIRST)
        if order is None:
            return self.catalogue.first_in_order(column, descending, inside, first, scan=SORT_SCAN), False
        return array("q", islice((p for p in islice(order, SORT_SCAN) if p in inside), first)), False

    def _search_view(self, name: str, query: str, limit: int | None,
                     states: dict[str, PaperState] | None) -> tuple[Sequence[int], bool]:
        """(positions, complete). Without a query: the view. With one: the papers of the view
        matching every word as a prefix (title, authors, abstract, note, tags), title
        matches first; with ``limit``, the first ``limit`` of them, and whether that is all."""
        states = self.states if states is None else states
        pos = self.pos if states is self.states else dict(self.pos)
        if states is self.states:  # the UI thread: kept until a mark changes (each keystroke asks)
            key = (name, self.size)
            members = self._members.get(key) if self._members is not None else None
            if members is None:  # every view asked since the last change: 1 and 3 back and forth is free
                members = select(name, self.size, states, pos)
                if self._members is None or len(self._members) >= MEMBERS_KEPT:
                    self._members = {}
                self._members[key] = members
        else:
            members = select(name, self.size, states, pos)
        words = search_words(query)
        if not words:  # nothing typed, or nothing a search can find (only punctuation or emoji)
            return (members if not query.strip() else []), True
        hits, more = self.catalogue.search(words, limit=limit)
        marked, cut = self._mark_hits(words, hits, states, pos, bounded=limit is not None)
        hits.extend(marked)
        more = more or cut
        if members == range(self.size):  # nothing left out (All, nothing archived)
            return array("q", hits), not more
        if name == "later":  # keep the queue order
            queued = set(members)
            found = {p for p in hits if p in queued}
            return array("q", (p for p in members if p in found)), not more
        inside = members if isinstance(members, range | Complement) else set(members)
        return array("q", (p for p in hits if p in inside)), not more

    def _mark_hits(self, words: list[str], hits: Sequence[int], states: dict[str, PaperState],
                   positions: dict[str, int], bounded: bool = False) -> tuple[list[int], bool]:
        """Papers whose note and tags have every word (as a prefix), or some of them while
        the title, authors or abstract have the others ("rl attention": a tag and a title
        word), not among ``hits``; and whether some were left unchecked (``bounded``: the UI
        thread reads at most MIXED_FIRST papers for that, the worker all of them). One
        substring test per noted paper and word (see :meth:`_noted_words`)."""
        out: set[int] = set()
        partial: dict[int, list[str]] = {}
        words = [fold(w) for w in words]  # "ünïcode" and "unicode" alike, as the full-text index reads them
        for pos, text in self._noted_words(states, positions):
            missing = [w for w in words if " " + w not in text]
            if not missing:
                out.add(pos)
            elif len(missing) < len(words):
                partial[pos] = missing
        cut = bounded and len(partial) > MIXED_FIRST
        if partial:
            checked = list(partial)[:MIXED_FIRST] if cut else list(partial)
            texts = self.catalogue.texts_of(checked)
            starts = {w: word_start(w) for w in words}
            out.update(p for p in checked if p in texts and all(starts[w](texts[p]) for w in partial[p]))
        if out:
            out.difference_update([p for p in hits if p in out])
        return sorted(out), cut

    def _marks_changed(self, keys: set[str] | None = None) -> None:
        """Drop what is worked out from the marks (counts, noted words, view rows), and
        log which papers changed (``None``: any may have)."""
        with self._derived_lock:
            self._counts = self._noted = self._members = None
            self._generation += 1
            self._mark_log.append((self._generation, None if keys is None or len(keys) > LOGGED_KEYS else keys))

    @property
    def generation(self) -> int:
        """Bumped whenever a mark changes."""
        return self._generation

    def changed_since(self, generation: int) -> set[str] | None:
        """The papers whose marks changed after ``generation``; ``None`` if that is not
        known (too long ago, too many papers, or marks read again from the file)."""
        with self._derived_lock:
            log = list(self._mark_log)
        if generation == self._generation:
            return set()
        if not log or log[0][0] > generation + 1:
            return None
        out: set[str] = set()
        for gen, keys in log:
            if gen > generation:
                if keys is None:
                    return None
                out |= keys
        return out

    def warm_search(self) -> None:
        """Split the words of every note and tag now (safe in a worker thread: it reads
        copies), so the first keystroke of a search does not (40 ms for 1,500 notes)."""
        generation = self._generation
        noted = self._noted_words(dict(self.states), dict(self.pos))
        with self._derived_lock:
            if generation == self._generation:  # no mark changed meanwhile: the keystroke's list
                self._noted = noted

    def _noted_words(self, states: dict[str, PaperState], positions: dict[str, int]) -> list[tuple[int, str]]:
        """(position, " w1 w2 ...") of every paper with a note or tags, kept until a mark
        changes (a keystroke no longer walks every paper with a state). Each note's words
        are split once and kept while the note stays the same."""
        if states is self.states and self._noted is not None:
            return self._noted
        out = []
        cache = self._mark_words
        for key, st in states.items():
            if not (st.note or st.tags):
                continue
            pos = positions.get(key)
            if pos is None:
                continue
            marks = (st.note, tuple(st.tags))
            cached = cache.get(key)
            if cached is None or cached[0] != marks:
                cached = cache[key] = (marks, " " + " ".join(search_words(fold(f"{st.note} {' '.join(st.tags)}"))))
            out.append((pos, cached[1]))
        if states is self.states:
            self._noted = out
        return out

    def counts(self) -> dict[str, int]:
        """Per-view counts, cached until a mark changes (the header asks on every repaint)."""
        if self._counts is None:
            pos = self.pos
            self._counts = counts(self.size, {k: s for k, s in self.states.items() if k in pos})
        return self._counts

    def reload_papers(self) -> bool:
        """Another process changed the catalogue (an import): see its papers. True if so."""
        version = self.catalogue.version()
        if version == self._version:
            return False
        self._version = version
        self.size = self.catalogue.count()
        self._forget_rows()
        self._papers.clear()
        renumbered = self.catalogue.renumbered()
        if renumbered != self._renumbered:  # a purge: the papers after a removed one moved down
            self._renumbered = renumbered
            self._orders.clear()
            self.pos = self.catalogue.positions(list(self.states))
        else:  # papers are only ever added at the end: the marks stay where they are
            self.pos.update(self.catalogue.positions(k for k in self.states if k not in self.pos))
        self._marks_changed()
        return True

    # -- changing --------------------------------------------------------
    def _record(self, changes: list[Change], undoable: bool = True, where: dict[str, int] | None = None) -> list[Change]:
        """Apply to memory, remember the old values for undo, queue for saving. ``where``:
        the positions of the papers, when the caller knows them (a view's rows): papers
        marked for the first time are not looked up in the catalogue one by one."""
        if not changes:
            return []
        if where:
            self.pos.update((k, p) for k, p in where.items() if k not in self.pos)
        undo: list[Change] = []
        if undoable:
            self.history.record(Step(describe(changes, self._title), undo, list(changes)))
        was = self._counts
        touched = {ch.key for ch in changes}
        if was is not None:  # the counts follow by the difference of these papers (a full count: 10 ms at 5,000 marks)
            before = counts(0, {k: self.states[k] for k in touched if k in self.states and k in self.pos})
        self._marks_changed(touched)
        states = self.states
        with no_gc(len(changes) > BULK):
            for ch in changes:
                st = states.get(ch.key)
                if st is None:
                    st = states[ch.key] = PaperState()
                # (an undo is stamped when it is made: this stamp is never used, and taking one
                # from the clock for each of 100,000 papers marked at once took a second)
                undo.append(Change(ch.key, ch.field, _copy(getattr(st, ch.field)), ch.ts, expect=_copy(ch.value),
                                   conditional=True))
                setattr(st, ch.field, _copy(ch.value))
                st.updated[ch.field] = ch.ts
        unknown = {ch.key for ch in changes if ch.key not in self.pos}
        if unknown:
            self.pos.update(self.catalogue.positions(unknown))
        if was is not None:
            after = counts(0, {k: self.states[k] for k in touched if k in self.pos})
            self._counts = {v: n - before[v] + after[v] for v, n in was.items()}
        self._submit(changes)
        return changes

    def _submit(self, changes: list[Change]) -> None:
        if self.saver is not None:
            self.saver.submit(changes)
        else:
            self.store.apply(changes)

    def set(self, keys: Iterable[str], field: str, value, where: dict[str, int] | None = None) -> list[Change]:
        """Set one field of these papers (one undo step); ``where`` as for :meth:`_record`."""
        ts = CLOCK.now()
        changes = [
            Change(k, field, value, ts) for k in keys if getattr(self.state(k), field) != value
        ]
        if field == "read":
            stamp = now_iso() if value else ""
            changes += [Change(c.key, "read_at", stamp, ts) for c in list(changes)]
        return self._record(changes, where=where)

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
        return bool(self.set(keys, "tags", sort_tags(unique_tags(tags))))

    def change_tags(self, keys: list[str], added: Iterable[str], removed: Iterable[str],
                    base: dict[str, list[str]] | None = None) -> bool:
        """Add and remove tags on each of ``keys``, keeping each paper's other tags (the
        editor of several papers shows and changes only the tags they all have): its tags
        now, or those of ``base`` (what the editor opened on: "keep mine"). One undo step.
        Case is ignored: a tag the paper has in any spelling is not added again, removing
        one removes every spelling, and a tag new to the paper takes the library's spelling."""
        add = unique_tags(added)
        if add:  # only then: it reads every paper's marks
            names = tag_spellings(self.states.values())
            add = [names.get(tag_id(t), t) for t in add]
        drop = {tag_id(t) for t in removed} - {tag_id(t) for t in add}
        ts = CLOCK.now()
        changes = []
        for k in keys:
            old = list(self.state(k).tags)
            kept = [t for t in unique_tags(old if base is None else base[k]) if tag_id(t) not in drop]
            new = sort_tags(unique_tags(kept + add))
            if new != old:
                changes.append(Change(k, "tags", new, ts))
        return bool(self._record(changes))

    def pin_cite_key(self, key: str, cite_key: str) -> None:
        if not self.state(key).cite_key:  # pinned once: another instance's pin is kept
            self._record([Change(key, "cite_key", cite_key, expect="", conditional=True)], undoable=False)

    def undo(self) -> list[str]:
        """Revert the last change group: only the fields that still hold the value the
        group set (another instance's later change is never erased). Returns the keys it
        touched; ``last_step`` says what."""
        step = self.history.undo()
        if step is None:
            self.last_step = "Nothing to undo"
            return []
        return self._replay(step, [(c.key, c.field, c.value, c.expect) for c in reversed(step.before)], "Undid")

    def redo(self) -> list[str]:
        """Apply again the last change group undone (fields nobody changed since)."""
        step = self.history.redo()
        if step is None:
            self.last_step = "Nothing to redo"
            return []
        pairs = [(c.key, c.field, c.value, b.value) for c, b in zip(step.after, step.before, strict=True)]
        return self._replay(step, pairs, "Redid")

    def _replay(self, step: Step, pairs: list[tuple], verb: str) -> list[str]:
        ts = CLOCK.now()
        changes = [
            Change(key, name, value, ts, expect=expect, conditional=True)
            for key, name, value, expect in pairs
            if getattr(self.state(key), name) == expect
        ]
        self._record(changes, undoable=False)
        # (nothing left to change: another reader changed every field of it since; the step
        # is used up all the same, and the message says so rather than "Nothing to undo")
        self.last_step = f"{verb} {step.label}" if changes else \
            f"{verb} nothing of “{step.label}”: another reader changed it since"
        return sorted({c.key for c in changes}, key=lambda k: self.pos.get(k, 0))

    def _title(self, key: str) -> str:
        try:
            return self.paper(key).title
        except KeyError:
            return key

    def purge(self) -> list[Paper]:
        """Remove the archived papers from the library for good. Their state stays as a
        tombstone, so importing the same file again keeps them archived (hidden)."""
        keys = {k for k, s in self.states.items() if s.archived and k in self.pos}
        if not keys:
            return []
        removed = self.store.remove_papers(keys)
        self._orders.clear()
        self.size = self.catalogue.count()
        self._version = self.catalogue.version()
        self._renumbered = self.catalogue.renumbered()
        self.pos = self.catalogue.positions(self.states)  # the rows after them moved down
        self._forget_rows()
        self._papers.clear()
        self._marks_changed()
        return removed

    def import_papers(self, papers: list[Paper]) -> ImportResult:
        result = self.store.import_papers(papers, marks=False)
        self._record(self.store.imported_marks(papers, result, self.state))  # the entries' notes and tags: one undo step
        if result.new or result.updated:
            self._orders.clear()
            self.size = self.catalogue.count()
            # marks kept for papers not in the library (a purge's, another machine's) find theirs
            self.pos.update(self.catalogue.positions(k for k in self.states if k not in self.pos))
            self._forget_rows()
            self._papers.clear()
            self._marks_changed()
            self._version = self.catalogue.version()
        return result

    def update_papers(self, found: dict[str, Paper]) -> list[str]:
        """Store resolved metadata and show it: returns the keys that changed."""
        updated = self.store.update_papers(found)
        if updated:
            self._orders.clear()  # dates, upvotes, titles may have changed
            self._forget_rows()  # titles may have changed
            for p in updated:
                self._papers.pop(p.key, None)
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
                self._marks_changed()
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

    def refresh_from_disk(self) -> tuple[list[str], int]:
        """Fold in what other processes wrote since this one last read or wrote: another
        instance's marks (newer stamps win; unsaved changes here are newer still) and papers
        imported elsewhere. Cheap when nothing changed (a file header and a version number).
        Returns (keys whose marks changed, number of new papers). Call on the UI thread."""
        changed: list[str] = []
        if self.store.state_changed():
            disk = self.store.states()
            if self.store.restored != self._restored:  # `reader restore`: the file as restored, whole
                self._restored = self.store.restored
                self.catalogue_changed = False  # (the catalogue is looked at on the next call)
                return self._take_restored(disk), 0
            for key, st in disk.items():
                mine = self.states.get(key)
                if mine is None:
                    self.states[key] = st
                    changed.append(key)
                elif self._fold(mine, st):
                    changed.append(key)
            if changed:
                self._marks_changed()
                unknown = {k for k in changed if k not in self.pos}
                if unknown:
                    self.pos.update(self.catalogue.positions(unknown))
        before = self.size
        old_pos = self.pos
        self.catalogue_changed = self.reload_papers()  # (a purge, metadata resolved elsewhere: rows to redraw)
        new = max(0, self.size - before) if self.catalogue_changed else 0
        if self.pos is not old_pos:  # renumbered by a purge: the marks moved with their papers
            changed.extend(k for k in set(old_pos) | set(self.pos) if old_pos.get(k) != self.pos.get(k))
        return changed, new

    def _take_restored(self, disk: dict[str, PaperState]) -> list[str]:
        """The marks of a restored state file, in place of those shown (a restore goes
        back: folding in only newer stamps kept what it undid), with this session's
        changes not saved yet on top. Undo steps from before it are dropped."""
        for ch in self.unsaved():
            st = disk.setdefault(ch.key, PaperState())
            setattr(st, ch.field, ch.value)
            st.updated[ch.field] = ch.ts
        changed = [k for k in set(self.states) | set(disk)
                   if (k in self.states) != (k in disk) or self.states[k] != disk[k]]
        self.states.clear()
        self.states.update(disk)
        self.pos = self.catalogue.positions(list(self.states))
        self.history = History()
        self._marks_changed()
        return changed

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


class _Keys(Sequence[str]):
    def __init__(self, triage: Triage):
        self.triage = triage

    def __len__(self) -> int:
        return self.triage.size

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return self.triage.keys_at(range(*i.indices(len(self))))
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self.triage.key_at(i)


def _copy(value):
    return list(value) if isinstance(value, list) else value
