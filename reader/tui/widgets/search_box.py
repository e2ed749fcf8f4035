"""The search box: Textual's Input, without a screen layout per keystroke, and leaving
at once on Enter."""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Input

from reader.tui.widgets.in_order import KeysInOrder, pasted_text


class SearchBox(KeysInOrder, Input):
    """Textual's Input sets its ``virtual_size`` reactive on every change of its value, and
    that reactive lays out the whole screen (every widget, every line redrawn: 30-90 ms of a
    keystroke at a big library, the largest part of it). The box's own size never depends on
    its text (it is docked, 3 rows high), so the same value is set without the layout.

    Enter hands the focus to ``leave_to()`` at once, and keys typed after Enter that were
    already queued for the box (``/kern`` Enter ``jjj`` in one burst: a fast typist, a paste)
    go to that widget instead of into the query (they bubble up to ``ReaderApp._on_key``,
    which reads a key again when the widget it was handed to lost the focus). Backspace and
    the arrows, typed at once with letters, act in their place among them (a binding ran only
    after the letters queued behind it: "/learnx", backspace, enter searched "learnx"); a
    paste is cleaned of escape sequences."""

    def __init__(self, *args, leave_to: Callable[[], Widget | None] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.leave_to = leave_to

    def _watch_value(self, value: str) -> None:
        self.set_reactive(Widget.virtual_size, Size(self.content_width, 1))
        super()._watch_value(value)

    async def action_submit(self) -> None:
        await super().action_submit()
        target = self.leave_to() if self.leave_to is not None else None
        if target is not None and self.screen.focused is self:
            self.screen.set_focus(target)

    async def _on_key(self, event: events.Key) -> None:
        if self.screen.focused is not self:  # typed after Enter, queued here before the focus moved:
            event.prevent_default()  # not a letter of the query; ReaderApp._on_key hands it on
            return
        if event.key == "enter":  # here, not as the binding: that runs only after the keys queued behind it
            event.stop()
            event.prevent_default()
            await self.action_submit()
            return
        await super()._on_key(event)  # backspace, the arrows: in turn with the letters (KeysInOrder)

    def _on_paste(self, event: events.Paste) -> None:
        event.text = pasted_text(event.text).replace("\t", " ").replace("\n", " ")  # no escape reaches the terminal
