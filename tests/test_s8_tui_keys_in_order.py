"""KeysInOrder (reader.tui.widgets.in_order) tells a key its field typed from one it did not
by Textual's public ``check_consume_key`` (it read the private ``_no_default_action`` flag
of the event): a typed key runs no binding, any other runs its binding in turn."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from reader.tui.screens.dialogs import DialogInput, DialogTextArea


class BoundField(DialogInput):
    """A field with a binding of its own on a letter: Textual keeps the outer bindings of a
    typed key from running, not the focused widget's own."""

    BINDINGS = [Binding("q", "screen.hit('q')")]


class Editor(Screen):
    BINDINGS = [Binding("enter", "hit('enter')"), Binding("ctrl+s", "hit('save')"), Binding("x", "hit('x')")]

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[str] = []

    def compose(self) -> ComposeResult:
        yield DialogTextArea("", id="area")
        yield DialogInput("", id="field", submit=lambda value: self.hits.append(f"submit {value}"))
        yield BoundField("", id="bound", submit=lambda value: None)

    def action_hit(self, what: str) -> None:
        self.hits.append(f"{what} {self.query_one(DialogTextArea).text!r}")


class EditorApp(App):
    def on_mount(self) -> None:
        self.push_screen(Editor())


async def _typed_at_once(pilot, *keys: tuple[str, str | None]) -> None:
    for key, character in keys:
        pilot.app.post_message(events.Key(key, character))
    for _ in range(6):
        await pilot.pause()


async def test_a_text_area_types_enter_and_runs_no_binding_of_it():
    app = EditorApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        screen.query_one(DialogTextArea).focus()
        await pilot.pause()
        await _typed_at_once(pilot, ("a", "a"), ("enter", "\r"), ("b", "b"), ("x", "x"), ("ctrl+s", None), ("c", "c"))
        assert screen.query_one(DialogTextArea).text == "a\nbxc"
        assert screen.hits == ["save 'a\\nbx'"]  # ctrl+s in its place: after x, before c


async def test_a_field_types_letters_and_runs_its_enter_in_turn():
    app = EditorApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        screen.query_one(DialogInput).focus()
        await pilot.pause()
        await _typed_at_once(pilot, ("x", "x"), ("y", "y"), ("enter", "\r"), ("z", "z"))
        assert screen.hits[0] == "submit xy"


async def test_a_letter_typed_in_a_field_runs_no_binding_of_the_field():
    app = EditorApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        screen.query_one(BoundField).focus()
        await pilot.pause()
        await _typed_at_once(pilot, ("a", "a"), ("q", "q"), ("left", None), ("b", "b"))
        assert screen.query_one(BoundField).value == "abq" and screen.hits == []
