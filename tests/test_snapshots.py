"""The look, guarded by pytest-textual-snapshot. Regenerate with --snapshot-update and
look at the SVGs before committing."""

from __future__ import annotations

import pytest

from reader.model import Paper
from reader.parsers import parse_file
from reader.state import Change
from reader.storage.store import Store
from reader.tui.app import ReaderApp

from .conftest import FIXTURES, SAMPLE


@pytest.fixture
def sample_app(paths):
    store = Store(paths)
    store.import_papers(parse_file(SAMPLE))
    keys = [p.key for p in store.papers()]
    store.apply([
        Change(keys[0], "read", True, 1.0), Change(keys[1], "starred", True, 1.0), Change(keys[5], "archived", "2026-11-26", 1.0),
        Change(keys[2], "later", "2026-11-26T10:00:00+00:00", 1.0), Change(keys[3], "note", "Check **Table 2**; [Re] cite", 1.0),
        Change(keys[3], "tags", ["bias", "theory"], 1.0),
    ])
    return ReaderApp(paths)


def keys(*press):
    async def run_before(pilot):
        await pilot.app.loaded.wait()
        await pilot.pause()
        if press:
            await pilot.press(*press)
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()  # e.g. the search completing its hits
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


def test_main_screen(snap_compare, sample_app):
    assert snap_compare(sample_app, run_before=keys("j", "j", "j"), terminal_size=(120, 36))


@pytest.mark.parametrize("view", ["2", "3", "4", "5", "6", "7"])
def test_views(snap_compare, sample_app, view):
    assert snap_compare(sample_app, run_before=keys(view), terminal_size=(120, 30))


def test_search_with_matches(snap_compare, sample_app):
    assert snap_compare(sample_app, run_before=keys("slash", *"learngene", "enter"), terminal_size=(120, 30))


def test_note_editor(snap_compare, sample_app):
    assert snap_compare(sample_app, run_before=keys("n", *"Worth a *second* look"), terminal_size=(120, 30))


def test_help(snap_compare, sample_app):
    assert snap_compare(sample_app, run_before=keys("question_mark"), terminal_size=(120, 40))


def test_narrow_terminal(snap_compare, sample_app):
    assert snap_compare(sample_app, run_before=keys("j"), terminal_size=(80, 24))


def test_narrow_terminal_without_detail(snap_compare, sample_app):
    assert snap_compare(sample_app, run_before=keys("j", "d"), terminal_size=(80, 24))


def test_list_alone_with_date_and_upvote_columns_sorted(snap_compare, paths):
    store = Store(paths)
    store.import_papers(parse_file(FIXTURES / "trending_page.txt") + parse_file(FIXTURES / "daily_page.txt"))
    store.import_papers(parse_file(SAMPLE)[:6])
    assert snap_compare(ReaderApp(paths), run_before=keys("d", "S", "S"), terminal_size=(120, 16))


def test_empty_library(snap_compare, paths):
    assert snap_compare(ReaderApp(paths, files=[str(FIXTURES / "empty.txt")]), run_before=keys(), terminal_size=(100, 14))


def test_light_theme(snap_compare, paths):
    paths.config_dir.mkdir(parents=True)
    paths.config.write_text('theme = "textual-light"\n')
    Store(paths).import_papers(parse_file(SAMPLE))
    assert snap_compare(ReaderApp(paths), run_before=keys("s", "j", "r"), terminal_size=(120, 30))


def test_hostile_titles(snap_compare, paths):
    Store(paths).import_papers([
        Paper(key="t:1", title="[Re] Attention Is All You Need", abstract="Uses [CLS] tokens and x [/] y."),
        Paper(key="t:2", title="[CLS] x [/] y [b]x[/b] and [@click=app.quit]click[/]", abstract="[/"),
        Paper(key="t:3", title="$\\infty$-Diff: Infinite Resolution Diffusion \\", abstract=""),
        Paper(key="t:4", title="\x1b[31mEscape\x1b[0m \x07Bell\x1b]0;title\x07 and control\x08chars", abstract="ok"),
        Paper(key="t:5", title="A very long title " * 12, abstract="long"),
    ])
    assert snap_compare(ReaderApp(paths), run_before=keys("j"), terminal_size=(120, 20))


def _edited_book(paths):
    store = Store(paths)
    store.import_papers([
        Paper(key="t:book", title="The Handbook of [CLS] Tokens and Very Long Titles on Attention in Transformers",
              editors=["Edi, Tor", "Two, Bea", "{Open Book Collective}", "van der Waals, Johannes"],
              entry_type="book", publisher="Pub [Re]", published="2020", source_file="refs.bib"),
        Paper(key="t:chap", title="A Chapter", authors=["Ada Lovelace"], editors=["Edi, Tor"], entry_type="chapter",
              journal="The Handbook of Things", pages="1–20", published="2021", source_file="refs.bib"),
    ])
    store.apply([Change("t:book", "tags", ["a" * 40, "beta gamma", "[CLS]"], 1.0)])
    return ReaderApp(paths)


def test_narrow_detail_of_an_edited_book(snap_compare, paths):
    """Editors, venue and publisher; wrapped values under their first line; whole chips."""
    assert snap_compare(_edited_book(paths), run_before=keys(), terminal_size=(60, 24))


def test_tag_editor_on_a_narrow_terminal(snap_compare, paths):
    """The label wrapped, the cursor after the tags and in sight."""
    assert snap_compare(_edited_book(paths), run_before=keys("t"), terminal_size=(60, 20))


def test_conflict_on_a_narrow_terminal(snap_compare, paths):
    """Both sides wrapped and the three buttons whole at 60 columns."""
    app = _edited_book(paths)

    async def run_before(pilot):
        await keys("n", *"my note, long enough to wrap in the dialog at sixty columns")(pilot)
        Store(paths).apply([Change("t:book", "note", "their note [Re], written meanwhile by another reader")])
        await keys("ctrl+s")(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=(60, 24))
