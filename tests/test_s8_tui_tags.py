"""The tags' conflict (another instance changed a paper's tags while its editor was open):
"Keep both" keeps the union of the two lists, the user's own first, then the other side's
new ones. It kept both *changes*: a tag the other side removed was gone although the user
had kept it."""

from __future__ import annotations

from reader.model import Paper
from reader.state import Change
from reader.storage.store import Store
from reader.tui.app import ReaderApp
from reader.tui.screens.dialogs import both_tag_lists

from .conftest import started


def test_both_lists_are_kept_mine_first():
    opened = {"a": ["ml", "old", "draft"], "b": ["ml"]}
    now = {"a": ["ml", "theirs", "Mine"], "b": []}  # a: they removed old and draft; b: ml
    got = both_tag_lists(opened, now, added=["mine"], removed=["draft"])
    assert got == {"a": ["ml", "old", "mine", "theirs"], "b": ["ml", "mine"]}


def test_a_tag_removed_here_and_kept_there_stays():
    """The union: the other side still has it."""
    assert both_tag_lists({"a": ["x", "y"]}, {"a": ["x", "y", "z"]}, [], ["y"]) == {"a": ["x", "y", "z"]}


async def test_keep_both_keeps_the_tags_of_both_lists(paths):
    Store(paths).import_papers([Paper(key="t:a", title="A")])
    Store(paths).apply([Change("t:a", "tags", ["ml", "old"])])
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        await pilot.press("t", *", mine")  # ml, old, mine
        Store(paths).apply([Change("t:a", "tags", ["ml", "theirs"])])  # the other instance: old out, theirs in
        await pilot.press("enter")
        assert app.screen.__class__.__name__ == "Conflict"
        await pilot.press("b")
        await pilot.pause()
        assert app.triage.state("t:a").tags == ["mine", "ml", "old", "theirs"]
        app.triage.flush()
    assert Store(paths).states()["t:a"].tags == ["mine", "ml", "old", "theirs"]
