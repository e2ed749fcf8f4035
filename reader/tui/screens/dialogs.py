"""Small modal screens: note editor, tags, confirm, citation format, text viewer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from reader.citations import FORMAT_LABELS
from reader.drafts import drop_draft, save_draft
from reader.state import tag_id, unique_tags
from reader.text import clean, strip_controls, truncate
from reader.tui.widgets.in_order import KeysInOrder, pasted_text


class DialogInput(KeysInOrder, Input):
    """The one-line field of a dialog: opens with the cursor after its text (typing adds to
    it; an Input selects its text on focus, so the first key replaced the tags), and enter
    hands the value to ``submit`` at once, before the keys typed after it arrive (Input's
    Submitted message came after them). A paste is cleaned (:func:`pasted_text`); with
    ``paste_joiner`` its lines are joined by it (the tag editor: one tag a line), else
    Input keeps the first line."""

    def __init__(self, value: str, *, submit: Callable[[str], None], paste_joiner: str | None = None,
                 **kwargs) -> None:
        super().__init__(value, select_on_focus=False, **kwargs)
        self._submit = submit
        self._paste_joiner = paste_joiner

    def _on_paste(self, event: events.Paste) -> None:
        text = pasted_text(event.text).replace("\t", " ")
        if self._paste_joiner is not None:
            text = self._paste_joiner.join(line.strip() for line in text.split("\n") if line.strip())
        event.text = text  # Input's own handler inserts it (its first line)

    def on_mount(self) -> None:
        self.call_after_refresh(self._show_cursor)

    def _show_cursor(self) -> None:
        """Scrolled to the cursor at the end: Input puts it there without scrolling, so a
        long value showed its start with the cursor out of sight."""
        if self.cursor_at_end:
            end = self.cursor_position
            self.cursor_position = 0  # (setting the same position scrolls nothing)
            self.cursor_position = end

    async def action_submit(self) -> None:
        self._submit(self.value)


class DialogTextArea(KeysInOrder, TextArea):
    """The note editor's text: its keys in order; esc cancels the editor (a text area
    that indents with tab leaves itself on esc); a paste is cleaned (:func:`pasted_text`)."""

    BINDINGS_FIRST = frozenset({"escape"})
    # typed as text: str.isprintable() says no to these format characters, so Textual
    # dropped them (trial 9: 👩‍💻 became 👩💻, and Persian words changed spelling)
    JOINERS = frozenset("\u200c\u200d\u2060")

    async def _on_key(self, event: events.Key) -> None:
        if event.character in self.JOINERS and not self.read_only and self._dialog_open():
            event.stop()
            event.prevent_default()
            self._replace_via_keyboard(event.character, *self.selection)
            return
        await super()._on_key(event)

    def types(self, event: events.Key) -> bool:
        # TextArea types enter as a new line, though its check_consume_key does not say so
        return super().types(event) or (event.key == "enter" and not self.read_only)

    def _on_paste(self, event: events.Paste) -> None:
        event.text = pasted_text(event.text)  # TextArea's own handler inserts it


class DialogOptionList(KeysInOrder, OptionList):
    """A dialog's list: enter chooses at once (``choose``), so keys typed after it go to
    the screen below. j/k/g/G move as in the paper list (trial 9: j j enter in the format
    picker meant APA and copied BibTeX)."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]

    def __init__(self, *options, choose: Callable[[str | None], None], **kwargs) -> None:
        super().__init__(*options, **kwargs)
        self._choose = choose

    def action_select(self) -> None:
        highlighted = self.highlighted
        if highlighted is not None and not self.get_option_at_index(highlighted).disabled:
            self._choose(self.get_option_at_index(highlighted).id)


class Confirm(ModalScreen[bool]):
    """y / n. Opens on No: the questions are about dropping text or overwriting a file, and
    an enter pressed by reflex (it focused Yes) discarded an edited note."""

    AUTO_FOCUS = "#no"
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
        # the text area runs it before leaving itself on esc (DialogTextArea), in turn with the typing
        Binding("escape", "cancel", "Cancel", id="note_cancel"),
    ]
    DRAFT_AFTER = 1.0  # seconds without typing before the text is written as a draft
    # under 24 rows the title takes one line: at 14 a three-line title left the text no room
    VERTICAL_BREAKPOINTS = [(0, "-short"), (24, "-tall")]
    RESTORED = "Restored the unsaved draft from when reader was closed: ctrl+s saves it, esc discards it."

    def __init__(self, title: str, note: str, key: str | None = None, draft: str | None = None,
                 draft_hint: str = RESTORED) -> None:
        super().__init__()
        self.paper_title = truncate(clean(title), 130)  # wrapped in the dialog: about three lines at 60 columns
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
            yield DialogTextArea(self.shown, id="note-text", soft_wrap=True, show_line_numbers=False, tab_behavior="indent")
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

    def __init__(self, count: int, tags: list[str], title: str = "") -> None:
        super().__init__()
        self.count = count
        self.tags = [t for t in (clean(t) for t in tags) if t]
        self.title = truncate(clean(title), 130)  # which paper (as the note editor says)

    def compose(self) -> ComposeResult:
        if self.count == 1:
            label = (f"Tags for “{self.title}”" if self.title else "Tags for this paper") + \
                " (comma separated; enter saves, esc cancels)"
        else:  # what is typed is added and removed; a tag only some of them have stays
            label = (f"Tags all {self.count} selected papers have (comma separated)\n"
                     "their other tags are kept; enter saves, esc cancels")
        with Vertical(classes="dialog"):
            yield Label(Content(label))
            yield DialogInput(", ".join(self.tags), id="tags-input", placeholder="e.g. sae, interpretability",
                              submit=self.save, paste_joiner=", ")

    def save(self, value: str) -> None:
        self.dismiss([t.strip() for t in clean(value).split(",") if t.strip()])

    def action_cancel(self) -> None:
        self.dismiss(None)


class Conflict(ModalScreen[str | None]):
    """The field changed on disk (another instance, the CLI) while its editor was open:
    keep mine, keep theirs, or keep both. esc goes back to the editor's choice unmade.
    Opens on Keep both: an enter pressed by reflex loses neither text (it focused Keep mine,
    which drops theirs)."""

    AUTO_FOCUS = "#both"

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
            # as typed: two texts that differ in spacing alone must not look the same; wrapped,
            # and scrolled when long, so the buttons stay in sight on a small terminal
            with VerticalScroll(id="conflict-texts"):
                yield Label(Content.assemble(("Yours: ", "bold"), strip_controls(self.mine)[:600]), id="conflict-mine")
                yield Label(Content.assemble(("Theirs: ", "bold"), strip_controls(self.theirs)[:600]), id="conflict-theirs")
            with Horizontal(classes="buttons"):
                yield Button("Keep mine (m)", id="mine")
                yield Button("Keep theirs (t)", id="theirs")
                yield Button("Keep both (b)", id="both", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)


def both_tag_lists(opened: dict[str, list[str]], now: dict[str, list[str]], added: list[str],
                   removed: list[str]) -> dict[str, list[str]]:
    """Keep both, in the tags' conflict: each paper's tags as this editor leaves them (what it
    opened on, ``removed`` taken out and ``added`` put in), then those the other side has
    that these lack: the union of the two lists, not of the two changes (a tag the other
    side removed and this editor kept is kept). A tag in both, spelt two ways, is spelt as
    this editor has it."""
    drop = {tag_id(t) for t in removed} - {tag_id(t) for t in added}
    return {k: unique_tags([*(t for t in opened[k] if tag_id(t) not in drop), *added, *now[k]]) for k in opened}


class FormatPicker(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="format_cancel")]

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content("Copy citation as…"))
            yield DialogOptionList(*[Option(label, id=fmt) for fmt, label in FORMAT_LABELS.items()], id="formats",
                                   choose=self.dismiss)
            yield Static(Content("enter copies · esc cancels"), classes="dialog-hint")

    def on_mount(self) -> None:
        opts = self.query_one(OptionList)
        opts.highlighted = list(FORMAT_LABELS).index(self.current) if self.current in FORMAT_LABELS else 0
        opts.focus()

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
