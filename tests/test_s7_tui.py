"""The detail pane and the dialogs: Pilot tests driving real keys."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Button, Label

from reader.model import Paper
from reader.parsers import parse_file
from reader.state import Change
from reader.storage.store import Store
from reader.tui.app import ReaderApp
from reader.tui.screens.main import MainScreen

from .conftest import SAMPLE, started


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


@pytest.fixture(autouse=True)
def no_system_clipboard(monkeypatch):
    from reader import clipboard

    monkeypatch.setattr(clipboard, "system_copy", lambda text, timeout=3: clipboard.SystemResult(True, "fake"))
    monkeypatch.setattr("reader.tui.screens.main.system_copy", lambda text: clipboard.SystemResult(True, "fake"))


CHARACTERS = {"comma": ",", "space": " ", "number_sign": "#"}


async def typed_at_once(pilot, *keys: str) -> None:
    """The keys as one terminal write delivers them (tmux send-keys with several keys, a
    fast typist, a paste): all in the app's queue before it handles the first. Pilot's
    press waits for the app to be idle after each key, which hides what this shows."""
    app = pilot.app
    for key in keys:
        app.post_message(events.Key(key, CHARACTERS.get(key, key if len(key) == 1 else None)))
    for _ in range(12):  # keys read again after a focus change make a few more rounds
        await pilot.pause()
    await app.workers.wait_for_complete()  # the copy
    await pilot.pause()


def main_screen(app) -> MainScreen:
    return next(s for s in app.screen_stack if isinstance(s, MainScreen))


def tagged_library(paths) -> str:
    s = Store(paths)
    s.import_papers(parse_file(SAMPLE)[:3])
    key = s.papers()[0].key
    s.apply([Change(key, "tags", ["sae"])])
    return key


async def test_typing_in_the_tag_editor_adds_after_the_tags_it_shows(paths):
    """The field selected its text when it opened, so the first key typed replaced the
    paper's tags: t then ", rl" enter tagged it "rl" alone."""
    key = tagged_library(paths)
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        await pilot.press("t", "comma", "space", "r", "l", "enter")
        assert app.triage.state(key).tags == ["rl", "sae"]


async def test_keys_typed_at_once_as_the_tag_editor_opens_land_in_it_in_order(paths):
    """t, ", rl", enter and y in one write (the last session, in tmux) tagged the paper
    "rly": the enter ran after the y was typed. Now the tags are right and the y after
    the enter copies the citation on the main screen."""
    key = tagged_library(paths)
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        await typed_at_once(pilot, "t", "comma", "space", "r", "l", "enter", "y")
        assert isinstance(app.screen, MainScreen)
        assert app.triage.state(key).tags == ["rl", "sae"]
        assert main_screen(app).last_copy.startswith("@misc{")  # y copied
        # bound keys between letters, in order: end, three backspaces ("sae" of "rl, sae"), x
        await typed_at_once(pilot, "t", "end", *["backspace"] * 3, "x", "enter", "j")
        assert app.triage.state(key).tags == ["rl", "x"]
        assert main_screen(app).paper_list.cursor == 1  # j moved on


async def test_keys_typed_at_once_in_the_note_editor_keep_their_order(paths):
    """In one write: a backspace ran after the letters behind it ("hi" backspace "o" saved
    "hi"), a y after ctrl+s went into the note, and esc (a priority binding, run as the app
    read it) closed the editor before the letter typed before it reached it: "n x esc" left
    without asking, and the x archived the paper."""
    Store(paths).import_papers(parse_file(SAMPLE)[:3])
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        key = app.triage.keys[0]
        await typed_at_once(pilot, "n", "h", "i", "backspace", "o", "ctrl+s", "y")
        assert isinstance(app.screen, MainScreen)
        assert app.triage.state(key).note == "ho"
        assert main_screen(app).last_copy.startswith("@misc{")
        await typed_at_once(pilot, "n", "x", "escape")
        assert app.screen.__class__.__name__ == "Confirm"  # an edit is never dropped unasked
        await typed_at_once(pilot, "y", "j")  # discard, then the next paper
        assert isinstance(app.screen, MainScreen)
        assert app.triage.state(key).note == "ho" and not app.triage.state(key).archived
        assert main_screen(app).paper_list.cursor == 1


async def test_a_key_typed_at_once_after_choosing_in_a_picker_goes_to_the_list(paths):
    """Y, down, enter, j in one write: the j reached the picker before its enter had
    chosen, and was lost."""
    Store(paths).import_papers(parse_file(SAMPLE)[:3])
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        await typed_at_once(pilot, "Y", "down", "enter", "j")
        assert isinstance(app.screen, MainScreen)
        assert app.clipboard.startswith("@online{")  # the format below BibTeX
        assert main_screen(app).paper_list.cursor == 1


def fits(widget) -> bool:
    """The widget is drawn whole inside its container (not cut at the dialog's edge)."""
    return widget.outer_size.width <= widget.parent.content_size.width


def buttons_in_sight(screen) -> bool:
    inside = screen.query_one(".dialog").content_region
    return all(inside.contains_region(button.region) for button in screen.query(Button))


async def test_dialog_texts_wrap_on_a_60_column_terminal(paths):
    """At 60 columns a dialog's Label was as wide as its text and cut at the dialog's edge:
    the tag editor lost "esc cancels", the note editor the end of the title, and the
    conflict dialog the end of both sides, which are what the user chooses between, and its
    last button (and all of them, below long texts)."""
    s = Store(paths)
    s.import_papers([Paper(key="t:a", title="A title long enough to need two lines in a dialog on a "
                                             "terminal only sixty columns wide [CLS]"),
                     Paper(key="t:b", title="Another paper")])
    s.apply([Change("t:a", "tags", ["x"])])
    app = ReaderApp(paths)
    async with app.run_test(size=(60, 24)) as pilot:
        await started(app, pilot)
        await pilot.press("t")
        label = app.screen.query_one(Label)
        assert fits(label) and label.size.height >= 2 and str(label.render()).endswith("esc cancels)")
        assert str(label.render()).startswith("Tags for “")  # the paper it tags, named as in the note editor
        await pilot.press("escape", "n")
        title = app.screen.query_one(".dialog-title")
        assert fits(title) and title.size.height == 2
        await pilot.press(*"mine, a long text to show whole on both sides of the dialog")
        theirs = "theirs, also a long text to see whole in the dialog"
        Store(paths).apply([Change("t:a", "note", theirs)])
        await pilot.press("ctrl+s")
        assert app.screen.__class__.__name__ == "Conflict"
        for side in ("#conflict-mine", "#conflict-theirs"):
            assert fits(app.screen.query_one(side)) and app.screen.query_one(side).size.height == 2
        assert buttons_in_sight(app.screen)
        await pilot.press("m")
        assert app.triage.state("t:a").note.startswith("mine")
        # both sides long: they scroll, the buttons stay in sight
        await pilot.press("n", *"and more" * 8)
        Store(paths).apply([Change("t:a", "note", theirs * 8)])
        await pilot.press("ctrl+s")
        assert buttons_in_sight(app.screen)
        await pilot.press("t")
        assert app.triage.state("t:a").note == theirs * 8


async def test_the_tag_editor_shows_the_end_of_long_tags_where_the_cursor_is(paths):
    """The cursor started after the tags but the field showed their start: with tags
    longer than the field, the cursor was out of sight until a key was typed."""
    s = Store(paths)
    s.import_papers([Paper(key="t:a", title="A")])
    s.apply([Change("t:a", "tags", ["a tag long enough to pass the edge", "another long tag", "the end"])])
    app = ReaderApp(paths)
    async with app.run_test(size=(60, 24)) as pilot:
        await started(app, pilot)
        await pilot.press("t")
        field = app.screen.query_one("#tags-input")
        assert field.cursor_at_end
        assert field.scroll_offset.x > 0 and field.scroll_offset.x + field.content_size.width >= len(field.value)


async def test_the_detail_shows_the_venue_and_publisher_and_indents_wrapped_values(paths):
    """A demanding reader found no venue at all in the detail pane (a chapter's book, a
    journal's volume and pages, a publisher), and wrapped values going back to the edge
    under the labels; tag chips split at a space inside a tag."""
    s = Store(paths)
    s.import_papers([
        Paper(key="t:c", title="A Chapter", authors=["Ada Lovelace"], editors=["Tor Edi", "Bea Two",
              "Open Book Collective", "van der Waals, Johannes"], entry_type="chapter",
              journal="The Handbook of [Re] Things", pages="1–20", publisher="Pub [b]", published="2021"),
        Paper(key="t:j", title="A Journal Paper", journal="Nature", volume="612", issue="3", pages="45",
              journal_date="2022", published="2022"),
        Paper(key="2401.00001", title="A preprint", arxiv_id="2401.00001", journal_ref="Accepted at NeurIPS 2023"),
    ])
    s.apply([Change("t:c", "tags", ["a" * 50, "ab cd"])])  # at 58 columns " ab" fits after the first
    app = ReaderApp(paths)
    async with app.run_test(size=(60, 40)) as pilot:
        await started(app, pilot)
        detail = app.screen.detail
        width = detail.content_size.width
        shown = {}
        for _ in range(3):
            shown[app.screen.paper_list.current_key] = (detail.rendered("meta"), detail.rendered("tags"))
            await pilot.press("j")
    meta, tags = shown["t:c"]
    assert meta[:5] == ["Authors   Ada Lovelace",
                        "Editors   Tor Edi, Bea Two, Open Book Collective,",
                        "          Johannes van der Waals",
                        "Venue     The Handbook of [Re] Things, pp. 1–20",
                        "Publisher Pub [b]"]
    assert width == 58 and tags == [" " + "a" * 50, " ab cd"]
    assert "Venue     Nature, vol. 612, no. 3, p. 45" in shown["t:j"][0]
    assert "Venue     Accepted at NeurIPS 2023" in shown["2401.00001"][0]


async def test_the_note_editor_keeps_room_to_type_on_a_short_terminal(paths):
    """At 60x14 the wrapped title of a long paper took the rows of the text area: it was
    drawn as its border alone, and the hint was cut off."""
    Store(paths).import_papers([Paper(key="t:a", title="A title long enough to wrap over three lines in the note "
                                                       "editor's dialog on a terminal only sixty columns wide, "
                                                       "like many real titles")])
    app = ReaderApp(paths)
    async with app.run_test(size=(60, 14)) as pilot:
        await started(app, pilot)
        await pilot.press("n")
        inside = app.screen.query_one(".dialog").content_region
        area, hint = app.screen.query_one("#note-text"), app.screen.query(".dialog-hint").last()
        assert area.content_size.height >= 3
        assert inside.contains_region(area.region) and inside.contains_region(hint.region)
        await pilot.press(*"typed", "ctrl+s")
        assert app.triage.state("t:a").note == "typed"


async def test_what_is_pasted_into_the_editors_is_cleaned_and_a_tag_list_keeps_every_line(paths):
    """A paste reached the field as it was: an ESC [31m in it went to the terminal (the
    field turned red; the saved text was cleaned only later), and in the tag editor a list
    of tags, one a line, was cut to its first line."""
    Store(paths).import_papers([Paper(key="t:a", title="A")])
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        await pilot.press("t")
        # lines end in carriage returns as a terminal pastes them (or CRLF)
        app.post_message(events.Paste("alpha\r\x1b[31mbeta gamma\x1b[0m\x07\r\n\r\tdelta\r"))
        await pilot.pause()
        assert app.screen.query_one("#tags-input").value == "alpha, beta gamma, delta"
        await pilot.press("enter", "n")
        app.post_message(events.Paste("one\x1b[31m red\x1b]0;title\x07\r\ttwo"))
        await pilot.pause()
        area = app.screen.query_one("#note-text")
        assert area.text == "one red\n\ttwo"
        assert "\x1b" not in "".join(area.get_line(i).plain for i in range(area.document.line_count))
        await pilot.press("ctrl+s")
    state = app.triage.state("t:a")
    assert state.tags == ["alpha", "beta gamma", "delta"] and state.note == "one red\n\ttwo"


async def test_enter_in_a_confirmation_or_a_conflict_loses_nothing(paths):
    """The first button had the focus: enter in "Discard the changes to this note?" (Yes)
    dropped the note being typed, and enter in the conflict dialog (Keep mine) dropped the
    other instance's note."""
    Store(paths).import_papers([Paper(key="t:a", title="A")])
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        await pilot.press("n", *"typed", "escape")
        assert app.screen.__class__.__name__ == "Confirm"
        await pilot.press("enter")  # No: back to the text
        assert app.screen.__class__.__name__ == "NoteEditor" and app.screen.text == "typed"
        Store(paths).apply([Change("t:a", "note", "theirs")])
        await pilot.press("ctrl+s")
        assert app.screen.__class__.__name__ == "Conflict"
        await pilot.press("enter")  # Keep both
        assert app.triage.state("t:a").note == "theirs\n\ntyped"


async def test_backspace_typed_at_once_in_the_search_box_acts_in_its_place(paths):
    """Helper B's finding: "/learnx", backspace, enter in one write searched "learnx" (the
    backspace ran after the queued letters, and went to the list)."""
    Store(paths).import_papers(parse_file(SAMPLE))
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        await typed_at_once(pilot, "slash", "l", "e", "a", "r", "n", "x", "backspace", "enter")
        assert main_screen(app).search_text == "learn"


async def test_joiners_typed_in_the_note_editor_are_kept(paths):
    """Trial 9: a typed zero-width joiner or non-joiner was dropped (Textual types only what
    str.isprintable() accepts): 👩‍💻 became 👩💻 and می‌خواهم changed its spelling."""
    Store(paths).import_papers(parse_file(SAMPLE))
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        key = main_screen(app).paper_list.current_key
        await pilot.press("n")
        await pilot.pause()
        for char in "👩\u200d💻 می\u200cخواهم":
            app.post_message(events.Key("space" if char == " " else char, char))
            await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.triage.state(key).note == "👩\u200d💻 می\u200cخواهم"


async def test_j_and_k_move_in_the_format_picker(paths):
    """Trial 9: j j enter in the Y picker, meaning the third format, copied the first."""
    from reader.citations import FORMAT_LABELS

    Store(paths).import_papers(parse_file(SAMPLE))
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        await pilot.press("Y")
        await pilot.pause()
        picker = app.screen.query_one("#formats")
        await pilot.press("j", "j", "k", "j", "j")
        assert picker.highlighted == 3
        await pilot.press("G")
        assert picker.highlighted == len(FORMAT_LABELS) - 1
        await pilot.press("g")
        assert picker.highlighted == 0


async def test_the_detail_reads_and_others_seasons_and_circa_as_people_do(paths):
    """Helper E's findings: a final BibTeX "and others" showed as a name ("…, Nick Ryder,
    others"); a season and an approximate date showed as stored (2019-21, 1900~)."""
    from reader.citations.metadata import readable_date

    Store(paths).import_papers([
        Paper(key="t:1", title="GPT-3", authors=["Brown, Tom", "Ryder, Nick", "others"], published="2019-21"),
        Paper(key="t:2", title="Old", authors=["Someone"], published="1900~"),
    ])
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(app, pilot)
        meta = screen.detail.plain("meta")
        assert "Tom Brown, Nick Ryder et al." in meta and "others" not in meta
        assert "Spring 2019" in meta
    assert readable_date("1900~") == "circa 1900" and readable_date("2019-05-03") == "2019-05-03"
    assert readable_date("2019-21~") == "circa Spring 2019"
