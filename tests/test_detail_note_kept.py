"""A paper's note is rendered (Markdown) once, not on every mark: a star on a paper with a
20 KB note rendered it again, 170-250 ms a key (trial 10). A changed note, width or theme
renders it anew."""

from __future__ import annotations

from reader.model import Paper
from reader.state import Change
from reader.storage.store import Store
from reader.tui.app import ReaderApp
from reader.tui.widgets import detail as detail_mod

from .conftest import started


async def test_a_mark_does_not_render_the_note_again(paths, monkeypatch):
    store = Store(paths)
    store.import_papers([Paper(key=f"t:{i}", title=f"Paper {i}") for i in range(3)])
    note = "\n\n".join(f"Paragraph {i}: *some* thoughts" for i in range(60))
    store.apply([Change("t:0", "note", note, 1.0)])
    rendered: list[str] = []
    real = detail_mod.note_renderable

    def counting(text):
        rendered.append(text)
        return real(text)

    monkeypatch.setattr(detail_mod, "note_renderable", counting)
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(app, pilot)
        assert screen.paper_list.current_key == "t:0"
        assert "Paragraph 0: some thoughts" in screen.detail.rendered("note")
        rendered.clear()
        await pilot.press("s", "l", "s")
        await pilot.pause(0.2)
        assert rendered == []
        assert "Paragraph 59: some thoughts" in screen.detail.rendered("note")
        assert app.triage.state("t:0").later and not app.triage.state("t:0").starred
        app.triage.set_note("t:0", note + "\n\nOne more")  # a changed note is drawn anew
        screen.refresh_marks(["t:0"])
        await pilot.pause(0.2)
        assert len(rendered) == 1 and "One more" in screen.detail.rendered("note")
        await pilot.resize_terminal(100, 30)  # another width
        await pilot.pause(0.2)
        assert len(rendered) == 2
