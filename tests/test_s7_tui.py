"""The detail pane and the dialogs: Pilot tests driving real keys."""

from __future__ import annotations

from reader.model import Paper
from reader.storage.store import Store
from reader.tui.app import ReaderApp

from .conftest import started


async def test_the_detail_names_the_editors_of_a_book_and_of_a_chapters_book(paths):
    """A book with editors and no authors showed no names at all in the detail pane
    (citations named its editors); a chapter showed its authors only."""
    Store(paths).import_papers([
        Paper(key="t:book", title="A Big Book", editors=["Edi, Tor", "{Open Book Collective}"],
              entry_type="book", publisher="Pub", published="2020"),
        Paper(key="t:chap", title="A Chapter", authors=["Ada Lovelace"], editors=["van der Waals, Johannes"],
              entry_type="chapter", journal="A Big Book", published="2021"),
    ])
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        detail = app.screen.detail
        shown = {}
        for _ in range(2):
            shown[app.screen.paper_list.current_key] = detail.plain("meta").splitlines()
            await pilot.press("j")
    assert "Editors   Tor Edi, Open Book Collective" in shown["t:book"]
    assert not any(line.startswith("Authors") for line in shown["t:book"])
    assert shown["t:chap"][:2] == ["Authors   Ada Lovelace", "Editors   Johannes van der Waals"]
