"""The key-hint footer, without Textual's per-key restyling at mount.

Textual's ``FooterKey.compact`` defaults to True while the ``Footer`` defaults to
False, so every key hint is styled compact at mount and restyled back when the
footer's value is bound to it: two style passes per hint, about half of a small
library's first paint. Here the key's default matches the footer's, so binding it
changes nothing and nothing is restyled.
"""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class _Key(FooterKey):
    compact = reactive(False)


class ReaderFooter(Footer):
    def compose(self):
        for widget in super().compose():
            # the command-palette key is not bound to the footer's value: it stays compact
            if type(widget) is FooterKey and not widget.has_class("-command-palette"):
                widget.__class__ = _Key  # created by Footer.compose, not mounted yet
            yield widget
