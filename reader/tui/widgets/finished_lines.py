"""Each line of a Line-API pane styled once, not once a frame.

Textual turns a widget's line into the line it draws (padding, border, the widget's
background, then the app's colour filter) in a cache of its own kept by screen row: a line
that moves to another row, or comes back on screen, is styled again. Each styling makes two
new Strips (each with seven small caches) and walks every segment of the line; for the
detail pane's 38 lines on every ``j`` that was a large part of the key.

:class:`FinishedLines` keeps the finished line for each of the pane's own Strip objects
instead, whatever row it is on, and lets the pane finish lines ahead of time: the detail
pane finishes the next paper's lines while keys pause, the list finds its rows finished
when it scrolls by a row. Only for panes whose lines are all alike (no top or bottom border
or padding, no outline, no border titles); anything else goes through Textual's own path,
as does everything if Textual's styling of a line cannot be called as expected. A test
checks that both paths draw the same lines.
"""

from __future__ import annotations

from textual.geometry import Region
from textual.strip import Strip

KEPT = 1500  # finished lines kept: the screen's, the detail's next papers', a list's neighbours


class FinishedLines:
    """Mixin for a ``Widget`` whose ``render_line`` returns Strips it keeps."""

    _finished: dict[int, tuple[Strip, Strip]] | None = None
    _finished_for: tuple | None = None
    _finishing: tuple | None = None  # (key, arguments of StylesCache.render_line, filters, background)
    _blank: tuple | None = None
    finished_lines_work = True  # False once Textual's styling could not be called: its own path then

    def _finish_setup(self) -> tuple | None:
        """What finishing a line depends on, or None when the lines are not all alike."""
        if not self.finished_lines_work or not self.is_mounted:
            return None
        styles = self.styles
        gutter = styles.gutter
        if (gutter.top or gutter.bottom or self._border_title is not None or self._border_subtitle is not None
                or any(edge for edge, _color in styles.outline)):
            return None
        if self.auto_links and self.hover_style._link_id:
            return None
        size = self.region.size
        content_size = self.content_region.size
        if not size.height or not content_size.height:
            return None
        base_background, background = self.background_colors
        app = self.app
        filters = tuple(self.get_line_filters())
        padding = styles.padding
        key = (size, content_size, padding, base_background, background, self.opacity, styles.border,
               styles.tint, styles.text_opacity, styles.hatch if styles.has_rule("hatch") else None,
               app.ansi_theme, app.native_ansi_color, filters)
        if self._finishing is None or self._finishing[0] != key:
            self._finishing = (key, (styles, size, content_size, padding, base_background, background),
                               (self.opacity, app.ansi_theme, app.native_ansi_color), filters, background)
        return self._finishing

    def finished(self, line: Strip, setup: tuple | None = None) -> Strip | None:
        """``line`` as Textual draws it in this pane (None when it cannot tell). ``setup``:
        :meth:`_finish_setup`'s answer, when the caller finishes many lines at once."""
        setup = setup or self._finish_setup()
        if setup is None:
            return None
        key, (styles, size, content_size, padding, base_background, background), last, filters, bg = setup
        if self._finished is None or self._finished_for != key:
            self._finished = {}
            self._finished_for = key
        found = self._finished.get(id(line))
        if found is not None and found[0] is line:
            return found[1]
        try:  # StylesCache.render_line for one content row (row 0: no top border or padding here)
            strip = self._styles_cache.render_line(styles, 0, size, content_size, padding, base_background,
                                                   background, lambda _y: line, None, None, *last)
        except TypeError:  # another Textual's signature: its own path from now on
            self.finished_lines_work = False
            return None
        for line_filter in filters:
            strip = strip.apply_filter(line_filter, bg)
        if len(self._finished) >= KEPT:
            del self._finished[next(iter(self._finished))]  # the oldest
        self._finished[id(line)] = (line, strip)
        return strip

    def blank_line(self, width: int, style) -> Strip:
        """A blank line, the same Strip each time (a new one would be finished again)."""
        key = (width, style)
        if self._blank is None or self._blank[0] != key:
            self._blank = (key, Strip.blank(width, style))
        return self._blank[1]

    def finish_ahead(self, lines: list[Strip]) -> None:
        """Finish lines that will be shown soon (while keys pause)."""
        setup = self._finish_setup()
        if setup is not None:
            for line in lines:
                self.finished(line, setup)

    def render_lines(self, crop: Region) -> list[Strip]:
        setup = self._finish_setup()
        if setup is None:
            return super().render_lines(crop)
        lines = []
        for y in crop.line_range:
            strip = self.finished(self.render_line(y), setup)
            if strip is None:
                return super().render_lines(crop)
            lines.append(strip)
        width = self.region.width
        if crop.column_span != (0, width):
            x1, x2 = crop.column_span
            lines = [line.crop(x1, x2) for line in lines]
        return lines
