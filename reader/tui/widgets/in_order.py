"""Keys typed at once reach a field in the order they were typed (dialogs, the search box),
and what is pasted into one is cleaned. No dialog is imported here: the main screen's
search box uses it from the first frame."""

from __future__ import annotations

import asyncio
import contextlib
from typing import ClassVar

from textual import events

from reader.text import strip_controls


class KeysInOrder:
    """Keys typed at once reach a dialog's field in the order they were typed.

    Textual types a printable key in the focused field as the field reads it, but runs a
    bound key (enter, backspace, the arrows, the dialog's ctrl+s and esc) only once the key
    has gone back up to the app, and by then the field has typed the keys read after it:
    ``t`` then ", rl" enter y in one write tagged the paper "…rly". So the bindings of the
    field, its containers and its dialog run here, in turn with the typing; and a key that
    reaches the field after its dialog has closed or the focus has left it (typed after
    enter, ctrl+s or esc) is sent back to the app, which hands it to what is focused now:
    y copies, as typed.

    ``BINDINGS_FIRST``: keys whose binding runs before the widget's own handling of them
    (the text area's esc leaves it; the note editor's esc cancels)."""

    BINDINGS_FIRST: ClassVar[frozenset[str]] = frozenset()

    async def _on_key(self, event: events.Key) -> None:
        if not self._dialog_open():
            event.stop()
            event.prevent_default()
            self.app.post_message(events.Key(event.key, event.character))  # read again, in order
            return
        if await self._alt_key(event):
            return
        if event.key not in self.BINDINGS_FIRST:
            await super()._on_key(event)  # the widget's own handler: it types the key
            if self.types(event):  # typed: no binding of it runs
                return
        event.prevent_default()  # the widget's own handler has run (or is skipped): not again
        found = self.screen.active_bindings.get(event.key)
        if found is not None and found.enabled and not found.binding.priority:  # priority ones ran already
            event.stop()
            await self.app.run_action(found.binding.action, found.node)
            await self._settled()

    async def _alt_key(self, event: events.Key) -> bool:
        """esc then a letter or digit in one terminal write (esc to leave the search, then
        j) arrives as alt+letter: Textual's xterm parser reads ESC x as alt+x, and the field
        typed the x (the esc was lost). An active binding of alt+x runs (the field typed
        the x for it too); with none, it is esc and x: esc runs here in its place; x, once
        what esc asked the app to do is done (the focus moved, the dialog closed), goes to
        this field if it still has the focus, else back to the app, which hands it to what
        has it now. (Textual offers no hook for this: its parser makes the alt+x.)"""
        letter = event.character
        if not event.key.startswith("alt+") or letter is None or len(letter) != 1 or not letter.isalnum():
            return False
        event.stop()
        event.prevent_default()
        found = self.screen.active_bindings.get(event.key)
        if found is not None:  # its own binding, not the letter typed (Input and TextArea typed it)
            if found.enabled and not found.binding.priority:
                await self.app.run_action(found.binding.action, found.node)
                await self._settled()
            return True
        await self._on_key(events.Key("escape", "\x1b"))  # (and waits for what it asked: _settled)
        key = events.Key(letter, letter)  # a digit or a letter is its own key name ("J", "7")
        if self._dialog_open():
            await self._on_key(key)
        else:
            self.app.post_message(key)
        return True

    async def _settled(self) -> None:
        """A binding run here may have moved the focus, and Textual's ``focus()`` moves it
        from the app's queue, after this key: the keys queued here behind it wait until it
        has (esc in the search box, then j j: the j j were typed in the hidden box). Not
        when the dialog has closed (its screen is gone from the stack at once; the app may
        be waiting for this field's removal): the keys behind go back to the app then."""
        if not self._dialog_open():
            return
        done = asyncio.get_running_loop().create_future()
        if self.app.call_later(lambda: done.done() or done.set_result(None)):
            with contextlib.suppress(asyncio.TimeoutError):  # never hang a key on a busy app
                await asyncio.wait_for(done, 1.0)

    def types(self, event: events.Key) -> bool:
        """The widget's own handler types this key. Textual's public ``check_consume_key``
        (Input, TextArea: a printable character; TextArea with tab indenting: tab), which
        Textual also uses to keep the outer bindings of such a key from running; a field
        that types more says so here (``DialogTextArea``: enter)."""
        return self.check_consume_key(event.key, event.character)

    def _dialog_open(self) -> bool:
        """The key is for this field: its dialog is on top and the field has the focus."""
        try:
            screen = self.screen
        except Exception:  # noqa: BLE001 - NoScreen: removed with its dialog
            return False
        return screen is self.app.screen and screen.focused is self


def pasted_text(text: str) -> str:
    """Pasted text without escape sequences or control characters, its line breaks as
    newlines (a terminal pastes them as carriage returns). Textual's fields draw what is
    pasted as it is: an ESC [31m reached the terminal and turned the field red."""
    return strip_controls(text.replace("\r\n", "\n").replace("\r", "\n"))
