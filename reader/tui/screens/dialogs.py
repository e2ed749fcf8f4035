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
from reader.drafts import drop_draft, save_draft
from reader.text import clean, strip_controls


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
    """ctrl+s saves, esc cancels; an edited note is never dropped without asking.

    The text typed is written as a draft (:mod:`reader.drafts`) a moment after each
    pause in typing, off the UI thread, so a SIGKILL or a power cut loses at most the
    last second. ``draft``: such text, shown instead of the stored note, with
    ``draft_hint`` saying where it comes from."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note_save"),
        Binding("escape", "cancel", "Cancel", id="note_cancel", priority=True),  # before the text area (tab indents there, and esc leaves it)
    ]
    DRAFT_AFTER = 1.0  # seconds without typing before the text is written as a draft
    RESTORED = "Restored the unsaved draft from when reader was closed: ctrl+s saves it, esc discards it."

    def __init__(self, title: str, note: str, key: str | None = None, draft: str | None = None,
                 draft_hint: str = RESTORED) -> None:
        super().__init__()
        self.paper_title = clean(title)
        self.key = key
        # the stored text without escapes, its spacing kept (Markdown indents code and lists)
        self.original = strip_controls(note)
        self.draft = strip_controls(draft) if draft is not None else None
        self.draft_hint = draft_hint
        self.shown = self.draft if self.draft is not None else self.original
        self.closed = False  # dismissed: no draft is written any more
        self._draft_timer = None
        self._draft_asked = 0  # drafts asked for, and the latest written (a later one wins)
        self._draft_written = 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Content.assemble(("Note: ", "bold"), self.paper_title), classes="dialog-title")
            if self.draft is not None:
                yield Static(Content(self.draft_hint), classes="dialog-hint", id="draft-hint")
            # tab indents (Markdown code and nested lists; it moved the focus nowhere and was lost)
            yield TextArea(self.shown, id="note-text", soft_wrap=True, show_line_numbers=False, tab_behavior="indent")
            yield Static(Content("ctrl+s save · esc cancel · Markdown"), classes="dialog-hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self.key is None or self.closed:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(self.DRAFT_AFTER, self._write_draft)

    def _write_draft(self) -> None:
        paths = getattr(self.app, "paths", None)
        if self.closed or paths is None:
            return
        self._draft_asked += 1
        text, asked = self.text, self._draft_asked

        def wanted() -> bool:  # asked under the drafts' lock: never after the close, never an older text
            if self.closed or asked < self._draft_written:
                return False
            self._draft_written = asked
            return True

        def write() -> None:
            if text == self.original:  # typed back to the stored note: nothing unsaved
                if wanted():
                    drop_draft(paths, self.key)
            else:
                save_draft(paths, self.key, text, self.original, wanted)

        self.run_worker(write, thread=True, group="note-draft", exit_on_error=False)

    def dismiss(self, result=None):
        self.closed = True
        if self._draft_timer is not None:
            self._draft_timer.stop()
        return super().dismiss(result)

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
        self.tags = [t for t in (clean(t) for t in tags) if t]

    def compose(self) -> ComposeResult:
        if self.count == 1:
            label = "Tags for this paper (comma separated; enter saves, esc cancels)"
        else:  # what is typed is added and removed; a tag only some of them have stays
            label = (f"Tags all {self.count} selected papers have (comma separated)\n"
                     "their other tags are kept; enter saves, esc cancels")
        with Vertical(classes="dialog"):
            yield Label(Content(label))
            yield Input(", ".join(self.tags), id="tags-input", placeholder="e.g. sae, interpretability")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss([t.strip() for t in clean(event.value).split(",") if t.strip()])

    def action_cancel(self) -> None:
        self.dismiss(None)


class Conflict(ModalScreen[str | None]):
    """The field changed on disk (another instance, the CLI) while its editor was open:
    keep mine, keep theirs, or keep both. esc goes back to the editor's choice unmade."""

    BINDINGS = [
        Binding("m", "choose('mine')", "Keep mine", id="conflict_mine"),
        Binding("t", "choose('theirs')", "Keep theirs", id="conflict_theirs"),
        Binding("b", "choose('both')", "Keep both", id="conflict_both"),
        Binding("escape", "choose('')", "Cancel", id="conflict_cancel"),
    ]

    def __init__(self, what: str, mine: str, theirs: str) -> None:
        super().__init__()
        self.what, self.mine, self.theirs = what, mine, theirs

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Content(f"The {self.what} changed elsewhere while you edited it."), classes="dialog-title")
            # as typed: two texts that differ in spacing alone must not look the same
            yield Label(Content.assemble(("Yours: ", "bold"), strip_controls(self.mine)[:600]))
            yield Label(Content.assemble(("Theirs: ", "bold"), strip_controls(self.theirs)[:600]))
            with Horizontal(classes="buttons"):
                yield Button("Keep mine (m)", id="mine", variant="primary")
                yield Button("Keep theirs (t)", id="theirs")
                yield Button("Keep both (b)", id="both")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)


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
            from reader.storage.atomic import write_output

            try:
                write_output(target, self.text)
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
