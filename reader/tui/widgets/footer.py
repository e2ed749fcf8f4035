"""The key-hint footer, without Textual's per-key restyling at mount, and composed once
per change of the keys it shows.

Textual's ``FooterKey.compact`` defaults to True while the ``Footer`` defaults to
False, so every key hint is styled compact at mount and restyled back when the
footer's value is bound to it: two style passes per hint, about half of a small
library's first paint. Here the key's default matches the footer's, so binding it
changes nothing and nothing is restyled.

Textual's footer also recomposes (every hint removed, made and styled again: ~25 ms for
our eleven) after each "bindings updated" signal, and start-up sends several (the screen,
the focus, the app's focus) for the same keys. Here the recomposes asked for before a
refresh run once, and only when what the footer shows has changed.
"""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from reader.keymap import NO_KEY


class _Key(FooterKey):
    compact = reactive(False)


class ReaderFooter(Footer):
    _composed: tuple | None = None  # what the hints were made from (None: not yet)
    _recompose_pending = False

    def _shows(self) -> tuple | None:
        """Everything :meth:`Footer.compose` reads; None before the bindings are ready."""
        if not self._bindings_ready:
            return None
        app = self.app
        shown = tuple(
            (binding, enabled, tooltip, app.get_key_display(binding))
            for (_node, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if (binding.show and binding.key != NO_KEY) or binding.key == app.COMMAND_PALETTE_BINDING
        )
        return (shown, self.compact, self.show_command_palette, self.combine_groups, app.ENABLE_COMMAND_PALETTE)

    def bindings_changed(self, screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._recompose_pending:
            self._recompose_pending = True
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._recompose_pending = False
        if self.is_attached and self._shows() != self._composed:
            await self.recompose()

    def compose(self):
        self._composed = self._shows()
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.key == NO_KEY:  # [keymap] gave its keys away
                continue
            # the command-palette key is not bound to the footer's value: it stays compact
            if type(widget) is FooterKey and not widget.has_class("-command-palette"):
                widget.__class__ = _Key  # created by Footer.compose, not mounted yet
            yield widget
