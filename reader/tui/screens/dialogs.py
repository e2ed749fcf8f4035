"""Small modal screens: note editor, tags, confirm, citation format, text viewer."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from reader.citations import FORMAT_LABELS


class Confirm(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm_yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm_no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(self.question))
            with Horizontal(classes="buttons"):
                yield Button("Yes (y)", id="yes", variant="error")
                yield Button("No (n)", id="no", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class NoteEditor(ModalScreen[str | None]):
    """ctrl+s saves, esc cancels; an edited note is never dropped without asking."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note_save"),
        Binding("escape", "cancel", "Cancel", id="note_cancel"),
    ]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.paper_title = title
        self.original = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Content.assemble(("Note: ", "bold"), self.paper_title), classes="dialog-title")
            yield TextArea(self.original, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Static(Content("ctrl+s save · esc cancel · Markdown"), classes="dialog-hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def action_save(self) -> None:
        self.dismiss(self.text)

    def action_cancel(self) -> None:
        if self.text == self.original:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(Confirm("Discard the changes to this note?"), answered)


class TagsEditor(ModalScreen[list[str] | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="tags_cancel")]

    def __init__(self, count: int, tags: list[str]) -> None:
        super().__init__()
        self.count = count
        self.tags = tags

    def compose(self) -> ComposeResult:
        what = "this paper" if self.count == 1 else f"{self.count} selected papers"
        with Vertical(classes="dialog"):
            yield Label(Content(f"Tags for {what} (comma separated; enter saves, esc cancels)"))
            yield Input(", ".join(self.tags), id="tags-input", placeholder="e.g. sae, interpretability")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss([t.strip() for t in event.value.split(",") if t.strip()])

    def action_cancel(self) -> None:
        self.dismiss(None)


class FormatPicker(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="format_cancel")]

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content("Copy citation as…"))
            yield OptionList(*[Option(label, id=fmt) for fmt, label in FORMAT_LABELS.items()], id="formats")

    def on_mount(self) -> None:
        opts = self.query_one(OptionList)
        opts.highlighted = list(FORMAT_LABELS).index(self.current) if self.current in FORMAT_LABELS else 0
        opts.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextViewer(ModalScreen[None]):
    """Shows copied text to select by hand, and saves it to a file (w)."""

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="viewer_close"),
        Binding("w", "save", "Save to file", id="viewer_save"),
    ]

    def __init__(self, title: str, text: str, save_dir: Path | None = None, name: str = "citation.txt") -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        self.save_dir = save_dir  # where the path prompt starts; None = the current directory
        self.file_name = name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Content(self.title_text), classes="dialog-title")
            yield TextArea(self.text, read_only=True, id="viewer-text")
            yield Static(Content("w save to a file · esc close"), classes="dialog-hint")

    def action_save(self) -> None:
        """Ask for the path (default: the current directory); ask again before overwriting."""
        from reader.tui.screens.pickers import PathPrompt

        def write(target: Path) -> None:
            from reader.storage.atomic import atomic_write_text

            try:
                atomic_write_text(target, self.text)
            except OSError as exc:
                self.notify(f"{target}: {exc.strerror or exc}", severity="error")
                return
            self.notify(f"Saved to {target}")

        def chosen(target: Path | None) -> None:
            if target is None:
                return
            if target.exists():
                self.app.push_screen(Confirm(f"{target} exists. Replace it?"), lambda yes: yes and write(target))
            else:
                write(target)

        start = (self.save_dir or Path.cwd()) / self.file_name
        self.app.push_screen(PathPrompt("Save the copied text to:", start, self.file_name), chosen)

    def action_close(self) -> None:
        self.dismiss(None)
