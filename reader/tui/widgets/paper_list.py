"""The paper list: a Line-API widget that stays instant at a million rows.

Rows are positions in the library (a ``range``, an array, or a computed sequence:
never a list of papers). Only the visible rows are ever rendered (``render_line``),
each from the paper's title and marks; titles come from the catalogue in windows of
rows (:meth:`Triage.row`), and the segments are cached until the data changes.
Titles are plain strings turned into Segments, never parsed as markup, and
cleaned of control characters.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.text import clean
from reader.triage import Triage
from reader.tui.widgets.finished_lines import FinishedLines
from reader.tui.widgets.scrolling import SteadyScrollbar, exact_strip

MARK_WIDTH = 6  # "▌●★◷✎ "
COLUMNS_MIN = 72  # list width from which date and upvote columns show
DATE_WIDTH, VOTES_WIDTH = 10, 5


def columns(date: str, upvotes: int | None) -> str:
    """The right-hand columns: date (ISO, or as the page said it) and upvotes."""
    date = clean(date)[:DATE_WIDTH]
    votes = "" if upvotes is None else f"▲{upvotes}"
    return f" {date:<{DATE_WIDTH}} {votes:>{VOTES_WIDTH}}"


class PaperList(FinishedLines, SteadyScrollbar, ScrollView, can_focus=True):
    """Rows are library positions; the screen decides which and in what order."""

    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--read",
        "paper-list--unread-mark",
        "paper-list--star",
        "paper-list--later",
        "paper-list--note",
        "paper-list--match",
        "paper-list--selected",
        "paper-list--empty",
        "paper-list--column",
    }
    BINDINGS = [
        Binding("j,down", "cursor_down", "Next", show=False, id="cursor_down"),
        Binding("k,up", "cursor_up", "Prev", show=False, id="cursor_up"),
        Binding("g,home", "first", "First", show=False, id="first"),
        Binding("G,end", "last", "Last", show=False, id="last"),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False, id="page_down"),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False, id="page_up"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)  # watch_cursor repaints

    class Highlighted(Message):
        """The cursor moved to another paper (key is None when the list is empty)."""

        def __init__(self, paper_list: PaperList, key: str | None) -> None:
            super().__init__()
            self.paper_list = paper_list
            self.key = key

    def __init__(self, triage: Triage, **kwargs) -> None:
        super().__init__(**kwargs)
        self.triage = triage
        self.rows: Sequence[int] = []
        self.selected: set[str] = set()
        self.query_words: list[str] = []
        self.empty_text = "No papers in this view."
        # (position, width, highlighted, focused) -> the row's Strip, while _cache_basis holds
        self._cache: LRUCache[tuple, Strip] = LRUCache(1024)
        self._cache_basis: tuple = ()
        self._marks_seen = -1  # the triage's mark generation the kept Strips show
        self._style_key: tuple | None = None
        self._style_cache: dict[str, Style] = {}
        self._prefetched: tuple | None = None  # (rows, (top, height)): the screenful last read at once
        # the paper being read while the rows do not hold it yet (the first rows of a big
        # sort): keys act on it and no row is highlighted, until the rows come or the cursor moves
        self.pinned_key: str | None = None
        # called at once when the cursor moves (the screen shows the detail in the same
        # frame); Highlighted is posted as well, for everything that can wait
        self.on_cursor: Callable[[str | None], None] | None = None

    # -- data --------------------------------------------------------------
    def set_rows(self, rows: Sequence[int], keep_key: str | None = None, index: int | None = None,
                 more_of_the_same: bool = False) -> None:
        """Show ``rows``; put the cursor on ``keep_key`` if present, else at ``index``.
        ``more_of_the_same``: the rows complete the ones shown (a search or sort finished in a
        worker), the marks have not changed: when the rows on screen and the cursor stay, only
        the scrollbar is drawn again, not the whole list."""
        self.pinned_key = None
        top, height = round(self.scroll_offset.y), self.size.height
        unchanged = (more_of_the_same and len(rows) > 0
                     and list(self.rows[top:top + height]) == list(rows[top:top + height]))
        self.rows = rows
        # a row's Strip is kept by the paper's position, not the row's index: the papers
        # another view or sort shows too are not drawn again (a view switch redrew the
        # whole list); what changes their look besides clears it
        basis = (tuple(self.query_words), self.triage.rows_epoch)
        changed = self.triage.changed_since(self._marks_seen) if basis == self._cache_basis else None
        if changed is None:
            self._cache_basis = basis
            self._cache.clear()
        else:
            self._forget(changed)
        self._marks_seen = self.triage.generation
        self.set_virtual_height(self.size.width, len(rows))
        target = 0
        pos = self.triage.position(keep_key) if keep_key is not None else None
        if pos is not None:
            try:
                target = rows.index(pos)
            except ValueError:
                target = index if index is not None else self.cursor
        elif index is not None:
            target = index
        target = max(0, min(target, len(rows) - 1))
        if unchanged and target == self.cursor:
            return
        self.cursor = target
        self.refresh()

    def refresh_rows(self) -> None:
        """Marks changed: re-render what is visible."""
        self._cache.clear()
        self.refresh()

    def refresh_keys(self, keys: list[str]) -> None:
        """The marks of these papers changed: re-render their rows, not the list. Their
        Strips are dropped wherever they are (a paper off screen, marked through a selection
        or an undo, shows its new marks when a scroll or a view brings it back)."""
        wanted = set(keys)
        if len(wanted) > self._cache.maxsize:
            self.refresh_rows()
            return
        self._forget(wanted)
        top = round(self.scroll_offset.y)
        height = self.scrollable_content_region.height or self.size.height
        for row in range(top, min(top + height, len(self.rows))):
            if self.triage.key_at(self.rows[row]) in wanted:
                # only these rows are drawn again: the others keep their Strips (and the lines
                # finished from them), as every row on screen is asked for in each frame
                self.refresh_line(row)

    def _forget(self, keys: set[str]) -> None:
        """Drop the kept Strips of these papers."""
        if len(keys) > self._cache.maxsize:
            self._cache.clear()
            return
        width = self.content_width()
        for key in keys:
            pos = self.triage.position(key)
            if pos is not None:
                for highlighted in (False, True):
                    for focus in (False, True):
                        self._cache.discard((pos, width, highlighted, focus))

    def pin(self, key: str) -> None:
        """Keep acting on ``key`` (see ``pinned_key``); the highlight goes until it is found."""
        self.pinned_key = key
        self.refresh_line(self.cursor)

    def _highlighted(self, row: int) -> bool:
        return row == self.cursor and self.pinned_key is None

    @property
    def current_key(self) -> str | None:
        if self.pinned_key is not None:
            return self.pinned_key
        if not self.rows or not 0 <= self.cursor < len(self.rows):
            return None
        return self.triage.key_at(self.rows[self.cursor])

    @property
    def target_keys(self) -> list[str]:
        """The selection (in list order) when there is one, else the highlighted paper."""
        if self.selected:
            order = {}
            for key in self.selected:
                pos = self.triage.position(key)
                try:
                    order[key] = self.rows.index(pos) if pos is not None else None
                except ValueError:
                    order[key] = None
            shown = sorted((i, k) for k, i in order.items() if i is not None)
            return [k for _i, k in shown] or sorted(self.selected)
        key = self.current_key
        return [key] if key else []

    # -- cursor ------------------------------------------------------------
    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.rows) - 1)) if self.rows else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self.pinned_key = None  # the reader moved on
        top = round(self.scroll_offset.y)
        self.scroll_to_cursor()
        if round(self.scroll_offset.y) == top:  # no scroll: only the two rows change
            self.refresh_line(old)
            self.refresh_line(new)
        else:
            self.refresh()
        key = self.current_key
        if self.on_cursor is not None:  # same call stack as the key: drawn in the same frame
            self.on_cursor(key)
        self.post_message(self.Highlighted(self, key))

    def scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height or self.size.height
        if height <= 0:
            return
        top = round(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self._cache.clear()
        self.set_virtual_height(event.size.width, len(self.rows))
        self.scroll_to_cursor()

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.rows) - 1

    def _page(self) -> int:
        return max(1, (self.scrollable_content_region.height or self.size.height) - 1)

    def action_page_down(self) -> None:
        self.cursor += self._page()

    def action_page_up(self) -> None:
        self.cursor -= self._page()

    def on_click(self, event: events.Click) -> None:
        row = event.y + round(self.scroll_offset.y)
        if 0 <= row < len(self.rows):
            self.cursor = row
        self.focus()

    # -- rendering -----------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        row = y + round(self.scroll_offset.y)
        width = self.content_width()
        if row >= len(self.rows):
            lines = self._empty_lines(width) if not self.rows else []
            if row < len(lines):
                style = self._styles()["paper-list--empty"]
                return exact_strip([Segment(" " + lines[row], style)], self.line_width(), self.rich_style)
            return self.blank_line(self.line_width(), self.rich_style)
        key = (self.rows[row], width, self._highlighted(row), self.has_focus)
        cached = self._cache.get(key)
        if cached is None:
            self._prefetch()
            cached = self._render_row(row, width)
            self._cache[key] = cached
        return cached

    def _prefetch(self) -> None:
        """The rows on screen are read in one query, once per screenful (see Triage.prefetch)."""
        top, height = round(self.scroll_offset.y), self.size.height
        window = (top, height)
        if self._prefetched is None or self._prefetched[0] is not self.rows or self._prefetched[1] != window:
            self._prefetched = (self.rows, window)
            self.triage.prefetch(self.rows[top:top + height])

    def _empty_lines(self, width: int) -> list[str]:
        """The empty-view message, wrapped to the width (continuation lines keep their indent)."""
        out = []
        for line in self.empty_text.split("\n"):
            indent = " " * (len(line) - len(line.lstrip()))
            out += textwrap.wrap(line, max(10, width - 2), subsequent_indent=indent + "  ") or [""]
        return out

    def _styles(self) -> dict[str, Style]:
        """Component styles, resolved once per theme/focus rather than per row."""
        key = (self.app.theme, self.has_focus)
        if self._style_key != key:
            self._style_key = key
            self._style_cache = {name: self.get_component_rich_style(name) for name in self.COMPONENT_CLASSES}
            self._style_cache["base"] = self.rich_style
        return self._style_cache

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style_key = None
        self._cache.clear()

    def _render_row(self, row: int, width: int) -> Strip:
        key, title, date, upvotes = self.triage.row(self.rows[row])
        st = self.triage.state(key)
        styles = self._styles()
        base = styles["base"]
        if st.read:
            base = base + styles["paper-list--read"]
        if self._highlighted(row):
            base = base + styles["paper-list--cursor"]

        def comp(name: str) -> Style:
            return styles[name]
        sel = key in self.selected
        segs = [
            Segment("▌" if sel else " ", base + comp("paper-list--selected") if sel else base),
            Segment("●" if not st.read else " ", base + comp("paper-list--unread-mark")),
            Segment("★" if st.starred else " ", base + comp("paper-list--star")),
            Segment("◷" if st.later else " ", base + comp("paper-list--later")),
            Segment("✎" if st.note.strip() else " ", base + comp("paper-list--note")),
            Segment(" ", base),
        ]
        title = clean(title) or "(untitled)"
        cols = columns(date, upvotes) if width >= COLUMNS_MIN else ""
        room = max(0, width - MARK_WIDTH - len(cols))
        if cell_len(title) > room:
            title = set_cell_size(title, max(0, room - 1)) + "…" if room else ""
        segs += self._title_segments(title, base, base + comp("paper-list--match"))
        if cols:
            segs.append(Segment(" " * (room - cell_len(title)), base))
            segs.append(Segment(cols, base + comp("paper-list--column")))
        return exact_strip(segs, self.line_width(), base)

    def _title_segments(self, title: str, style: Style, match: Style) -> list[Segment]:
        if not self.query_words:
            return [Segment(title, style)]
        low = title.lower()
        if len(low) != len(title):
            return [Segment(title, style)]
        marks = [False] * len(title)
        for word in self.query_words:
            start = low.find(word)
            while start != -1:
                for i in range(start, min(start + len(word), len(title))):
                    marks[i] = True
                start = low.find(word, start + 1)
        segs: list[Segment] = []
        i = 0
        while i < len(title):
            j = i
            while j < len(title) and marks[j] == marks[i]:
                j += 1
            segs.append(Segment(title[i:j], match if marks[i] else style))
            i = j
        return segs

    def on_focus(self) -> None:
        self.refresh_rows()

    def on_blur(self) -> None:
        self.refresh_rows()
