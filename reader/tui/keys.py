"""The app's default bindings as plain rows, for the key map check and ``reader keys``,
and the key map the app gives Textual."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from reader.keymap import KeyRow, effective, textual_keymap


def default_rows() -> list[KeyRow]:
    from reader.tui.app import ReaderApp
    from reader.tui.screens.main import MainScreen
    from reader.tui.widgets.detail import DetailPane
    from reader.tui.widgets.paper_list import PaperList

    rows = []
    for scope, cls in (("app", ReaderApp), ("main", MainScreen), ("list", PaperList), ("detail", DetailPane)):
        for b in cls.BINDINGS:
            if isinstance(b, Binding) and b.id:
                rows.append(KeyRow(scope, b.id, tuple(k.strip() for k in b.key.split(",")), b.description))
    return rows


def normalized(keymap: dict[str, str]) -> dict[str, str]:
    """Keys named as Textual names them ("?" is question_mark), as ``App.set_keymap`` does,
    so that a clash with a default binding is seen whichever way the key was written."""
    return App._normalize_keymap(keymap)


def effective_keymap(keymap: dict[str, str]) -> tuple[list[KeyRow], list[str]]:
    return effective(default_rows(), normalized(keymap))


def install_keymap(app: App, keymap: dict[str, str]) -> list[str]:
    """Give ``app`` the ``[keymap]`` with the user's keys winning in every scope (Textual
    applies a keymap to each scope's bindings apart: ``quit = "x"`` left x archiving, as the
    main screen's binding is looked up before the app's). Returns the warnings to show."""
    keymap = normalized(keymap)
    rows, warnings = effective(default_rows(), keymap)
    app.set_keymap(textual_keymap(rows, keymap))
    return warnings



def keys_by_id(keymap: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Binding id -> its keys after ``[keymap]`` (none for one whose keys went to others):
    what the command palette says beside each action (the nodes' own bindings are the
    defaults: Textual applies the keymap to a copy as it looks a key up)."""
    return {r.id: r.keys for r in effective_keymap(keymap)[0]}
