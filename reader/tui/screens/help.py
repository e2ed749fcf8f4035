"""The help screen (``?`` / F1): every key, generated from the live bindings so a
remapped key shows as remapped."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.keymap import NO_KEY

INTRO = (
    "reader — triage papers at keyboard speed. Marks: ● unread  ★ starred  ◷ later  ✎ note  ▌ selected.\n"
    "With a selection (space), r s l t y act on all selected papers. ctrl+p lists every action.\n"
)


KEYS = {"right_square_bracket": "]", "left_square_bracket": "[", "number_sign": "#", "question_mark": "?"}


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close", id="help_close"),
        # vim keys beside the arrows, as in the list (trial 9: j and k did nothing here)
        Binding("j", "scroll(1)", "Down", show=False),
        Binding("k", "scroll(-1)", "Up", show=False),
        Binding("ctrl+f,space", "page(1)", "Page down", show=False),
        Binding("ctrl+b", "page(-1)", "Page up", show=False),
        Binding("g", "ends(0)", "Top", show=False),
        Binding("G", "ends(1)", "Bottom", show=False),
    ]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = [self._row(keys, text) for keys, text in rows]

    @staticmethod
    def _row(keys: str, text: str) -> tuple[str, str]:
        """A binding whose keys [keymap] gave to other actions has none (NO_KEY): still an
        action of the command palette."""
        names = [KEYS.get(k, k) for k in keys.split(", ") if k != NO_KEY]
        if not names:
            return "—", f"{text} (no key: ctrl+p)"
        return ", ".join(names), text

    def compose(self) -> ComposeResult:
        parts: list = [(INTRO, "dim"), "\n"]
        width = max((len(k) for k, _ in self.rows), default=8) + 2
        for keys, description in self.rows:
            parts += [(f"{keys:<{width}}", "bold $accent"), description, "\n"]
        parts.append(("\nesc closes this help", "dim"))
        with VerticalScroll(classes="dialog wide", id="help"):
            yield Static(Content.assemble(*parts))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, lines: int) -> None:
        self.query_one("#help", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_page(self, pages: int) -> None:
        box = self.query_one("#help", VerticalScroll)
        box.scroll_relative(y=pages * max(1, box.scrollable_content_region.height - 1), animate=False)

    def action_ends(self, end: int) -> None:
        box = self.query_one("#help", VerticalScroll)
        (box.scroll_end if end else box.scroll_home)(animate=False)
