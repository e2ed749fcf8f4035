"""What the app says as it starts. A key given by [keymap] to an action that another
binding has: the warning says which of the two the key does, and it does that one (trial 9:
"only one of them will work", and it was not the one the user had bound). A note draft left
by a closed window is mentioned."""

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
        assert "archive gets it (its binding is looked up first)" in said, said
        first = app.triage.keys[0]
        await pilot.press("r")  # what the warning says: a star, not read
        await pilot.pause()
        assert app.triage.state(first).starred and not app.triage.state(first).read
        await pilot.press("x")  # archive, and the app is still here
        await pilot.pause()
        assert app.triage.state(first).archived and app.is_running


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
