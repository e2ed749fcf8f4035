"""The list keeps each row's Strip by the paper it shows, so a view switch draws only the
papers the last view did not show; and a kept Strip is never stale: marks changed off
screen, search words, an import that retitles a paper, a purge that moves papers."""

from __future__ import annotations

from reader.model import Paper, placeholder_title
from reader.state import Change
from reader.storage.store import Store
from reader.tui.app import ReaderApp
from reader.tui.widgets.paper_list import PaperList

from .conftest import started


def _library(paths, n: int) -> Store:
    store = Store(paths)
    store.import_papers([Paper(key=f"t:{i:03d}", title=f"Paper {i} on kernels") for i in range(n)])
    return store


def _as_drawn_from_scratch(plist: PaperList) -> list[str]:
    """The rows on screen (segments and styles), against the same rows drawn anew."""
    shown = [plist.render_line(y) for y in range(plist.size.height)]
    plist._cache.clear()
    fresh = [plist.render_line(y) for y in range(plist.size.height)]
    assert [s.text for s in shown] == [s.text for s in fresh]
    assert [list(s) for s in shown] == [list(s) for s in fresh]
    return [s.text for s in shown]


async def test_a_view_switch_draws_only_the_papers_the_last_view_did_not_show(paths, monkeypatch):
    store = _library(paths, 80)
    store.apply([Change(f"t:{i:03d}", "read", True, 1.0) for i in (1, 4, 6)])
    drawn: list[int] = []
    real = PaperList._render_row

    def counting(self, row, width):
        drawn.append(self.rows[row])
        return real(self, row, width)

    monkeypatch.setattr(PaperList, "_render_row", counting)
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(app, pilot)
        plist = screen.paper_list
        await pilot.pause(0.2)
        height = plist.size.height
        on_screen = set(plist.rows[:height])
        drawn.clear()
        await pilot.press("2")  # Unread: three papers out, three more come up from below
        await pilot.pause(0.2)
        assert screen.view == "unread"
        new = set(plist.rows[:height]) - on_screen
        assert len(new) == 3
        # the three new ones, and the highlight moved to another paper (or stayed): at most two more
        assert new <= set(drawn) and len(drawn) <= len(new) + 2, drawn
        _as_drawn_from_scratch(plist)
        drawn.clear()
        await pilot.press("1")
        await pilot.pause(0.2)
        assert len(drawn) <= 3 + 2, drawn  # the read ones were not kept past... they were: at most these
        _as_drawn_from_scratch(plist)


async def test_kept_rows_are_never_stale(paths):
    _library(paths, 80).import_papers([Paper(key="2401.00001", arxiv_id="2401.00001",
                                             title=placeholder_title("2401.00001"))])
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(app, pilot)
        plist = screen.paper_list
        # three papers selected at the top, then marked read from the bottom of the list:
        # their rows are off screen when their marks change
        await pilot.press("space", "space", "space", "G")  # space selects and moves down
        await pilot.pause(0.2)
        await pilot.press("r")
        await pilot.pause(0.2)
        await pilot.press("escape", "g")
        await pilot.pause(0.2)
        rows = _as_drawn_from_scratch(plist)
        top = [app.triage.key_at(p) for p in plist.rows[:3]]
        assert all(app.triage.state(k).read for k in top)
        assert [r[1] for r in rows[:4]] == [" ", " ", " ", "●"], rows[:4]  # no unread mark
        # undo off screen, then back
        await pilot.press("G", "u")
        await pilot.pause(0.2)
        await pilot.press("g")
        await pilot.pause(0.2)
        assert [r[1] for r in _as_drawn_from_scratch(plist)[:3]] == ["●", "●", "●"]
        # a view and back, then a search: its words are marked in the rows
        await pilot.press("2", "1", "slash", "k", "e", "r", "enter")
        await pilot.pause(0.3)
        _as_drawn_from_scratch(plist)
        await pilot.press("escape")
        await pilot.pause(0.2)
        # search words set while the list keeps its focus (no refresh on focus): marked
        screen.search_text = "kern"
        screen.reload(index=0)
        await pilot.pause(0.2)
        _as_drawn_from_scratch(plist)
        screen.search_text = ""
        screen.reload(index=0)
        await pilot.pause(0.2)
        # metadata found for a paper imported from a bare id: its title replaces the placeholder
        plist.cursor = list(plist.rows).index(app.triage.position("2401.00001"))
        await pilot.pause(0.2)
        assert any("2401.00001" in r for r in _as_drawn_from_scratch(plist))
        app.triage.update_papers({"2401.00001": Paper(key="2401.00001", arxiv_id="2401.00001", title="Found title")})
        screen.reload(keep_key="2401.00001")
        await pilot.pause(0.2)
        assert any("Found title" in r for r in _as_drawn_from_scratch(plist))
        # a paper archived and purged: the papers after it move up a position, and no row
        # shows what was drawn for its position before
        await pilot.press("g", "j", "x")
        await pilot.pause(0.2)
        assert app.triage.purge()
        screen.reload(keep_key=plist.current_key)
        await pilot.pause(0.2)
        rows = _as_drawn_from_scratch(plist)
        titles = [r.split("Paper ")[1].split(" on")[0] for r in rows if "Paper " in r]
        assert len(set(titles)) == len(titles) and "1" not in titles, titles
