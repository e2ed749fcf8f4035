"""[keymap] across scopes: a key the user gives to an action does that action wherever it
is pressed, even where a default binding of the key would be looked up first (``quit =
"x"`` archived: the main screen's x came before the app's). The action that had the key
keeps its other keys, or has none and says so; the footer and the help show the result.

The app gives Textual its key map through ``reader.tui.keys.install_keymap``; these tests
call it on the app they start, so they check the key map itself (the app's own call is
``test_the_app_installs_the_keymap``)."""

from __future__ import annotations

from reader.keymap import NO_KEY, KeyRow, effective, textual_keymap
from reader.tui.app import ReaderApp
from reader.tui.keys import effective_keymap, install_keymap

from .conftest import started


def _app(paths, keymap: str) -> ReaderApp:
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config.write_text("[keymap]\n" + keymap)
    app = ReaderApp(paths)
    install_keymap(app, app.config.keymap)
    return app


def _footer(app) -> dict[str, str]:
    from textual.widgets._footer import FooterKey

    return {k.description: k.key_display for k in app.screen.query(FooterKey) if k.description}


def _said(app) -> str:
    return " | ".join(n.message for n in app._notifications)


def test_a_default_key_given_to_an_action_of_another_scope_is_taken_from_its_binding():
    defaults = [KeyRow("app", "quit", ("q",), "Quit"), KeyRow("main", "archive", ("x",), "Archive"),
                KeyRow("list", "down", ("j", "down"), "Down"), KeyRow("detail", "scroll", ("j",), "Scroll"),
                KeyRow("main", "star", ("s",), "Star")]
    rows, warnings = effective(defaults, {"quit": "x", "star": "j"})
    keys = {r.id: r.keys for r in rows}
    assert keys == {"quit": ("x",), "archive": (), "down": ("down",), "scroll": (), "star": ("j",)}
    assert [r.id for r in rows if r.displaced] == ["archive", "down", "scroll"]
    said = " | ".join(warnings)
    assert "key 'x' is bound to both archive (Archive) and quit (Quit); quit gets it; archive has no key left" in said
    assert "stays in the command palette (ctrl+p)" in said
    assert "star gets it; down keeps down" in said
    assert textual_keymap(rows, {"quit": "x", "star": "j"}) == {
        "quit": "x", "star": "j", "archive": NO_KEY, "down": "down", "scroll": NO_KEY}


def test_a_key_written_as_its_character_is_seen_as_the_default_binding_of_it():
    rows, warnings = effective_keymap({"toggle_star": "?"})  # help's key is named question_mark
    help_row = next(r for r in rows if r.id == "help")
    assert help_row.keys == ("f1",) and help_row.displaced
    assert any("'question_mark'" in w and "help keeps f1" in w for w in warnings), warnings


async def test_quit_on_x_quits_and_archive_has_no_key(paths):
    app = _app(paths, 'quit = "x"\n')
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        first = app.triage.keys[0]
        assert "archive has no key left" in _said(app)
        assert _footer(app)["Quit"] == "x"
        await pilot.press("question_mark")
        await pilot.pause()
        help_rows = dict((text, keys) for keys, text in app.screen.rows)
        assert help_rows["Quit"].split(", ")[-1] == "x" and "q" not in help_rows["Quit"].split(", ")
        assert help_rows["Archive / unarchive (no key: ctrl+p)"] == "—"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert not app.is_running
    assert not app.triage.state(first).archived


async def test_a_list_key_given_to_a_screen_action_does_that_action_in_the_list(paths):
    """j is the list's (looked up before the screen's bindings): mapped to star, j stars
    the paper with the list focused, and the list moves on down alone."""
    app = _app(paths, 'toggle_star = "j"\n')
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(app, pilot)
        assert screen.focused is screen.paper_list
        first = app.triage.keys[0]
        await pilot.press("j")
        await pilot.pause()
        assert app.triage.state(first).starred
        assert screen.paper_list.cursor == 0
        await pilot.press("down")
        await pilot.pause()
        assert screen.paper_list.cursor == 1
        await pilot.press("s")  # star's old key: nothing else took it, and star has it no more
        await pilot.pause()
        assert not app.triage.state(app.triage.keys[1]).starred


async def test_an_app_key_given_to_a_screen_action_is_its_and_the_app_action_keeps_its_other(paths):
    app = _app(paths, 'toggle_star = "question_mark"\n')
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        first = app.triage.keys[0]
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.triage.state(first).starred
        await pilot.press("f1")  # help keeps f1
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        assert ("f1", "Help") in app.screen.rows
        assert ("?", "Star") in app.screen.rows


async def test_the_app_installs_the_keymap(paths):
    paths.config_dir.mkdir(parents=True)
    paths.config.write_text('[keymap]\nquit = "x"\ntoggle_read = "s"\n')
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        said = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert said["Archive / unarchive"] == "no key (give it one in the keymap of config.toml)" and said["Read"] == "key: s"
        assert "Star" not in _footer(app) and _footer(app)["Read"] == "s"  # star has no key left
        first = app.triage.keys[0]
        await pilot.press("x")
        await pilot.pause()
        assert not app.triage.state(first).archived and not app.is_running
