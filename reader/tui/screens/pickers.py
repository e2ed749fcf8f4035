"""Small pickers: a tag to view, a path to save to."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from reader.state import tag_id
from reader.text import clean, plural
from reader.tui.screens.dialogs import DialogInput, DialogOptionList


class TagPicker(ModalScreen[str | None]):
    """``#``: pick a tag; its papers become the view."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="tag_picker_cancel")]

    def __init__(self, tags: dict[str, int], current: str | None = None) -> None:
        super().__init__()
        self.tags = tags
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content("Show the papers tagged…"), classes="dialog-title")
            yield DialogOptionList(
                *[Option(Content.assemble((f"#{clean(t)}", "bold"), f"  {plural(n, 'paper')}"), id=t)
                  for t, n in self.tags.items()],
                id="tags-list", choose=self.dismiss,
            )
            yield Static(Content("enter shows · esc cancels · 1 goes back to All"), classes="dialog-hint")

    def on_mount(self) -> None:
        opts = self.query_one(OptionList)
        ids = [tag_id(t) for t in self.tags]  # the view's tag, whatever its case
        current = tag_id(self.current) if self.current is not None else None
        opts.highlighted = ids.index(current) if current in ids else 0
        opts.focus()

    def action_cancel(self) -> None:
        self.dismiss(None)


class PathPrompt(ModalScreen[Path | None]):
    """Ask where to save; enter accepts (``~`` expands, a directory gets ``default_name``)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="path_cancel")]

    def __init__(self, question: str, default: Path, default_name: str) -> None:
        super().__init__()
        self.question = question
        self.default = default
        self.default_name = default_name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(self.question), classes="dialog-title")
            yield DialogInput(str(self.default), id="path-input", submit=self.accept)
            yield Static(Content("enter saves · esc cancels"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(DialogInput).focus()

    def accept(self, value: str) -> None:
        value = value.strip()
        if not value:
            return
        path = Path(value).expanduser()
        if path.is_dir():
            path = path / self.default_name
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
