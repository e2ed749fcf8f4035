"""What the app says as it starts. A key given by [keymap] to an action that another
binding has: the key does the user's action, in every scope, and the warning says what the
other binding keeps (trial 9: "only one of them will work", and it was not the one the user
had bound; then quit = "x" still archived, the main screen's x being looked up before the
app's). A note draft left by a closed window is mentioned."""

from __future__ import annotations

from reader.tui.app import ReaderApp

from .conftest import started


def _messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_the_warning_names_the_binding_the_key_does(paths):
    paths.config_dir.mkdir(parents=True)
    paths.config.write_text('[keymap]\ntoggle_star = "r"\nquit = "x"\n')
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        said = " | ".join(_messages(app))
        assert "toggle_star gets it; toggle_read has no key left" in said, said
        assert "quit gets it; archive has no key left" in said, said
        first = app.triage.keys[0]
        await pilot.press("r")  # what the warning says: a star, not read
        await pilot.pause()
        assert app.triage.state(first).starred and not app.triage.state(first).read
        await pilot.press("x")  # quit, as the user asked: nothing archived
        await pilot.pause()
        assert not app.triage.state(first).archived and not app.is_running


async def test_a_draft_left_by_a_closed_window_is_mentioned_at_start(paths):
    """Trial 9: the draft kept when a window closed mid-note came back only if the note's
    editor happened to be opened again; nothing said it was there."""
    from reader.drafts import save_draft
    from reader.model import Paper
    from reader.storage.store import Store

    Store(paths).import_papers([Paper(key="t:1", title="A paper [CLS] with a note"), Paper(key="t:2", title="Other")])
    assert save_draft(paths, "t:1", "half a thought", "")
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        said = [m for m in _messages(app) if "unsaved note" in m]
        assert said == ["An unsaved note is kept for “A paper [CLS] with a note”: n on that paper brings it back"]


async def test_help_scrolls_with_vim_keys(paths):
    """Trial 9: j and k did nothing in the help screen."""
    app = ReaderApp(paths)
    async with app.run_test(size=(80, 16)) as pilot:
        await started(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        box = app.screen.query_one("#help")
        assert box.max_scroll_y > 3
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert box.scroll_y == 3
        await pilot.press("k")
        await pilot.pause()
        assert box.scroll_y == 2
        await pilot.press("G")
        await pilot.pause()
        assert box.scroll_y == box.max_scroll_y
        await pilot.press("g")
        await pilot.pause()
        assert box.scroll_y == 0


async def test_a_note_is_not_called_saved_while_saving_fails(paths):
    """Trial 9 (a full disk): the header said "not saved yet, retrying" and the note editor
    "Note saved"."""
    from reader.tui.screens.main import MainScreen

    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(app, pilot)
        assert isinstance(screen, MainScreen)
        screen.save_failed("state.json: disk full, change not saved yet")
        key = screen.paper_list.current_key
        screen._note_done(key, "a new note", "")
        await pilot.pause()
        said = [m for m in _messages(app) if m.startswith("Note")]
        assert said == ["Note changed, not saved yet: the last save failed and is retried "
                        "(q keeps unsaved changes in a rescue file)"], said


async def test_a_note_saved_on_a_paper_purged_meanwhile_says_so(paths):
    """Trial 9: another shell purged the paper while its note was being written; the editor
    said "Note saved" and the note was nowhere to be seen."""
    from reader.model import Paper
    from reader.storage.store import Store

    Store(paths).import_papers([Paper(key=f"t:{i}", title=f"Paper {i}") for i in range(3)])
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(app, pilot)
        key = screen.paper_list.current_key
        await pilot.press("n")
        await pilot.pause()
        Store(paths).remove_papers({key})  # `reader purge` in another shell
        await pilot.press("h", "i", "ctrl+s")
        await pilot.pause()
        said = [m for m in _messages(app) if m.startswith("Note")]
        assert said and "purged this paper meanwhile" in said[-1], said
        assert app.triage.state(key).note == "hi"  # kept, for when the paper comes back


async def test_q_at_once_quits_cleanly(paths):
    """q pressed as the app starts (before the progress bars are mounted after the first
    frame): it quit with a MountError traceback and status 1 (7 starts in 8 in tmux)."""

    class Quick(ReaderApp):
        def on_ready(self) -> None:
            self.exit()

    app = Quick(paths)
    async with app.run_test(size=(120, 30)):
        pass
    assert app._exception is None and app.return_code in (0, None)


async def test_a_one_time_index_upgrade_is_said_not_a_blank_screen(paths):
    """A library made before the date index (seasons among months) gets it on opening, once:
    14 s at a million papers, before the first frame (a blank terminal). The app shows a
    loading screen that says what it is doing, and builds it in a thread."""
    import sqlite3

    from reader.model import Paper
    from reader.storage.catalogue import upgrade_pending
    from reader.storage.store import Store
    from reader.tui.app import LoadingScreen

    Store(paths).import_papers([Paper(key=f"t:{i}", title=f"Paper {i}", published=f"2019-0{1 + i % 9}") for i in range(30)])
    assert not upgrade_pending(paths.catalogue)
    db = sqlite3.connect(paths.catalogue)
    db.execute("DROP INDEX papers_by_date")
    db.commit()
    db.close()
    assert upgrade_pending(paths.catalogue)
    app = ReaderApp(paths)
    seen: list[str] = []

    async with app.run_test(size=(120, 30)) as pilot:
        if isinstance(app.screen, LoadingScreen):
            seen.append(app.screen.text)
        screen = await started(app, pilot)
        assert len(screen.paper_list.rows) == 30
    assert seen and "Updating the library's indexes" in seen[0], seen
    assert not upgrade_pending(paths.catalogue)
