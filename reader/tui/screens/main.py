"""The main screen: list pane, detail pane, header with counts, search bar.

The screen owns the reactive state (view, search query, selection) and turns
keys into calls on :class:`reader.triage.Triage`; the widgets only display.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import quote_plus

from rich.cells import cell_len
from textual import events, messages, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, ProgressBar, Static
from textual.worker import get_current_worker

from reader.citations.cite import citation, complete, lookup_seconds, to_complete
from reader.clipboard import describe, safe_text, system_copy, tmux_set_clipboard
from reader.drafts import drafts_of, drop_draft, save_draft
from reader.state import common_tags, sort_tags, tag_edits, unique_tags
from reader.storage.catalogue import Interrupted
from reader.text import clean, plural
from reader.triage import Triage
from reader.tui import sources as fetching
from reader.tui.screens.triage_moves import TriageMoves
from reader.tui.widgets.detail import DetailPane
from reader.tui.widgets.footer import ReaderFooter
from reader.tui.widgets.paper_list import PaperList
from reader.tui.widgets.search_box import SearchBox
from reader.views import VIEWS, is_view, predicate

VIEW_KEYS = list(VIEWS)


def short_count(n: int) -> str:
    """1234 -> 1.2k, 999296 -> 999k, 1000000 -> 1M (a header that must fit 80 columns)."""
    if n < 1000:
        return str(n)
    for size, unit in ((10**6, "M"), (10**3, "k")):
        if n >= size:
            value = n / size
            return f"{value:.1f}".rstrip("0").rstrip(".") + unit if value < 10 else f"{int(value)}{unit}"
    return str(n)
SHORT = {"all": "All", "unread": "Unread", "starred": "Starred", "later": "Later", "read": "Read", "noted": "Notes",
         "archived": "Archived"}
TINY = {"all": "All", "unread": "●", "starred": "★", "later": "◷", "read": "Read", "noted": "✎", "archived": "Arch"}
NARROW = 100  # columns below which the panes stack
TYPING_SETTLE = 0.15  # s: a search typed on waits this long before its complete result is read
PREPARE_AFTER = 0.05  # s: keys paused this long, the next paper's lines are built ahead

# The dialogs (TextArea: tree-sitter glue, the document model) and webbrowser are imported by
# the keys that open them, not before the first frame.
VIEW_FIELD = {"unread": "read", "read": "read", "starred": "starred", "later": "later"}  # what each view filters on


def paper_url(paper) -> str:
    if paper.arxiv_id:
        return f"https://arxiv.org/abs/{paper.arxiv_id}"
    if paper.url:
        return clean(paper.url)
    return "https://arxiv.org/search/?searchtype=title&query=" + quote_plus(clean(paper.title))


class MainScreen(TriageMoves, Screen):
    BINDINGS = [
        Binding("r", "toggle('read')", "Read", id="toggle_read"),
        Binding("s", "toggle('starred')", "Star", id="toggle_star"),
        Binding("l", "toggle('later')", "Later", id="toggle_later"),
        Binding("n", "edit_note", "Note", id="edit_note"),
        Binding("t", "edit_tags", "Tags", id="edit_tags"),
        Binding("y", "copy_citation", "Cite", id="copy_citation"),
        Binding("u", "undo", "Undo", id="undo"),
        Binding("slash", "search", "Search", id="search"),
        Binding("space", "select", "Select", show=False, id="select"),
        Binding("Y", "pick_format", "Cite as…", show=False, id="pick_format"),
        Binding("e", "edit_external", "Note in $EDITOR", show=False, id="edit_external"),
        Binding("o", "open_browser", "Open in browser", show=False, id="open_browser"),
        Binding("tab", "switch_focus", "List/detail", show=False, id="switch_focus"),
        Binding("escape", "clear", "Clear search/selection", show=False, id="clear"),
        Binding("v", "view_copied", "View copied text", show=False, id="view_copied"),
        Binding("d", "toggle_detail", "Hide/show detail", show=False, id="toggle_detail"),
        Binding("R", "resolve", "Resolve metadata (web)", show=False, id="resolve"),
        Binding("F", "fetch", "Fetch sources (config)", show=False, id="fetch"),
        Binding("P", "paste", "Import the clipboard", show=False, id="paste"),
        Binding("N", "new_view", "New papers (last fetch)", show=False, id="new_view"),
        *TriageMoves.MOVE_BINDINGS,
        *[
            Binding(str(i + 1), f"view('{v}')", f"View: {VIEWS[v]}", show=False, id=f"view_{v}")
            for i, v in enumerate(VIEW_KEYS)
        ],
    ]

    # repaint=False: a reactive of the screen would repaint the whole screen; the watchers
    # refresh exactly what changes (rows, header, detail)
    view: reactive[str] = reactive("all", init=False, repaint=False)
    search_text: reactive[str] = reactive("", init=False, repaint=False)

    def __init__(self, triage: Triage, view: str = "all", key: str | None = None) -> None:
        super().__init__()
        self.triage = triage
        self._start = (view if is_view(view) else "all", key)
        self._search_complete = True
        self._auto_read_timer: Timer | None = None
        self._prepare_timer: Timer | None = None
        self._cursor_was = 0  # where the cursor was: the direction a paper is built ahead in
        self._cite_waiting: tuple[list[str], str] | None = None  # y waiting for its lookup (esc copies now)
        self._awaited_key: str | None = None  # the paper to highlight again when a big sort or search completes
        self.last_copy = ""
        self.resolving = False
        self._resolve_cancel = False
        self.save_state = ""  # "", "error"
        self.fetching = False
        self.new_keys: list[str] = []  # added by the last fetch or paste
        self.new_only = False  # the New view (N)
        self._bars_mounted = False
        self._tabs: list[tuple[int, int, str]] = []  # the header's view tabs (see _header)

    # -- layout ------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(id="header")
        with Horizontal(id="panes"):
            yield PaperList(self.triage, id="list")
            yield DetailPane(id="detail")
        yield SearchBox(placeholder="search title, abstract, authors, note, tags", id="search",
                        leave_to=lambda: self.paper_list)
        yield ReaderFooter()

    def mount_bars(self) -> None:
        """The progress bars (lookups and fetches, PDF downloads), hidden until used: mounted
        after the first frame, which does not wait for their nine widgets, or at once by
        the first key that shows one. In the order they dock, before the footer."""
        if self._bars_mounted or not self.is_attached:  # (q pressed at once: the app is closing)
            return
        self._bars_mounted = True
        bars = {"resolve-bar": [Static(id="resolve-label"), ProgressBar(id="resolve-progress", show_eta=True)],
                **self.moves_bars()}
        containers = [Horizontal(id=name) for name in bars]
        for container in containers:
            container.display = False
        self.mount(*containers, before=self.query_one(ReaderFooter))
        for container, children in zip(containers, bars.values(), strict=True):
            container.mount(*children)  # now, not at the container's compose: queries find them at once

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    def on_mount(self) -> None:
        self.query_one("#search").display = False
        self.mount_moves()
        self.call_after_refresh(self.mount_bars)
        view, key = self._start
        self.new_keys = fetching.last_fetch_new(self)
        if self.app.config.fetch_on_start:
            self.call_after_refresh(self.action_fetch, True)
        self.set_reactive(MainScreen.view, view)
        self.paper_list.on_cursor = self._cursor_moved
        self.reload(keep_key=key)
        self.paper_list.focus()
        self._apply_width(self.app.size.width)

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        narrow = width < NARROW
        self.query_one("#panes").set_class(narrow, "narrow")
        footer = self.query_one(ReaderFooter)
        if footer.compact != narrow:  # 80 columns: q and ? stay, ctrl+p is in the help
            footer.compact, footer.show_command_palette = narrow, not narrow
            footer.refresh(recompose=True)
        self.update_header()

    # -- data -> widgets -----------------------------------------------------
    def reload(self, keep_key: str | None = None, index: int | None = None, settle: float = 0.0) -> None:
        """Recompute the rows of the current view and search. A search over a big library
        shows its first hits at once and completes in a worker thread, which starts after
        ``settle`` seconds (a keystroke: the next one usually comes first)."""
        rows, complete = self.triage.search_view(self.view, self.search_text, limit=self.triage.search_first,
                                                 sort=self.sort)
        if self.new_only:
            rows, complete = fetching.new_rows(self), True
        words = self.search_text.lower().split()
        plist = self.paper_list
        plist.query_words = words
        # a big search or sort whose first rows are not found at once completes in a worker:
        # "no papers" would be wrong meanwhile
        plist.empty_text = self.empty_text() if complete or len(rows) else ("Searching…" if words else "Sorting…")
        plist.set_rows(rows, keep_key=keep_key, index=index)
        # a big sort's first rows seldom hold the paper being read: back to it when all are in
        # (not for a search, which goes to its top hit: ``index``)
        self._awaited_key = keep_key if not complete and index is None and plist.current_key != keep_key else None
        if self._awaited_key is not None:  # not among the first rows: still the paper read and acted on
            plist.pin(self._awaited_key)
        self._search_complete = complete
        if not complete:
            self._complete_search(self.view, self.search_text, self.sort, settle)
        else:
            self.workers.cancel_group(self, "search")  # an older one's answer is wanted no more
        self.update_header()
        self.show_detail_now()
        self._draw_in_the_next_frame()

    def _draw_in_the_next_frame(self) -> None:
        """Each widget asks the screen for a frame once its own messages are done, and
        Textual draws whatever has asked by then. The search box asks for its typed letter
        before the keystroke's results exist, so the letter was drawn at once and the
        results a frame later, 20-40 ms after (at a million papers 90-100 ms from the key to
        the results on screen, 50 ms now); after ``S`` the header came a frame after the
        rows. The panes and the header ask at once (their own request follows and finds
        nothing left to draw)."""
        for widget in (self.paper_list, self.detail, self.query_one("#header")):
            self.post_message(messages.Update(widget))

    @work(thread=True, exclusive=True, group="search")
    def _complete_search(self, view: str, query: str, sort: str, settle: float = 0.0) -> None:
        """The whole result, in a thread. A newer search cancels this one (``exclusive``)
        and the catalogue's reads then stop within a millisecond: before, a query typed
        letter by letter left one thread per letter reading a million rows, slowing every
        keystroke after it (the UI thread waits for the GIL)."""
        worker = get_current_worker()
        if settle and worker.cancelled_event.wait(settle):
            return
        try:
            rows = self.triage.view(view, query, sort, stop=lambda: worker.is_cancelled, pause=self.app.yield_to_keys)
        except Interrupted:
            return
        finally:
            self.triage.catalogue.release()  # each worker is a new thread: no connection left open
        self.app.call_from_thread(self._search_completed, view, query, sort, rows)

    def _search_completed(self, view: str, query: str, sort: str, rows) -> None:
        if (view, query, sort) != (self.view, self.search_text, self.sort):
            return  # the user typed (or switched view or sort) meanwhile
        plist = self.paper_list
        self._search_complete = True
        plist.empty_text = self.empty_text()
        keep, self._awaited_key = self._awaited_key or plist.current_key, None
        plist.set_rows(rows, keep_key=keep, index=plist.cursor, more_of_the_same=True)
        self.update_header()

    def update_header(self) -> None:
        width = self.app.size.width
        for tiny, compact in ((False, False), (True, False), (True, True)):  # shorter until it fits
            header = self._header(tiny, compact)
            if header.cell_length <= width:
                break
        else:  # a long query: shortened, so that the count stays in view
            header = self._header(True, True, query_room=max(1, len(self.search_text) - (header.cell_length - width)))
        self.query_one("#header", Static).update(header, layout=False)  # one line, always: no screen layout

    def _header(self, tiny: bool, compact: bool = False, query_room: int | None = None) -> Content:
        c = self.triage.counts()
        parts: list = []
        tabs: list[tuple[int, int, str]] = []  # (first cell, end, view) of each tab, for a click
        at = 0
        for i, v in enumerate(VIEW_KEYS):
            if parts:
                parts.append(("" if compact else " ", ""))
                at += 0 if compact else 1
            label = f"{i + 1} {(TINY if tiny else SHORT)[v]} {short_count(c[v]) if compact else c[v]}"
            parts.append((f" {label} ", "reverse bold" if v == self.view else "dim" if c[v] == 0 else ""))
            tabs.append((at, at + cell_len(label) + 2, v))
            at += cell_len(label) + 2
        self._tabs = tabs
        if self.new_keys:
            parts.append((f"   N New {len(self.new_keys)}", "reverse bold" if self.new_only else "bold $accent"))
        parts += self.header_moves(tiny)
        if self.search_text:
            rows = len(self.paper_list.rows)
            more = "" if self._search_complete else "+"
            query = self.search_text
            if query_room is not None and len(query) > query_room:
                query = query[:max(0, query_room - 1)] + "…"
            found = f"{short_count(rows)}{more}" if compact else plural(rows, "match") + more
            parts.append((f"   {'' if compact else 'search '}“{query}”: {found}", "bold $warning"))
        if self.paper_list.selected:
            parts.append((f"   {len(self.paper_list.selected)} selected", "bold $accent"))
        if self.triage.store.readonly_reason:
            parts.append(("   ⚠ read-only: changes cannot be saved", "bold $error"))
        elif self.save_state == "error":
            parts.append(("   ⚠ not saved yet, retrying", "bold $error"))
        return Content.assemble(*parts)

    @on(events.Click, "#header")
    def _click_header(self, event: events.Click) -> None:
        """A click on a view's tab in the header shows that view (trial 10: only keys did)."""
        x = event.get_content_offset(self.query_one("#header"))
        for start, end, view in self._tabs:
            if x is not None and start <= x.x < end:
                self.action_view(view)
                return

    def show_detail_now(self) -> None:
        key = self.paper_list.current_key
        paper = self.triage.paper(key) if key else None
        self.detail.show(paper, self.triage.state(key) if key else None, self.paper_list.query_words)

    def _cursor_moved(self, key: str | None) -> None:
        """Called by the list as its cursor moves, in the key's own call stack: the detail
        is handed the paper at once, so the highlight and the detail appear in the same
        frame. Nothing waits on a timer. Once keys pause, the next paper in the direction
        of travel is built ahead (:meth:`DetailPane.prepare`), so the next key only draws."""
        self._awaited_key = None  # the reader moved on (reload sets it after its own move)
        cursor = self.paper_list.cursor
        step = -1 if cursor < self._cursor_was else 1
        self._cursor_was = cursor
        self.show_detail_now()
        if self._prepare_timer is not None:
            self._prepare_timer.stop()  # keys held down: nothing is built ahead until they pause
        self._prepare_timer = self.set_timer(PREPARE_AFTER, lambda: self._prepare(cursor, step))

    def _prepare(self, cursor: int, step: int) -> None:
        plist = self.paper_list
        row = cursor + step if 0 <= cursor + step < len(plist.rows) else cursor - step  # at an end: back
        if 0 <= row < len(plist.rows) and self.detail.display:
            key = self.triage.key_at(plist.rows[row])
            self.detail.prepare(self.triage.paper(key), self.triage.state(key), plist.query_words)

    @on(PaperList.Highlighted)
    def _highlighted(self, event: PaperList.Highlighted) -> None:
        self._schedule_auto_read(event.key)

    def _schedule_auto_read(self, key: str | None) -> None:
        secs = getattr(self.app, "config", None) and self.app.config.auto_read_seconds
        if self._auto_read_timer is not None:
            self._auto_read_timer.stop()
        if not secs or key is None:
            return

        def mark() -> None:
            if self.paper_list.current_key == key and not self.triage.state(key).read:
                self.triage.set([key], "read", True)
                self.after_change(key)

        self._auto_read_timer = self.set_timer(secs, mark)

    def refresh_marks(self, keys: list[str] | None = None) -> None:
        """Marks changed but the rows did not: repaint those rows (all, without ``keys``),
        the header and the detail only."""
        if keys is None:
            self.paper_list.refresh_rows()
        else:
            self.paper_list.refresh_keys(keys)
        self.update_header()
        self.show_detail_now()

    def after_change(self, keep_key: str | None = None) -> None:
        """Marks changed: the view may lose or gain rows; keep the cursor in place."""
        index = self.paper_list.cursor
        self.reload(keep_key=keep_key, index=index)

    # -- actions -----------------------------------------------------------
    def action_toggle(self, field: str) -> None:
        plist = self.paper_list
        keys = plist.target_keys
        if not keys:
            return
        on = self.triage.toggle(keys, field)
        current = plist.current_key
        if len(keys) > 1:
            done = {"read": ("marked read", "marked unread"), "starred": ("starred", "unstarred"),
                    "later": ("queued for later", "removed from Later")}[field][0 if on else 1]
            self.notify(f"{len(keys)} papers {done}")
        if field == "archived":
            self.notify_archived(keys, on)
        if VIEW_FIELD.get(self.view) != field and field != "archived":
            self.refresh_marks(keys)  # membership of this view cannot have changed
            self.advance_after(field, on, keys)
        elif len(keys) > 1 or (current is not None and predicate(self.view)(self.triage.state(current))):
            self.after_change(keep_key=current)
            self.advance_after(field, on, keys)
        else:
            self.after_change()  # the paper left this view: the next one takes its place

    def action_select(self) -> None:
        plist = self.paper_list
        key = plist.current_key
        if key is None:
            return
        plist.selected ^= {key}
        plist.refresh_rows()
        plist.cursor += 1
        self.update_header()

    def action_clear(self) -> None:
        if self.cancel_download() or fetching.cancel_fetch(self):
            return
        if self.resolving:
            self._resolve_cancel = True
            waiting, self._cite_waiting = self._cite_waiting, None
            if waiting is not None:  # y's lookup: copy now, with what the library has
                self.notify("Lookup: cancelled, cited what the library has", timeout=4)
                self.cite(*waiting, looked_up=True)
                return
            self.notify("Cancelling the lookup… (what was found is kept)", timeout=3)
            return
        search = self.query_one("#search", Input)
        if search.display or self.search_text:
            search.value = ""
            search.display = False
            self.search_text = ""
            self.paper_list.focus()
        elif self.paper_list.selected:
            self.paper_list.selected = set()
            self.paper_list.refresh_rows()
            self.update_header()

    def action_view(self, view: str) -> None:
        if self.new_only:
            self.new_only = False
            self.reload(index=0)
        self.view = view

    # -- sources: fetch (F), paste (P), the New view (N); see reader/tui/sources.py
    def action_fetch(self, quiet: bool = False) -> None:
        fetching.start_fetch(self, quiet)

    def action_paste(self) -> None:
        fetching.paste(self)

    def on_paste(self, event: events.Paste) -> None:
        """The terminal's paste on the list or the detail (a field takes its own): import it,
        as P imports the system clipboard (trial 10: ignored, and over SSH P has no clipboard)."""
        if self.focused in (self.paper_list, self.detail) and event.text.strip():
            event.stop()
            fetching.import_pasted(self, event.text)

    def action_new_view(self) -> None:
        if not self.new_keys and not self.new_only:
            self.notify("No new papers: F fetches the sources in config.toml, P imports the clipboard")
            return
        self.new_only = not self.new_only
        self.reload(index=0)

    def watch_view(self, old: str, new: str) -> None:
        self.reload(keep_key=self.paper_list.current_key, index=0)

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        self.set_focus(search)  # at once: letters typed right after / are the query, not commands
        self._warm_search()

    @work(thread=True, exclusive=True, group="warm")
    def _warm_search(self) -> None:
        self.triage.warm_search()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.search_text = event.value  # the first hits come from the index at once

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            event.input.display = False
        self.set_focus(self.paper_list)  # (SearchBox has moved it already)

    def watch_search_text(self, old: str, new: str) -> None:
        self.reload(keep_key=self.paper_list.current_key, index=0, settle=TYPING_SETTLE)

    def action_undo(self) -> None:
        keys = self.triage.undo()
        if not keys:
            self.notify(self.triage.last_step, markup=False)
            return
        self.after_change(keep_key=keys[0])
        self.notify(self.triage.last_step + " · U redoes", timeout=4, markup=False)

    def action_switch_focus(self) -> None:
        # set_focus now, not focus() (which waits in the queue): keys typed right after tab,
        # already queued, go to the pane tab moved to
        if self.focused is self.paper_list and self.detail.display:
            self.set_focus(self.detail)
        else:
            self.set_focus(self.paper_list)

    def action_toggle_detail(self) -> None:
        self.detail.display = not self.detail.display
        self.query_one("#panes").set_class(not self.detail.display, "no-detail")
        if not self.detail.display:
            self.paper_list.focus()

    def action_edit_note(self) -> None:
        key = self.paper_list.current_key
        if key is None:
            return
        from reader.tui.screens.dialogs import NoteEditor

        self.app.check_disk()  # open with what another instance may have written
        current = self.triage.state(key).note
        draft, elsewhere = drafts_of(self.triage.store.paths, key)
        if elsewhere:
            self.notify("Another reader is editing this note now: saving here will ask which to keep", timeout=6)
        if draft is None:
            self._edit_note(key, current)
        elif draft.get("base", current) == current:
            self._edit_note(key, current, draft["text"], NoteEditor.RESTORED)
        else:  # the note changed after the draft was taken: saving it asks which to keep
            self._edit_note(key, draft["base"], draft["text"],
                            "Restored the unsaved draft from when reader was closed; the note has changed "
                            "since: ctrl+s asks which to keep, esc discards the draft.")

    def _edit_note(self, key: str, base: str, draft: str | None = None, hint: str = "") -> None:
        """The note editor on ``key``: opened on ``base`` (the note it changes), showing
        ``draft`` instead when given, with ``hint`` saying why."""
        from reader.tui.screens.dialogs import NoteEditor

        title = self.triage.paper(key).title
        self.app.push_screen(NoteEditor(title, base, key=key, draft=draft, draft_hint=hint),
                             lambda note: self._note_done(key, note, base))

    def _note_done(self, key: str, note: str | None, base: str) -> None:
        """``note`` (None: discarded) written over ``base``: saved when nobody else changed
        the note meanwhile, else the user chooses. Until saved or discarded, the text is
        kept as a draft (a kill or a closed terminal while the choice is open loses nothing)."""
        from reader.tui.screens.dialogs import Conflict

        paths = self.triage.store.paths
        if note is None:
            drop_draft(paths, key)
            return
        self.app.check_disk()
        theirs = self.triage.state(key).note
        if theirs in (base, note):  # nobody else changed it meanwhile
            self._save_note(key, note)
            return
        save_draft(paths, key, note, base)

        def resolved(choice: str | None) -> None:
            if choice == "mine":
                self._save_note(key, note)
            elif choice == "both":
                self._save_note(key, theirs.rstrip("\n") + "\n\n" + note.lstrip("\n"))  # indentation kept
            elif choice == "theirs":
                drop_draft(paths, key)
            else:  # not decided: back to the editor, with the text typed
                self._edit_note(key, theirs, note, "The note changed elsewhere; your text is below: "
                                                   "ctrl+s saves it over theirs, esc discards it.")

        self.app.push_screen(Conflict("note", note, theirs), resolved)

    def _save_note(self, key: str, note: str) -> None:
        if self.triage.set_note(key, note):
            self.after_change(keep_key=key)
            if self.triage.store.readonly_reason:  # kept in memory; q writes it to a rescue file
                self.notify("Note changed here, but the data dir is read-only: it cannot be saved",
                            severity="warning", timeout=6)
            elif self.save_state == "error":  # the saver is failing (a full disk): say what is true
                self.notify("Note changed, not saved yet: the last save failed and is retried "
                            "(q keeps unsaved changes in a rescue file)", severity="warning", timeout=6)
            elif self._purged_meanwhile(key):  # (trial 9: "Note saved", and the note was nowhere)
                self.notify("Note saved, but another reader purged this paper meanwhile: the note is kept "
                            "and shows again if the paper is imported again", severity="warning", timeout=10)
            else:
                self.notify("Note saved", timeout=2)
        drop_draft(self.triage.store.paths, key)

    def _purged_meanwhile(self, key: str) -> bool:
        """The paper left the library while its note was being written (`reader purge` in
        another shell): seen now, not at the next look at the disk."""
        self.app.check_disk()  # what other processes wrote, folded in now
        return not self.triage.has(key)

    def action_edit_external(self) -> None:
        key = self.paper_list.current_key
        if key is None:
            return
        import shlex
        import subprocess

        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        try:
            command = shlex.split(editor)
        except ValueError as exc:
            command, why = [], f"cannot read it ({exc})"
        else:
            why = f"{command[0] if command else '(nothing)'} not found"
        if not command or shutil.which(command[0]) is None:  # before the terminal is handed over
            self.notify(clean(f"Cannot run {editor}: {why}; set $VISUAL or $EDITOR, or use n"),
                        severity="error", markup=False)
            return
        self.app.check_disk()
        note = self.triage.state(key).note
        # in the data directory, named in the drafts: a window closed while the editor runs
        # leaves the text written so far as a draft, mentioned at the next start (trial 10)
        where = self.app.paths.data_dir / "editing"
        try:
            where.mkdir(parents=True, exist_ok=True)
            fd, path = tempfile.mkstemp(prefix="reader-note-", suffix=".md", dir=where)
        except OSError:
            fd, path = tempfile.mkstemp(prefix="reader-note-", suffix=".md")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(note)
            save_draft(self.app.paths, key, note, note, file=Path(path))
            failed: Exception | None = None
            try:
                with self.app.suspend():
                    try:  # inside: an error here must not skip the app's resuming (it ended the app)
                        subprocess.call([*command, path])
                    except OSError as exc:
                        failed = exc
            except Exception as exc:  # SuspendNotSupported
                failed = exc
            if failed is not None:
                self.notify(clean(f"Cannot run {editor}: {failed or type(failed).__name__}"), severity="error",
                            markup=False)
                return
            with open(path, encoding="utf-8", errors="replace") as fh:
                new = fh.read()
        finally:
            drop_draft(self.app.paths, key)
            try:
                os.unlink(path)
            except OSError:
                pass
        self.app.refresh()
        if new != note:  # saved, or the choice if another instance changed the note meanwhile
            self._note_done(key, new.rstrip("\n"), note)

    def action_edit_tags(self) -> None:
        keys = self.paper_list.target_keys
        if not keys:
            return
        self.app.check_disk()
        opened = {k: list(self.triage.state(k).tags) for k in keys}
        common = common_tags(opened.values())
        from reader.tui.screens.dialogs import Conflict, TagsEditor, both_tag_lists

        def done(tags: list[str] | None) -> None:
            if tags is None:
                return
            self.app.check_disk()
            moved = [k for k in keys if self.triage.state(k).tags != opened[k]]
            # several papers: only the tags they all had were shown; the others are kept
            added, removed = tag_edits(tags, common)
            if not moved:
                self._change_tags(keys, added, removed)
                return
            theirs = sort_tags(unique_tags(t for k in moved for t in self.triage.state(k).tags))

            def resolved(choice: str | None) -> None:
                if choice == "mine":
                    self._change_tags(keys, added, removed, opened)
                elif choice == "both":  # the union of the two lists, this editor's first
                    now = {k: list(self.triage.state(k).tags) for k in keys}
                    self._change_tags(keys, [], [], both_tag_lists(opened, now, added, removed))

            self.app.push_screen(Conflict("tags", ", ".join(tags), ", ".join(theirs)), resolved)

        title = self.triage.paper(keys[0]).title if len(keys) == 1 else ""
        self.app.push_screen(TagsEditor(len(keys), common, title), done)

    def _change_tags(self, keys: list[str], added: list[str], removed: list[str],
                     base: dict[str, list[str]] | None = None) -> None:
        if self.triage.change_tags(keys, added, removed, base):
            self.after_change(keep_key=self.paper_list.current_key)

    def action_copy_citation(self, fmt: str | None = None) -> None:
        keys = self.paper_list.target_keys
        if keys:
            self.cite(keys, fmt or self.app.config.cite_format)

    def cite(self, keys: list[str], fmt: str, looked_up: bool = False) -> None:
        """Copy the citation of ``keys``; incomplete papers are first looked up (their
        keys would change later) for a few seconds in a worker: esc copies at once."""
        todo = [] if looked_up or self.resolving else to_complete(self.triage, keys)
        if todo and lookup_seconds() > 0:
            self.resolving, self._resolve_cancel = True, False
            n = len(todo)
            self.notify(f"Looking up {n} incomplete paper{'s' if n != 1 else ''} before copying "
                        "(esc copies now)", timeout=3)
            self._cite_waiting = (keys, fmt)
            self._complete_then_cite(keys, fmt)
            return
        try:
            text, label, warnings = citation(self.triage, keys, fmt)
        except Exception as exc:  # never let a citation problem cost the session
            self.notify(f"Could not build the citation: {exc}", severity="error")
            return
        self.refresh_after_pin()
        for w in warnings:
            self.notify(w, severity="warning", timeout=6)
        self.copy_text(text, label)

    @work(thread=True, exclusive=True, group="resolve")
    def _complete_then_cite(self, keys: list[str], fmt: str) -> None:
        try:
            note = complete(self.triage, keys, cancelled=lambda: self._resolve_cancel)
        except Exception as exc:  # never let the network cost the copy
            note = f"lookup failed ({exc})"
        self.triage.catalogue.release()
        self.app.call_from_thread(self._looked_up, keys, fmt, note)

    def _looked_up(self, keys: list[str], fmt: str, note: str) -> None:
        self.resolving = False
        if self._cite_waiting is None:  # esc copied already: show what was found, copy nothing
            self.refresh_after_pin()
            return
        self._cite_waiting = None
        if note:
            self.notify(f"Lookup: {note}", timeout=4)
        self.cite(keys, fmt, looked_up=True)

    def copy_text(self, text: str, label: str) -> None:
        """OSC 52 now, the system clipboard in a worker, then one notification line."""
        text = safe_text(text)
        self.last_copy = text
        self.app.copy_to_clipboard(text)
        self._system_copy(text, label, self.app.osc52_sent)

    def refresh_after_pin(self) -> None:
        self.paper_list.refresh_rows()
        self.show_detail_now()

    @work(thread=True, exclusive=True, group="clipboard")
    def _system_copy(self, text: str, label: str, osc_sent: bool) -> None:
        result = system_copy(text)
        message, ok = describe(label, result, osc_sent, tmux_set_clipboard())
        self.app.call_from_thread(self.notify, message, severity="information" if ok else "warning", timeout=5 if ok else 10)

    def action_pick_format(self) -> None:
        from reader.tui.screens.dialogs import FormatPicker

        def chosen(fmt: str | None) -> None:
            if fmt:
                self.action_copy_citation(fmt)

        self.app.push_screen(FormatPicker(self.app.config.cite_format), chosen)

    def action_view_copied(self) -> None:
        if not self.last_copy:
            self.notify("Nothing copied yet: press y to copy a citation")
            return
        from reader.tui.screens.dialogs import TextViewer

        self.app.push_screen(TextViewer("Copied text (select with the mouse, or w to save)", self.last_copy))

    def action_open_browser(self) -> None:
        key = self.paper_list.current_key
        if key is None:
            return
        self._open(paper_url(self.triage.paper(key)))

    @work(thread=True, group="browser")
    def _open(self, url: str) -> None:
        import webbrowser

        try:
            ok = webbrowser.open(url)
        except Exception:
            ok = False
        self.app.call_from_thread(self._opened, url, None if ok else system_copy(url))

    def _opened(self, url: str, copied) -> None:
        if copied is None:
            self.notify(f"Opened {url}", timeout=3)
            return
        self.last_copy = url  # no browser: one line, and the link on the clipboard
        self.app.copy_to_clipboard(url)
        done = "link copied" if copied.ok or self.app.osc52_sent else "the link is"
        self.notify(f"No browser; {done}: {url}", severity="warning", timeout=10)

    # -- store feedback (called on the UI thread) -----------------------------
    def save_failed(self, message: str) -> None:
        self.save_state = "error"
        self.update_header()
        self.notify(message + " — kept in memory, retrying", severity="error", timeout=10)

    def disk_changed(self, changed: list[str], new: int) -> None:
        """Another process changed marks or added papers: show them, cursor kept."""
        self.after_change(keep_key=self.paper_list.current_key)
        if new:
            self.notify(f"{new} new paper{'s' if new != 1 else ''} (added elsewhere)", timeout=4)

    def save_recovered(self) -> None:
        if self.save_state == "error":
            self.save_state = ""
            self.update_header()
            self.notify("All changes saved", timeout=3)

    # -- resolving metadata from the web ---------------------------------------
    def action_resolve(self) -> None:
        if self.resolving:
            self.notify("Already looking papers up; esc cancels")
            return
        keys = self.paper_list.target_keys if self.paper_list.selected else self.triage.keys_at(self.paper_list.rows)
        papers = [self.triage.paper(k) for k in keys]
        papers = [p for p in papers if not (p.arxiv_id and p.authors and p.year)]
        if not papers:
            self.notify("Every paper here already has an arXiv id, authors and a year")
            return
        self.resolving = True
        self._resolve_cancel = False
        self.mount_bars()
        bar = self.query_one("#resolve-progress", ProgressBar)
        bar.update(total=len(papers), progress=0)
        self.query_one("#resolve-label", Static).update(Content(f" Looking up {len(papers)} papers (esc cancels) "))
        self.query_one("#resolve-bar").display = True
        self._resolve(papers)

    @work(thread=True, exclusive=True, group="resolve")
    def _resolve(self, papers) -> None:
        from reader.resolve.resolver import Resolver, make_client

        client = make_client(self.triage.store.paths.data_dir / "cache" / "http")

        def apply(found) -> None:
            self.triage.update_papers(found)  # library write: off the UI thread
            self.app.call_from_thread(self._resolved_some)

        def progress(done: int, total: int, eta: float) -> None:
            self.app.call_from_thread(self.query_one("#resolve-progress", ProgressBar).update, progress=done)

        try:
            summary = Resolver(client).run(papers, apply=apply, progress=progress, cancelled=lambda: self._resolve_cancel)
            message, severity = summary.line(), "warning" if summary.offline else "information"
        except Exception as exc:  # never let the network take the session down
            message, severity = f"Lookup failed: {exc}", "error"
        self.triage.catalogue.release()
        self.app.call_from_thread(self._resolve_done, message, severity)

    def _resolved_some(self) -> None:
        self.paper_list.refresh_rows()
        self.show_detail_now()

    def _resolve_done(self, message: str, severity: str) -> None:
        self.resolving = False
        self.query_one("#resolve-bar").display = False
        self.after_change(keep_key=self.paper_list.current_key)
        self.notify(message, severity=severity, timeout=8)
