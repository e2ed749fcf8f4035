"""The search box: Textual's Input, without a screen layout per keystroke."""

from __future__ import annotations

from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Input


class SearchBox(Input):
    """Textual's Input sets its ``virtual_size`` reactive on every change of its value, and
    that reactive lays out the whole screen (every widget, every line redrawn: 30-90 ms of a
    keystroke at a big library, the largest part of it). The box's own size never depends on
    its text (it is docked, 3 rows high), so the same value is set without the layout."""

    def _watch_value(self, value: str) -> None:
        self.set_reactive(Widget.virtual_size, Size(self.content_width, 1))
        super()._watch_value(value)
