"""What the app's Line-API panes share."""

from __future__ import annotations

from math import ceil

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip
from textual.widget import _RenderCache

from reader.tui.widgets.finished_lines import FinishedLines

EIGHTHS = 8  # a scrollbar draws its thumb's ends in eighths of a cell
CELLS_KEPT = 256  # distinct scrollbar cells kept (a bar shows a few: track, thumb, its two ends)
DEFAULT_BACK, DEFAULT_BAR = Color.parse("#555555"), Color.parse("bright_magenta")  # as ScrollBarRender


def exact_strip(segments: list[Segment], width: int, style: Style) -> Strip:
    """The segments as one line of exactly ``width`` cells, padded with ``style``: one Strip
    made, where ``Strip(segments).adjust_cell_length(width)`` makes two."""
    cells = sum(segment.cell_length for segment in segments)
    if cells < width:
        segments.append(Segment(" " * (width - cells), style))
    elif cells > width:
        return Strip(segments, cells).adjust_cell_length(width, style)
    return Strip(segments, width)


class ThriftyScrollBar(FinishedLines, ScrollBar):
    """A vertical scrollbar whose thumb moves by redrawing only the cells that change.

    Textual redraws a whole scrollbar when its thumb moves or its range changes, and each
    redrawn line costs as much as a line of text (about 0.1 ms): on every ``j`` the detail
    pane's range changes, and its scrollbar cost as much as the new paper's text. A thumb
    that grows, shrinks or moves a little changes a cell or two. Anything else (a new style
    on focus or hover, a resize) still redraws the whole bar, as Textual does."""

    _cell_strips: dict[tuple, Strip]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # the Strip of each distinct cell, reused from frame to frame (with what Textual
        # caches on it: its filtered and divided copies)
        self._cell_strips = {}

    def _cells(self) -> tuple:
        """What each cell shows: the part of it the thumb covers, in eighths, as
        ``ScrollBarRender.render_bar`` computes it (None for a bar without a thumb)."""
        size = self.size.height
        virtual = ceil(self.window_virtual_size)
        window = ceil(self.window_size if self.window_size < self.window_virtual_size else 0)
        if not (window and size and virtual and size != virtual):
            return (None,) * size
        thumb = max(1, window / (virtual / size))
        start = int((size - thumb) * (self.position / (virtual - window)) * EIGHTHS)
        end = start + ceil(thumb * EIGHTHS)
        return tuple((min(EIGHTHS, max(0, start - i * EIGHTHS)), min(EIGHTHS, max(0, end - i * EIGHTHS)))
                     for i in range(size))

    def _render_content(self) -> None:
        """All the cells, straight from ``render_bar``'s segments: Textual renders the bar
        through Rich (about 2 ms for 38 cells), for a partial redraw too. A test checks this
        gives exactly what Textual's own path gives."""
        width, height = self.size
        bar = self.render()
        if not (self.vertical and type(bar) is ScrollBarRender and isinstance(bar.style, Style)
                and self.styles.content_align == ("left", "top")):
            super()._render_content()
            return
        style, base = bar.style, self.visual_style.rich_style
        segments = bar.render_bar(size=height, virtual_size=bar.virtual_size, window_size=bar.window_size,
                                  position=bar.position, thickness=width, vertical=True,
                                  back_color=style.bgcolor or DEFAULT_BACK, bar_color=style.color or DEFAULT_BAR)
        cells = self._cell_strips
        if len(cells) > CELLS_KEPT:
            cells.clear()
        lines = []
        for seg in segments.segments:  # a bar has a handful of distinct cells: one Strip each
            key = (seg.text, seg.style, base, width)
            line = cells.get(key)
            if line is None:
                line = cells[key] = Strip([Segment(seg.text, base + seg.style)], width)
            lines.append(line)
        self._render_cache = _RenderCache(self.size, lines)
        self._dirty_regions.clear()

    def move_thumb(self, virtual: int | None = None, window: int | None = None, position: float | None = None) -> None:
        """Set the range, the window and the position; redraw the cells that change."""
        before = self._cells()
        for reactive, value in ((ScrollBar.window_virtual_size, virtual), (ScrollBar.window_size, window),
                                (ScrollBar.position, None if position is None else self.validate_position(position))):
            if value is not None:
                self.set_reactive(reactive, value)
        changed = [i for i, (a, b) in enumerate(zip(before, self._cells(), strict=True)) if a != b]
        if changed:
            self.refresh(Region(0, changed[0], self.size.width, changed[-1] - changed[0] + 1))


class SteadyScrollbar:
    """For a ``ScrollView`` that sets its own virtual size (from its rows or lines).

    ``set_virtual_height`` changes the scroll range without a layout of the screen: setting
    the ``virtual_size`` reactive lays out every widget again (on a key that shows a new
    paper or a new view, two extra frames, 25-90 ms). The pane's own size never depends on
    its content, so only its scrollbar needs drawing again, and of that only the cells where
    the thumb changed (see :class:`ThriftyScrollBar`; scrolling moves the thumb the same way).
    (When the scrollbar appears or goes, Textual's ``show_vertical_scrollbar`` still asks for
    the layout that needs.)

    Textual's ScrollView compares the layout's virtual size (the content region) with the one
    the widget set; they never match, so every screen layout (each key that updates the
    detail pane) redrew the whole scrollbar: a third of a key's cost. The scrollbar is
    updated only when the size, the virtual size or the container really changed."""

    _sized: tuple | None = None
    _width_for: tuple | None = None  # (size, container) that _width_is was worked out for
    _width_is = 0

    _line_width_is = 0

    def content_width(self, fallback: int = 0) -> int:
        """The width of the text (the pane less its padding and scrollbar). Asked for every
        line drawn, so worked out again only when the pane's size, its container or its
        styles changed (``scrollable_content_region`` builds regions on every call)."""
        self._measure(fallback)
        return self._width_is

    def line_width(self, fallback: int = 0) -> int:
        """The width Textual draws each line at: the text's and the scrollbar's column (the bar
        is drawn over it). A line made that wide is drawn as it is; one a cell short was
        copied, padded, by Textual for every line of every frame."""
        self._measure(fallback)
        return self._line_width_is

    def _measure(self, fallback: int) -> None:
        sized = (self._size, self._container_size)
        if self._width_for != sized:
            self._width_for = sized
            self._width_is = self.scrollable_content_region.width or max(0, self.size.width - fallback)
            self._line_width_is = max(self._width_is, self.content_region.width)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._width_for = None

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """A :class:`ThriftyScrollBar` (Textual makes a plain one on first use)."""
        if self._vertical_scrollbar is None:
            self._vertical_scrollbar = bar = ThriftyScrollBar(vertical=True, name="vertical",
                                                               thickness=self.scrollbar_size_vertical)
            bar.display = False
            self.app._start_widget(self, bar)
        return self._vertical_scrollbar

    def set_virtual_height(self, width: int, height: int) -> None:
        size = Size(width, height)
        if size == self.virtual_size:
            return
        self.set_reactive(type(self).virtual_size, size)
        bar = self.vertical_scrollbar
        if self.show_horizontal_scrollbar or not isinstance(bar, ThriftyScrollBar):
            self._scroll_update(size)  # Textual's way: the whole bar redrawn
            return
        self._refresh_scrollbars()  # shown or hidden as the new range needs (a layout if it changes)
        if self.show_vertical_scrollbar and self.styles.scrollbar_size_vertical:
            bar.move_thumb(virtual=height, window=self.container_size.height - self.scrollbar_size_horizontal)
        self.scroll_y = self.validate_scroll_y(self.scroll_y)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        bar = self._vertical_scrollbar
        if isinstance(bar, ThriftyScrollBar) and self.show_vertical_scrollbar:
            bar.move_thumb(position=new_value)  # then Textual's own setting finds nothing to redraw
        super().watch_scroll_y(old_value, new_value)

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        state = (size, self.virtual_size, container_size)
        if state == self._sized:
            return False
        self._sized = state
        return super()._size_updated(size, virtual_size, container_size, layout)
