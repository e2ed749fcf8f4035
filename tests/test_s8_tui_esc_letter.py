"""esc then a letter in one terminal write arrives as alt+letter (Textual's xterm parser
reads ESC j as alt+j). In the search box and the dialogs' fields an alt+letter that no
binding has is esc then the letter: the field typed the letter, and the esc was lost."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from reader.model import Paper
from reader.storage.store import Store
from reader.tui.app import ReaderApp
from reader.tui.screens.dialogs import DialogInput

from .conftest import started


def alt(letter: str) -> events.Key:
    key = f"alt+shift+{letter.lower()}" if letter.isupper() else f"alt+{letter}"
    return events.Key(key, letter)  # as the xterm parser makes it of ESC and the letter


async def at_once(pilot, *keys) -> None:
    """Keys as one terminal write delivers them: all queued before the first is handled."""
    for key in keys:
        pilot.app.post_message(key if isinstance(key, events.Key) else events.Key(key, key if len(key) == 1 else None))
    for _ in range(12):
        await pilot.pause()


def _library(paths) -> None:
    Store(paths).import_papers([Paper(key=f"t:{i}", title=f"Paper {i} kernel") for i in range(6)])


async def test_esc_and_j_at_once_leave_the_search_and_move_down(paths):
    _library(paths)
    ends = []
    for burst in (["slash", "k", "e", "r", "escape", "j", "j"], ["slash", "k", "e", "r", alt("j"), "j"]):
        app = ReaderApp(paths)
        async with app.run_test(size=(120, 30)) as pilot:
            screen = await started(app, pilot)
            await at_once(pilot, *burst)
            search = screen.query_one("#search")
            ends.append((search.value, search.display, screen.focused is screen.paper_list, screen.paper_list.cursor))
    assert ends[0] == ("", False, True, 2)
    assert ends[1] == ends[0]


async def test_esc_and_a_letter_at_once_in_the_tag_editor_cancel_it_and_run_the_letter(paths):
    _library(paths)
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        await at_once(pilot, "t", "a", "b", alt("s"))
        assert type(app.screen).__name__ == "MainScreen"
        assert app.triage.state("t:0").tags == [] and app.triage.state("t:0").starred


async def test_esc_and_y_at_once_in_an_edited_note_discard_it(paths):
    _library(paths)
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        await at_once(pilot, "n", "a", "b", alt("y"))  # esc asks "Discard the changes?", y says yes
        assert type(app.screen).__name__ == "MainScreen"
        assert app.triage.state("t:0").note == ""


class Field(Screen):
    BINDINGS = [Binding("escape", "hit('esc')"), Binding("alt+x", "hit('alt+x')")]

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[str] = []

    def compose(self) -> ComposeResult:
        yield DialogInput("", submit=lambda value: None)

    def action_hit(self, what: str) -> None:
        self.hits.append(what)


class FieldApp(App):
    def on_mount(self) -> None:
        self.push_screen(Field())


async def test_where_esc_keeps_the_field_the_letter_is_typed_in_turn_and_a_bound_alt_key_is_its_binding():
    app = FieldApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        screen.query_one(DialogInput).focus()
        await pilot.pause()
        await at_once(pilot, "a", alt("K"), "b", alt("x"), "c")
        assert screen.hits == ["esc", "alt+x"]
        assert screen.query_one(DialogInput).value == "aKbc"
