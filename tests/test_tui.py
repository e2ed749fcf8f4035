"""Pilot tests: real keys, then the store, the cursor, the view and the clipboard are checked."""

from __future__ import annotations

import pytest

from reader.config import load_config
from reader.model import Paper
from reader.parsers import parse_file
from reader.storage.store import Store
from reader.tui.app import ReaderApp
from reader.tui.screens.main import MainScreen

from .conftest import SAMPLE, notes, started


@pytest.fixture(autouse=True)
def no_system_clipboard(monkeypatch):
    from reader import clipboard

    monkeypatch.setattr(clipboard, "system_copy", lambda text, timeout=3: clipboard.SystemResult(True, "fake"))
    monkeypatch.setattr("reader.tui.screens.main.system_copy", lambda text: clipboard.SystemResult(True, "fake"))


def stored(paths):
    return Store(paths).states()



def main_screen(app) -> MainScreen:
    return next(s for s in app.screen_stack if isinstance(s, MainScreen))


async def test_first_run_imports_sample_and_says_so(paths):
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        screen = main_screen(app)
        assert len(screen.paper_list.rows) == 52
        assert any("shipped sample" in n.message for n in notes(app))
    assert len(Store(paths).papers()) == 52


async def test_a_library_kept_aside_as_corrupt_gets_no_sample_papers(paths):
    """A trial found the shipped sample imported into the new, empty library that replaced
    a corrupt one: the user rebuilding it had 52 unrelated papers mixed in."""
    Store(paths).import_papers(parse_file(SAMPLE)[:3])
    for side in paths.data_dir.glob("library.db-*"):
        side.unlink()
    paths.catalogue.write_bytes(b"\x00garbage" * 100)
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        assert any("kept it as library.db.corrupt-" in n.message for n in notes(app))
        assert not any("shipped sample" in n.message for n in notes(app))
    assert Store(paths).papers() == []


async def test_triage_keys_change_store_and_survive_restart(paths):
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        screen = main_screen(app)
        keys = screen.triage.keys
        await pilot.press("s")            # star paper 0
        await pilot.press("j", "r")       # read paper 1 (r moves on to paper 2)
        assert screen.paper_list.cursor == 2
        await pilot.press("l")            # later paper 2 (l stays)
        await pilot.press("k")
        assert screen.paper_list.cursor == 1
        app.triage.flush()
        st = stored(paths)
        assert st[keys[0]].starred and st[keys[1]].read and st[keys[2]].later
        await pilot.press("3")
        assert screen.view == "starred" and list(screen.paper_list.rows) == [0]
        await pilot.press("q")
    app2 = ReaderApp(paths)
    async with app2.run_test(size=(120, 40)) as pilot:
        await started(app2, pilot)
        screen = main_screen(app2)
        assert screen.view == "starred"
        assert screen.paper_list.current_key == keys[0]
        assert app2.triage.state(keys[0]).starred


async def test_navigation_keys(paths):
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        plist = main_screen(app).paper_list
        await pilot.press("G")
        assert plist.cursor == 51
        await pilot.press("g")
        assert plist.cursor == 0
        await pilot.press("end")
        assert plist.cursor == 51
        await pilot.press("home", "pagedown")
        assert plist.cursor > 10
        await pilot.press("pageup")
        assert plist.cursor == 0


async def test_undo_is_repeatable(paths):
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        key = app.triage.keys[0]
        await pilot.press("s", "r")
        assert app.triage.state(key).starred and app.triage.state(key).read
        await pilot.press("u")
        assert not app.triage.state(key).read and app.triage.state(key).starred
        await pilot.press("u")
        assert not app.triage.state(key).starred
        app.triage.flush()
        st = stored(paths)[key]
        assert not st.starred and not st.read


async def test_read_in_unread_view_moves_to_next(paths):
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        screen = main_screen(app)
        keys = app.triage.keys
        await pilot.press("2", "r")
        assert screen.paper_list.current_key == keys[1]
        assert len(screen.paper_list.rows) == 51
        await pilot.press("u")
        assert len(screen.paper_list.rows) == 52


async def test_selection_acts_on_all_selected(paths):
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        keys = app.triage.keys
        await pilot.press("space", "space", "space", "s")
        assert all(app.triage.state(k).starred for k in keys[:3])
        assert not app.triage.state(keys[3]).starred
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard.count("@misc{") == 3
        await pilot.press("escape")
        assert not main_screen(app).paper_list.selected


async def test_later_view_ordered_by_queue_time(paths, monkeypatch):
    import itertools

    from reader import triage as triage_mod

    ticks = itertools.count()
    monkeypatch.setattr(triage_mod, "now_iso", lambda: f"2026-01-01T00:00:{next(ticks):02d}")
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        keys = app.triage.keys
        await pilot.press("G", "l", "g", "l")
        await pilot.press("4")
        plist = main_screen(app).paper_list
        assert [keys[i] for i in plist.rows] == [keys[51], keys[0]]


async def test_note_editor_saves_and_cancel_asks(paths):
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        key = app.triage.keys[0]
        await pilot.press("n")
        await pilot.press(*"great [Re] idea")
        await pilot.press("ctrl+s")
        assert app.triage.state(key).note == "great [Re] idea"
        await pilot.press("n", "x", "escape")
        assert app.screen.__class__.__name__ == "Confirm"
        await pilot.press("n")  # keep editing
        assert app.screen.__class__.__name__ == "NoteEditor"
        await pilot.press("escape", "y")  # discard
        assert isinstance(app.screen, MainScreen)
        assert app.triage.state(key).note == "great [Re] idea"
        await pilot.press("6")
        assert list(main_screen(app).paper_list.rows) == [0]
        app.triage.flush()
        assert stored(paths)[key].note == "great [Re] idea"


async def test_tab_in_the_note_editor_indents(paths):
    """A tab typed in a note was lost (the text area's tab moves the focus, and there is
    nothing else to focus): Markdown code blocks and nested lists need it."""
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        key = app.triage.keys[0]
        await pilot.press("n", "-", "space", "a", "enter", "tab", "-", "space", "b", "ctrl+s")
        assert app.triage.state(key).note == "- a\n    - b"


async def test_tags(paths):
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        key = app.triage.keys[0]
        await pilot.press("t")
        await pilot.press(*"sae, interp")
        await pilot.press("enter")
        assert app.triage.state(key).tags == ["interp", "sae"]
        app.triage.flush()
        assert stored(paths)[key].tags == ["interp", "sae"]


async def test_search_filters_highlights_and_escape_clears(paths):
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        screen = main_screen(app)
        await pilot.press("slash", *"learngene")
        await pilot.pause()
        assert len(screen.paper_list.rows) == 3
        assert screen.paper_list.query_words == ["learngene"]
        await pilot.press("enter")
        assert screen.paper_list.has_focus
        await pilot.press("escape")
        assert len(screen.paper_list.rows) == 52


async def test_copy_citation_and_format_picker(paths):
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        key = app.triage.keys[0]
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard.startswith("@misc{ergotropycapacitynd,")
        assert app.triage.state(key).cite_key == ""  # no authors/year: not pinned (issue 10 §5)
        await pilot.press("Y")
        await pilot.press("down", "down", "enter")  # APA
        assert app.clipboard.startswith("Ergotropy and Capacity")
        await pilot.pause()
        messages = [n.message for n in notes(app)]
        assert any("system clipboard (fake) + terminal (OSC 52)" in m for m in messages)
        assert any("incomplete" in m for m in messages)


async def test_open_browser(paths, monkeypatch):
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        await pilot.press("o")
        await app.workers.wait_for_complete()
        assert opened and opened[0].startswith("https://arxiv.org/search/?searchtype=title&query=Ergotropy")


async def test_help_tab_and_palette(paths):
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        await pilot.press("question_mark")
        assert app.screen.__class__.__name__ == "HelpScreen"
        await pilot.press("escape", "f1")
        assert app.screen.__class__.__name__ == "HelpScreen"
        await pilot.press("escape", "tab")
        assert main_screen(app).detail.has_focus
        await pilot.press("tab")
        assert main_screen(app).paper_list.has_focus
        commands = list(app.get_system_commands(app.screen))
        titles = [c.title for c in commands]
        for needed in ["Read", "Star", "Later", "Note", "Tags", "Cite", "Undo", "Search", "Open in browser", "View: Unread", "Help"]:
            assert needed in titles
        helps = {c.title: c.help for c in commands}
        assert helps["Search"] == "key: /"  # as the footer shows keys (a trial found "key: slash", "number_sign")
        assert not any("_" in h for h in helps.values() if h.startswith("key: "))


async def test_theme_is_remembered(paths):
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        app.theme = "textual-light"
        await pilot.pause()
    assert load_config(paths.config).theme == "textual-light"
    app2 = ReaderApp(paths)
    async with app2.run_test() as pilot:
        await started(app2, pilot)
        assert app2.theme == "textual-light"


async def test_bad_config_gives_message_and_defaults(paths):
    paths.config_dir.mkdir(parents=True)
    paths.config.write_text("theme = [oops\n")
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        assert any("invalid TOML" in n.message for n in notes(app))


async def test_keymap_remaps_a_binding(paths):
    paths.config_dir.mkdir(parents=True)
    paths.config.write_text('[keymap]\ntoggle_star = "f"\n')
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        await pilot.press("f")
        assert app.triage.state(app.triage.keys[0]).starred


async def test_hostile_titles_render_literally(paths):
    Store(paths).import_papers([
        Paper(key="t:1", title="[Re] Attention [CLS] x [/] y [b]x[/b] \\", abstract="[@click=app.quit]x[/] and [/"),
        Paper(key="t:2", title="\x1b[31mRed\x1b[0m \x07 Bell", abstract=""),
    ])
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        screen = main_screen(app)
        line = "".join(s.text for s in screen.paper_list.render_line(0))
        assert "[Re] Attention [CLS] x [/] y [b]x[/b] \\" in line
        line2 = "".join(s.text for s in screen.paper_list.render_line(1))
        assert "Red Bell" in line2 and "\x1b" not in line2
        assert "[Re] Attention [CLS]" in screen.detail.plain("title")
        assert "[Re] Attention [CLS]" in "".join(screen.detail.rendered("title"))
        await pilot.click("#detail", offset=(2, screen.detail.section_line("abstract")))
        assert app.is_running


async def test_store_error_is_notified_and_retried(paths, request):
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        state = request.getfixturevalue("disk_full")
        await pilot.press("s")
        for _ in range(40):
            await pilot.pause(0.05)
            if main_screen(app).save_state == "error":
                break
        assert main_screen(app).save_state == "error"
        assert any("disk full" in n.message for n in notes(app))
        state["on"] = False
        assert app.triage.flush(10)
    assert stored(paths)[app.triage.keys[0]].starred


async def test_mouse_click_moves_cursor(paths):
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        await pilot.click("#list", offset=(10, 4))
        assert main_screen(app).paper_list.cursor == 4


async def test_hundred_thousand_papers_open_and_reach_the_end(paths):
    store = Store(paths)
    store.import_papers([Paper(key=f"t:{i}", title=f"Synthetic paper number {i} about transformers") for i in range(100_000)])
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        screen = main_screen(app)
        assert len(screen.paper_list.rows) == 100_000
        await pilot.press("G")
        await pilot.pause()
        plist = screen.paper_list
        assert plist.current_key == "t:99999"
        line = "".join(s.text for s in plist.render_line(plist.scrollable_content_region.height - 1))
        assert "number 99999" in line


async def test_view_copied_text_and_save_it(paths, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        await pilot.press("v")
        assert any("Nothing copied yet" in n.message for n in notes(app))
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("v")
        assert app.screen.__class__.__name__ == "TextViewer"
        await pilot.press("w")  # asks where, starting in the current directory
        assert app.screen.query_one("#path-input").value == str(tmp_path / "citation.txt")
        await pilot.press("enter")
        saved = tmp_path / "citation.txt"
        assert saved.read_text() == app.clipboard
        saved.write_text("mine")
        await pilot.press("w", "enter")  # the file exists now: asks before replacing
        assert app.screen.__class__.__name__ == "Confirm"
        await pilot.press("n")
        assert saved.read_text() == "mine"
        await pilot.press("w", "ctrl+u", *"sub", "enter")  # another name; a directory gets citation.txt
        assert (tmp_path / "sub").read_text() == app.clipboard
        (tmp_path / "dir").mkdir()
        await pilot.press("w", "ctrl+u", *str(tmp_path / "dir"), "enter")
        assert (tmp_path / "dir" / "citation.txt").read_text() == app.clipboard
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_detail_toggle_and_narrow_layout(paths):
    app = ReaderApp(paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        screen = main_screen(app)
        assert screen.query_one("#panes").has_class("narrow")
        await pilot.press("d")
        assert not screen.detail.display
        await pilot.press("d")
        assert screen.detail.display


async def test_auto_read_after_configured_seconds(paths):
    paths.config_dir.mkdir(parents=True)
    paths.config.write_text("auto_read_seconds = 1.5\n")
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        await pilot.press("j")  # paper 0 was open far less than 1.5 s
        await pilot.pause(2.0)
        assert app.triage.state(app.triage.keys[1]).read
        assert not app.triage.state(app.triage.keys[0]).read


async def test_import_files_given_on_the_command_line(paths):
    from .conftest import FIXTURES

    app = ReaderApp(paths, files=[str(FIXTURES / "daily_page.txt"), str(FIXTURES / "binary.png")])
    async with app.run_test() as pilot:
        await started(app, pilot)
        assert app.triage.size == 3  # no sample: the user brought files
        messages = [n.message for n in notes(app)]
        assert any("daily_page.txt: 3 papers read, 3 new" in m for m in messages)
        assert any("binary.png: looks like a binary file" in m for m in messages)


async def test_a_snapshot_given_on_the_command_line_is_streamed_in_batches(paths, monkeypatch):
    """`reader FILE` reads the arXiv snapshot the way `reader import` does: in batches of
    bounded size (it was read whole), its unreadable lines counted in the message."""
    import reader.sources.snapshot as snapshot
    from reader.triage import Triage

    from .conftest import FIXTURES

    monkeypatch.setattr(snapshot, "BATCH", 2)
    monkeypatch.setattr(snapshot.iter_snapshot, "__defaults__", (None, "", 2, None))
    sizes: list[int] = []
    real = Triage.import_papers
    monkeypatch.setattr(Triage, "import_papers", lambda self, papers: sizes.append(len(papers)) or real(self, papers))
    app = ReaderApp(paths, files=[str(FIXTURES / "sources" / "snapshot.jsonl")])
    async with app.run_test() as pilot:
        await started(app, pilot)
        assert len(sizes) > 1 and max(sizes) <= 2 and app.triage.size == sum(sizes)
        assert any(f"snapshot.jsonl: {sum(sizes)} papers read, {sum(sizes)} new, 0 already in the library, "
                   "3 unreadable entries skipped" in n.message for n in notes(app))


async def test_corrupt_state_file_app_starts_and_tells(paths):
    Store(paths).import_papers(parse_file(SAMPLE))
    paths.state.write_text('{"state": {"1": {"key": "x", "starred": tr')  # truncated mid-write
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        assert app.triage.size == 52
        assert any("state.json.corrupt-" in n.message for n in notes(app))
        await pilot.press("s")
        app.triage.flush()
    assert list(paths.data_dir.glob("state.json.corrupt-*"))
    assert stored(paths)[app.triage.keys[0]].starred


def test_plain_notes_draw_as_markdown_draws_them():
    """The detail draws a note without markup without markdown-it (not imported before the
    first frame): line for line and style for style what Rich's Markdown draws."""
    import random

    from rich.markdown import Markdown
    from rich.style import Style
    from textual.app import App

    from reader.tui.widgets.detail import PlainNote, hard_breaks, plain_paragraphs

    console = App().console
    base = Style(color="#e0e0e0", bgcolor="#1e1e1e")
    rng = random.Random(7)
    words = ["Worth", "a", "look", "état", "naïve", "模型", "★", "x=1", "(see", "§3)", "50%", "1.5", "e.g.", "don't",
             '"quoted"', "state-of-the-art", "http://example.com/a?b=c", "#tag", "a+b", "done!", "@me", "{x}", "$5",
             "supercalifragilisticexpialidociousandevenlongerthanthepane"]
    notes = ["Plain note", "One line\nand a second\n\nA paragraph after a blank line",
             "Line ending in spaces   \nnext", "Three\n\n\n\nblank lines", "Long " * 40]
    for _ in range(300):
        lines = []
        for _ in range(rng.randint(1, 6)):
            if rng.random() < 0.2:
                lines.append("")
            else:
                lines.append(rng.choice("AbÉz") + " ".join(rng.choice(words) for _ in range(rng.randint(0, 25))))
        notes.append("\n".join(lines).strip("\n"))
    checked = 0
    for note in notes:
        paragraphs = plain_paragraphs(note)
        assert paragraphs is not None, note
        for width in (20, 37, 58):
            options = console.options.update(width=width, height=None, highlight=False, markup=False)
            plain = [list(line) for line in console.render_lines(PlainNote(paragraphs), options, style=base, pad=False)]
            md = Markdown(hard_breaks(note))
            expected = [list(line) for line in console.render_lines(md, options, style=base, pad=False)]
            assert plain == expected, (note, width)
            checked += 1
    assert checked > 900


@pytest.mark.parametrize("note", ["**bold**", "a *b*", "x_y_", "`code`", "[link](u)", "a <b>", "Tom &amp; Jerry",
                                  "~~gone~~", "a | b", "back\\slash", "# Heading", "- item", "1. first", "> quote",
                                  "Para\n===", "Para\n---", "    code", "Tab\there", "no\u00a0break", "2024 was"])
def test_notes_with_markup_go_to_markdown(note):
    from reader.tui.widgets.detail import plain_paragraphs

    assert plain_paragraphs(note) is None


async def test_a_paper_without_abstract_says_where_it_came_from(paths):
    """Not "the imported page" for a BibTeX entry: the file is named, and R is offered
    only when an arXiv id lets it find the abstract."""
    Store(paths).import_papers([
        Paper(key="t:a", title="From a bibliography", source_file="refs.bib"),
        Paper(key="2401.00001", title="From an id list", arxiv_id="2401.00001", source_file="ids.txt"),
    ])
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        detail = app.screen.detail
        assert detail.plain("abstract") == "No abstract in refs.bib."
        await pilot.press("j")
        assert detail.plain("abstract") == "No abstract in ids.txt; R looks it up."


def test_the_detail_lists_authors_as_people_read_them():
    """A trial found the detail pane showing the library's BibTeX forms joined by commas:
    "van der Waals, Johannes, Steele, Jr., Guy L., {World Health Organization}"."""
    from reader.state import PaperState
    from reader.tui.widgets.detail import meta_parts

    paper = Paper(key="k", title="T", authors=["van der Waals, Johannes", "Steele, Jr., Guy L.",
                                                "Beethoven, Ludwig van", "{World Health Organization}", "Ada Lovelace"])
    authors = dict(meta_parts(paper, PaperState()))["Authors"]
    assert authors == ("Johannes van der Waals, Guy L. Steele Jr., Ludwig van Beethoven, "
                       "World Health Organization, Ada Lovelace")
