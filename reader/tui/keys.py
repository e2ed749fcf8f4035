"""The app's default bindings as plain rows, for the key map check and ``reader keys``."""

from __future__ import annotations

from textual.binding import Binding

from reader.keymap import KeyRow, effective


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


def effective_keymap(keymap: dict[str, str]) -> tuple[list[KeyRow], list[str]]:
    return effective(default_rows(), keymap)
