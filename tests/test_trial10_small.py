"""Trial 10's small findings in the TUI's core: a search of only punctuation or emoji matched
every paper; an undo of a step another reader changed since said "Nothing to undo" (and the
step was used up); the header's total read as the view's count."""

from __future__ import annotations

from reader.model import Paper
from reader.state import Change
from reader.storage.store import Store
from reader.triage import Triage
from reader.tui.app import ReaderApp

from .conftest import started


def _store(paths, n: int = 6) -> Store:
    store = Store(paths)
    store.import_papers([Paper(key=f"t:{i}", title=f"Paper {i} on [CLS] tokens 🚀") for i in range(n)])
    return store


def test_a_search_of_no_words_matches_nothing(paths):
    triage = Triage(_store(paths), background=False)
    for query in ("[/", "(", "🚀", "--"):
        rows, complete = triage.search_view("all", query)
        assert list(rows) == [] and complete, query
        assert list(triage.view("all", query)) == []
    assert len(triage.search_view("all", "  ")[0]) == 6  # nothing typed: the view
    assert len(triage.search_view("all", "cls")[0]) == 6


def test_an_undo_of_a_step_changed_since_says_so(paths):
    triage = Triage(_store(paths), background=False)
    triage.set(["t:1"], "starred", True)
    triage._record([Change("t:1", "starred", False)], undoable=False)  # another reader's change, seen
    assert triage.undo() == []
    assert "another reader changed it since" in triage.last_step
    assert triage.undo() == [] and triage.last_step == "Nothing to undo"


async def test_the_header_and_the_empty_list_say_what_they_count(paths):
    _store(paths)
    app = ReaderApp(paths)
    async with app.run_test(size=(160, 30)) as pilot:
        screen = await started(app, pilot)
        await pilot.press("3")  # Starred: none
        await pilot.pause()
        header = str(screen.query_one("#header").render())
        assert "library 6 ·" in header and "3 Starred 0" in header
        await pilot.press("1", "slash", "left_square_bracket", "slash")
        await pilot.pause(0.3)
        assert screen.paper_list.rows == [] or len(screen.paper_list.rows) == 0
        assert "a search looks for words" in screen.paper_list.empty_text


async def test_a_click_on_a_view_tab_shows_that_view(paths):
    """Views had keys only: a click on a tab in the header does nothing (trial 10)."""
    store = _store(paths)
    store.apply([Change("t:2", "starred", True, 1.0)])
    app = ReaderApp(paths)
    async with app.run_test(size=(160, 30)) as pilot:
        screen = await started(app, pilot)
        header = str(screen.query_one("#header").render())
        await pilot.click("#header", offset=(header.index("3 Starred") + 2, 0))
        await pilot.pause()
        assert screen.view == "starred" and len(screen.paper_list.rows) == 1
        await pilot.click("#header", offset=(header.index("1 All") + 1, 0))
        await pilot.pause()
        assert screen.view == "all"
        await pilot.click("#header", offset=(len(header) - 3, 0))  # past the tabs: nothing
        await pilot.pause()
        assert screen.view == "all"


def test_a_broken_csl_json_item_is_named_with_its_line_and_column(tmp_path):
    """JSON's own message ("Invalid control character at") ends without the place: the
    error said "(Invalid control character at)" (trial 10)."""
    from reader.parsers import iter_file

    path = tmp_path / "broken.json"
    path.write_text('[\n {"id": "a", "type": "article", "title": "Fine"},\n {"id": "b", "title": "Tab\there"}\n]\n')
    problems = [p for batch in iter_file(path) for p in batch.problems]
    assert problems == ["line 3, column 27: item 2 is not valid JSON (Invalid control character); "
                        "the rest of the file cannot be read"], problems
