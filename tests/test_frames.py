"""What a key costs the frame that shows it: lines styled once (ahead, for the next paper),
lines made as wide as Textual draws them, scrollbar cells reused, and garbage collected
between keys. Each shortcut must draw exactly what Textual's own path draws. (Speed itself
is measured in bench/.)"""

from __future__ import annotations

import gc
import sys

import pytest
from textual._styles_cache import StylesCache
from textual.geometry import Region
from textual.widget import Widget

from reader.tui import idle_gc
from reader.tui.app import ReaderApp
from reader.tui.idle_gc import IdleCollector
from reader.tui.widgets.scrolling import exact_strip

from .conftest import started
from .test_large_library import _papers_with_abstracts


def _panes(screen) -> list[Widget]:
    return [screen.paper_list, screen.detail, screen.paper_list.vertical_scrollbar,
            screen.detail.vertical_scrollbar]


def _as_textual_draws(widget: Widget) -> None:
    """The widget's lines as they are drawn, against Textual's own path from scratch."""
    region = Region(0, 0, widget.size.width, widget.size.height)
    shown = widget.render_lines(region)
    widget._styles_cache.clear()
    theirs = Widget.render_lines(widget, region)
    assert [line.text for line in shown] == [line.text for line in theirs], type(widget).__name__
    assert shown == theirs, type(widget).__name__


@pytest.mark.parametrize("no_color", [False, True])
async def test_finished_lines_are_what_textual_draws(paths, monkeypatch, no_color):
    """Through keys that move, scroll, search (highlighted matches), star, switch views and
    themes, focus the other pane and resize; with NO_COLOR too (another filter)."""
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    _papers_with_abstracts(paths, 90, lambda i: 20 + 150 * (i % 4) + i, key="t:{i:03d}")
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(app, pilot)
        fast = 0
        for keys in [["j"], ["j", "j"], ["G"], ["k"], ["s"], ["tab"], ["j"], ["tab"], ["2"], ["1"],
                     ["slash", "w", "o", "r", "enter"], ["j"], ["escape"], ["g"]]:
            await pilot.press(*keys)
            await pilot.pause(0.1)
            for widget in _panes(screen):
                fast += widget._finish_setup() is not None
                _as_textual_draws(widget)
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        await pilot.resize_terminal(100, 24)
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause(0.1)
        for widget in _panes(screen):
            _as_textual_draws(widget)
        assert fast >= 40  # the shortcut was taken (and checked above)


async def test_the_next_paper_is_styled_before_its_key(paths):
    """Once keys pause, the next paper is wrapped and its lines styled as Textual will draw
    them: the frame of the next j styles none of the detail's lines."""
    _papers_with_abstracts(paths, 20, lambda i: 200 + i, key="t:{i:02d}")
    app = ReaderApp(paths)
    styled: list[str] = []
    real = StylesCache.render_line

    def counting(self, *args, **kwargs):
        caller, ahead = sys._getframe(1), False
        frame = caller
        while frame is not None:  # styled by finish_ahead (keys paused), or in a frame?
            ahead = ahead or frame.f_code.co_name == "finish_ahead"
            frame = frame.f_back
        if caller.f_code.co_name == "render":  # Textual's own path: the widget is one call up
            caller = caller.f_back
        widget = caller.f_locals.get("widget", caller.f_locals.get("self"))
        if not ahead and type(widget).__name__ == "DetailPane":
            styled.append(args[1])  # the row
        return real(self, *args, **kwargs)

    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(app, pilot)
        await pilot.pause(0.3)  # keys paused: the next paper is made ready
        detail = screen.detail
        StylesCache.render_line = counting
        try:
            for _ in range(3):
                styled.clear()
                await pilot.press("j")
                await pilot.pause()
                lines = detail.render_lines(Region(0, 0, detail.size.width, detail.size.height))
                assert len(lines) == detail.size.height
                assert styled == [], styled  # none of the detail's lines styled in the frame of the key
                await pilot.pause(0.3)
        finally:
            StylesCache.render_line = real


async def test_lines_are_as_wide_as_textual_draws_them(paths):
    """A line a cell narrower than the pane (its scrollbar's column) was copied, padded, by
    Textual for every line of every frame."""
    _papers_with_abstracts(paths, 20, lambda i: 200 + i, key="t:{i:02d}")
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(app, pilot)
        for pane in (screen.paper_list, screen.detail):
            width = pane.content_region.width
            assert pane.content_width(3) < width  # the scrollbar's column
            assert {pane.render_line(y).cell_length for y in range(pane.size.height)} == {width}
    assert exact_strip([], 3, None).text == "   "
    from rich.segment import Segment

    assert exact_strip([Segment("abcdef")], 4, None).text == "abcd"


async def test_scrollbar_cells_are_reused_from_frame_to_frame(paths):
    _papers_with_abstracts(paths, 20, lambda i: 200 + 30 * i, key="t:{i:02d}")
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(app, pilot)
        bar = screen.detail.vertical_scrollbar
        bar._render_content()
        first = {line.text: line for line in bar._render_cache.lines}
        await pilot.press("j")
        await pilot.pause()
        bar._render_content()
        assert all(first.get(line.text, line) is line for line in bar._render_cache.lines)


# -- garbage collection between keys ------------------------------------------------------

class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def thresholds():
    saved = gc.get_threshold()
    yield
    gc.set_threshold(*saved)


def test_collections_wait_for_keys_to_pause(thresholds, monkeypatch):
    clock, last_key = Clock(), [100.0]
    collector = IdleCollector(lambda: last_key[0], clock)
    counts = [idle_gc.WORTH + 5, 0, 0]
    monkeypatch.setattr(gc, "get_count", lambda: tuple(counts))
    made = []
    monkeypatch.setattr(gc, "collect", lambda generation=2: made.append(generation))
    assert collector.tick() is None  # not started: Python collects as it always does
    collector.start()
    assert gc.get_threshold()[0] == idle_gc.YOUNG
    clock.now = last_key[0] + idle_gc.QUIET / 2
    assert collector.tick() is None and made == []  # a key just came
    clock.now = last_key[0] + idle_gc.QUIET + 0.001
    assert collector.tick() == 0 and made == [0]
    counts[:] = [idle_gc.WORTH - 1, 0, 0]
    assert collector.tick() is None  # too little to collect
    counts[:] = [0, gc.get_threshold()[1], 0]
    assert collector.tick() == 1  # the middle generation is due, as Python would have it
    counts[:] = [0, 0, gc.get_threshold()[2]]
    assert collector.tick() == 2
    gc.disable()  # a load in a thread, a smooth scroll: they have it paused
    try:
        counts[:] = [idle_gc.WORTH * 10, 0, 0]
        assert collector.tick() is None
    finally:
        gc.enable()
    collector.stop()
    assert gc.get_threshold()[0] != idle_gc.YOUNG


async def test_the_app_collects_between_keys_and_gives_the_thresholds_back(paths, thresholds):
    _papers_with_abstracts(paths, 20, lambda i: 50, key="t:{i:02d}")
    before = gc.get_threshold()
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        assert gc.get_threshold()[0] == idle_gc.YOUNG
        for _ in range(5):
            await pilot.press("j")
            junk = [[i] for i in range(idle_gc.WORTH * 2)]  # young objects enough to collect
            await pilot.pause(idle_gc.QUIET + 3 * idle_gc.EVERY)
            del junk
        assert sum(app.idle_gc.collections) >= 1
    assert gc.get_threshold() == before


async def test_a_star_styles_only_the_lines_it_changes(paths):
    """A star changes one list row and one line of the detail: the frame styles those, not
    the whole screen (the first version of the finished lines restyled every row and every
    detail line after a star: 14 -> 24 ms a star in the bench)."""
    _papers_with_abstracts(paths, 20, lambda i: 200 + i, key="t:{i:02d}")
    app = ReaderApp(paths)
    styled: list[str] = []
    real = StylesCache.render_line

    def counting(self, *args, **kwargs):
        caller = sys._getframe(1)
        if caller.f_code.co_name == "render":  # Textual's own path: the widget is one call up
            caller = caller.f_back
        styled.append(type(caller.f_locals.get("widget", caller.f_locals.get("self"))).__name__)
        return real(self, *args, **kwargs)

    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        await pilot.pause(0.3)
        StylesCache.render_line = counting
        try:
            for key in ("s", "l", "s"):
                styled.clear()
                await pilot.press(key)
                await pilot.pause()
                assert styled.count("PaperList") <= 1 and styled.count("DetailPane") <= 2, (key, styled)
        finally:
            StylesCache.render_line = real
