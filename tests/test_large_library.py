"""The code paths that keep a million papers instant, at sizes CI can afford: views as
computed sequences, rows read in windows, searches that show their first hits and
complete later, papers imported by another process. (Speed itself is measured in bench/.)"""

from __future__ import annotations

import asyncio
import contextlib

from hypothesis import given
from hypothesis import strategies as st

from reader.model import Paper
from reader.sorting import Ranked, in_order, ranks
from reader.state import Change
from reader.storage.store import Store
from reader.triage import CHUNK, Triage
from reader.tui.app import ReaderApp
from reader.tui.screens import main as main_screen
from reader.views import Complement

from .conftest import started


@given(st.integers(0, 300), st.data())
def test_complement_is_the_list_it_stands_for(n, data):
    excluded = sorted(data.draw(st.sets(st.integers(0, max(0, n - 1)), max_size=n)) if n else [])
    seq = Complement(n, excluded)
    naive = [p for p in range(n) if p not in set(excluded)]
    assert len(seq) == len(naive) and list(seq) == naive
    assert [seq[i] for i in range(len(seq))] == naive
    assert all(seq.index(p) == i for i, p in enumerate(naive))
    assert all((p in seq) == (p in naive) for p in range(-1, n + 1))
    if naive:
        assert seq[-1] == naive[-1]


@given(st.permutations(list(range(60))), st.sets(st.integers(0, 59)))
def test_ranked_rows_find_each_paper_as_a_list_would(order, members):
    rows = [p for p in order if p in members]
    seq = Ranked(rows, ranks(order))
    assert len(seq) == len(rows) and list(seq) == rows and list(seq[1:4]) == rows[1:4]
    assert all(seq.index(p) == i for i, p in enumerate(rows))
    assert all((p in seq) == (p in members) for p in [-1, *range(61), "x"])


def _library(paths, n: int) -> Store:
    store = Store(paths)
    store.import_papers([
        Paper(key=f"t:{i:05d}", title=f"Paper {i} on {'sparse' if i % 3 == 0 else 'dense'} models",
              abstract="attention" if i % 5 == 0 else "kernels")
        for i in range(n)
    ])
    return store


def _papers_with_abstracts(paths, n: int, words, key: str = "t:{i}") -> None:
    """``n`` papers whose abstracts are ``words(i)`` words long (panes to scroll, or not)."""
    Store(paths).import_papers([
        Paper(key=key.format(i=i), title=f"Paper {i}", abstract=" ".join(["word"] * words(i)) + f" end{i}")
        for i in range(n)
    ])


def test_rows_come_in_windows_and_match_the_catalogue(paths):
    n = 3 * CHUNK + 17
    store = _library(paths, n)
    triage = Triage(store, background=False)
    assert triage.size == n
    assert [triage.key_at(i) for i in range(n)] == [p.key for p in store.papers()]
    assert triage.row(CHUNK) == (f"t:{CHUNK:05d}", f"Paper {CHUNK} on dense models", "", None)
    assert triage.paper("t:00700").title == "Paper 700 on dense models"
    assert triage.position("t:00700") == 700 and triage.position("nope") is None


def test_views_from_sparse_marks(paths):
    n = 1000
    store = _library(paths, n)
    store.apply([Change(f"t:{i:05d}", "read", True, 1.0) for i in range(0, n, 7)]
                + [Change("t:00500", "starred", True, 1.0), Change("t:00010", "starred", True, 1.0)]
                + [Change("t:00900", "later", "2026-01-01", 1.0), Change("t:00020", "later", "2026-02-01", 1.0)])
    triage = Triage(store, background=False)
    assert isinstance(triage.view("all"), range)
    unread = triage.view("unread")
    assert list(unread) == [i for i in range(n) if i % 7]
    assert list(triage.view("starred")) == [10, 500]
    assert list(triage.view("later")) == [900, 20]  # queue order
    assert triage.counts()["unread"] == len(unread)
    triage.toggle(["t:00001"], "read")
    assert 1 not in triage.view("unread")


def test_views_switched_back_and_forth_are_read_once_until_a_mark_changes(paths, monkeypatch):
    """1 and 3 back and forth: each view's rows are worked out from the marks once, and
    anew after any change (which must show in them)."""
    from reader import triage as triage_mod

    store = _library(paths, 300)
    store.apply([Change(f"t:{i:05d}", "starred", True, 1.0) for i in (4, 40)])
    triage = Triage(store, background=False)
    made = []
    real = triage_mod.select
    monkeypatch.setattr(triage_mod, "select", lambda view, *a: made.append(view) or real(view, *a))
    for _ in range(3):
        assert list(triage.search_view("starred", "")[0]) == [4, 40]
        assert len(triage.search_view("all", "")[0]) == 300
    assert made == ["starred", "all"]
    triage.toggle(["t:00004"], "starred")
    assert list(triage.search_view("starred", "")[0]) == [40]
    triage.toggle(["t:00005"], "archived")
    assert len(triage.search_view("all", "")[0]) == 299
    assert made == ["starred", "all", "starred", "all"]


def test_search_shows_first_hits_then_completes(paths):
    store = _library(paths, 600)
    triage = Triage(store, background=False)
    full = triage.view("all", "spar")
    assert list(full) == list(range(0, 600, 3))  # title matches
    first, complete = triage.search_view("all", "spar", limit=50)
    assert not complete and list(first) == list(full)[:50]
    # title matches first, then abstract matches, each in library order
    both = list(triage.view("all", "att"))
    assert both == list(range(0, 600, 5))
    triage.toggle(["t:00003"], "read")
    assert list(triage.view("read", "sparse")) == [3]
    triage.set_note("t:00004", "Revisit the zeugma section")
    triage.set_tags(["t:00007"], ["zeitgeist"])
    assert list(triage.view("all", "ze")) == [4, 7]  # notes and tags are searched too
    assert list(triage.view("all", "zeug")) == [4]


def test_marks_searched_at_each_keystroke_follow_every_change(paths):
    """The UI thread's search keeps the words of notes and tags between keystrokes; a
    note, tags, an undo or another instance's marks are seen by the next keystroke."""
    store = _library(paths, 30)
    triage = Triage(store, background=False)
    first = lambda q: list(triage.search_view("all", q, limit=50)[0])  # noqa: E731  (the UI thread's call)
    assert first("zeug") == []
    triage.set_note("t:00004", "Revisit the zeugma section")
    assert first("zeug") == [4]
    triage.set_tags(["t:00007"], ["zeugmatic"])
    assert first("zeug") == [4, 7]
    triage.set_note("t:00004", "")
    assert first("zeug") == [7]
    triage.undo()
    assert first("zeug") == [4, 7]
    other = Triage(Store(paths), background=False)
    other.set_note("t:00009", "zeugma again")
    other.flush()
    triage.refresh_from_disk()
    assert first("zeug") == [4, 7, 9]
    unread = lambda: list(triage.search_view("unread", "", limit=50)[0])  # noqa: E731
    assert 2 in unread() and len(unread()) == 30
    triage.toggle(["t:00002"], "read")
    assert 2 not in unread() and len(unread()) == 29
    triage.undo()
    assert 2 in unread()
    other.refresh_from_disk()
    other.toggle(["t:00002", "t:00003"], "read")
    other.flush()
    triage.refresh_from_disk()
    assert unread()[:4] == [0, 1, 4, 5] and first("zeug") == [4, 7, 9]


def test_long_words_show_verified_first_hits_then_complete(paths):
    """A word longer than the title index's prefixes (6 characters) would make FTS5 merge
    every matching term in memory (80-120 ms a keystroke at a million papers): the first
    hits are read by their first 6 characters and checked against the title; the worker's
    complete search is exact."""
    titles = ["Diffusion models", "Diffusive transport", "Diffusional creep", "Café diffusions",
              "Models of diffusion", "Diffus", "Sparse diffusion models"]
    store = Store(paths)
    store.import_papers([Paper(key=f"t:{i}", title=t, abstract="diffusionist" if i == 5 else "")
                         for i, t in enumerate(titles)])
    triage = Triage(store, background=False)
    full = list(triage.view("all", "diffusio"))
    assert full == [0, 2, 3, 4, 6, 5]  # titles first (not "Diffusive"), then the abstract match
    statements: list[str] = []
    triage.catalogue.db.set_trace_callback(statements.append)
    first, complete = triage.search_view("all", "diffusio", limit=50)
    triage.catalogue.db.set_trace_callback(None)
    assert not complete and list(first) == [0, 2, 3, 4, 6]  # a subset, in order; the worker adds the rest
    assert not any('"diffusio"*' in sql for sql in statements)  # no long prefix reaches FTS5
    first, complete = triage.search_view("all", "diffusion models", limit=50)
    assert list(first) == [0, 4, 6] and list(triage.view("all", "diffusion models")) == [0, 4, 6]
    assert list(triage.search_view("all", "cafe diffusions", limit=50)[0]) == [3]  # diacritics folded
    assert list(triage.search_view("all", "diffusionist", limit=50)[0]) == [5]  # whole word, at once


def test_papers_imported_by_another_process_appear(paths):
    store = _library(paths, 10)
    triage = Triage(store, background=False)
    assert not triage.reload_papers()
    Store(paths).import_papers([Paper(key="t:new", title="Imported elsewhere")])
    assert triage.reload_papers()
    assert triage.size == 11 and triage.key_at(10) == "t:new"


async def test_big_search_in_the_app_completes_in_the_background(paths):
    _library(paths, 600)
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        app.triage.search_first = 20
        screen = app.screen
        await pilot.press("slash", "s", "p", "a")
        await pilot.pause()
        while any(not w.is_finished for w in app.workers):  # earlier keystrokes' workers are cancelled
            await asyncio.sleep(0.01)
        await pilot.pause()
        assert screen.search_text == "spa"
        assert len(screen.paper_list.rows) == 200  # completed beyond the first 20
        header = str(screen.query_one("#header").render())
        assert "200 match" in header
        assert len(app.triage.catalogue._conns) == 1  # the workers closed their connections
        await pilot.press("enter", "G")
        assert screen.paper_list.current_key == "t:00597"


def _dated_library(paths, n: int) -> Store:
    """Papers whose dates, upvotes and titles each sort them differently (with ties and blanks)."""
    store = Store(paths)
    store.import_papers([
        Paper(key=f"t:{i:05d}", title=f"{'abcdefg'[i * 5 % 7]}{'xyz'[i % 3].upper() if i % 2 else 'xyz'[i % 3]} paper {i}",
              published="" if i % 11 == 0 else f"20{10 + i * 7 % 13}-01-{1 + i % 28:02d}",
              upvotes=None if i % 13 == 0 else i * 37 % 101)
        for i in range(n)
    ])
    return store


def _expected(triage: Triage, rows, sort: str) -> list[int]:
    """The sort done naively: every paper read, Python's sort, ties in library order."""
    papers = {p: triage.paper(triage.key_at(p)) for p in rows}
    if sort == "published":  # newest first, undated last
        return sorted(rows, key=lambda p: tuple(-ord(c) for c in papers[p].published) + (1 - bool(papers[p].published), p))
    if sort == "upvotes":  # most first, unknown last
        return sorted(rows, key=lambda p: (papers[p].upvotes is None, -(papers[p].upvotes or 0), p))
    return sorted(rows, key=lambda p: (papers[p].title.lower(), p))


def test_sorted_views_read_the_sort_indexes_and_match_a_naive_sort(paths, monkeypatch):
    import reader.triage as triage_mod

    store = _dated_library(paths, 400)
    store.apply([Change(f"t:{i:05d}", "read", True, 1.0) for i in range(0, 400, 4)]
                + [Change(f"t:{i:05d}", "starred", True, 1.0) for i in range(0, 400, 9)])
    monkeypatch.setattr(triage_mod, "SORT_AT_ONCE", 30)  # sizes of a million, scaled down
    monkeypatch.setattr(triage_mod, "SORT_SCAN", 120)
    db = store.catalogue.db
    for sort in ("published", "upvotes", "title"):
        triage = Triage(Store(paths), background=False)
        for view in ("all", "unread", "starred"):
            rows = triage.view(view)  # library order
            expected = _expected(triage, list(rows), sort)
            triage._orders.clear()
            first, complete = triage.search_view(view, "", limit=10, sort=sort)
            if len(rows) <= 30:  # small: sorted at once, by one query
                assert complete and list(first) == expected
                continue
            # big: a correct prefix at once (from the front of the index), the rest later
            assert not complete and list(first) == expected[:len(first)] and len(first) <= 10
            assert list(triage.view(view, sort=sort)) == expected  # the worker's complete sort
            first, complete = triage.search_view(view, "", limit=10, sort=sort)  # cached order now
            assert list(first) == expected[:len(first)]
        column, desc = triage_mod.COLUMNS[sort]
        from reader.storage.catalogue import _order_by

        plan = str(db.execute(f"EXPLAIN QUERY PLAN SELECT id - 1 FROM papers ORDER BY {_order_by(column, desc)}").fetchall())
        assert "USING COVERING INDEX papers_by_" in plan and "TEMP B-TREE" not in plan


def test_a_big_sort_reads_a_few_screens_at_once(paths, monkeypatch):
    """S on a big view: the UI thread reads only the first SORT_FIRST rows of the sort
    index (2,000 were 10 ms of each S at a million papers), even when it may show more
    search hits at once; the worker's sort brings the rest."""
    import reader.triage as triage_mod

    store = _dated_library(paths, 400)
    monkeypatch.setattr(triage_mod, "SORT_AT_ONCE", 30)
    monkeypatch.setattr(triage_mod, "SORT_FIRST", 25)
    triage = Triage(store, background=False)
    read: list[int] = []
    real = store.catalogue.first_in_order

    def counting(column, descending, inside, limit, scan=None):
        out = real(column, descending, inside, limit, scan)
        read.append(limit)
        return out

    monkeypatch.setattr(store.catalogue, "first_in_order", counting)
    expected = _expected(triage, list(range(400)), "published")
    first, complete = triage.search_view("all", "", limit=300, sort="published")
    assert not complete and list(first) == expected[:25] and read == [25]
    assert list(triage.view("all", sort="published")) == expected


def test_a_paper_is_found_in_a_big_sorted_view_without_scanning_it(paths, monkeypatch):
    """After S the list looks for the paper being read (and orders a selection) by its
    place in the rows: ``array.index`` scanned a million positions on the UI thread for
    it (18 ms). The sorted rows find it by a binary search over the order's ranks."""
    import reader.triage as triage_mod

    class Unscanned(list):
        def index(self, *args):
            raise AssertionError("the rows were scanned")

    _dated_library(paths, 300)
    monkeypatch.setattr(triage_mod, "SORT_AT_ONCE", 20)
    monkeypatch.setattr(triage_mod, "in_order", lambda rows, order: Unscanned(in_order(rows, order)))
    triage = Triage(Store(paths), background=False)
    triage.set([triage.key_at(p) for p in range(0, 300, 3)], "read", True)
    for view in ("all", "unread"):
        expected = _expected(triage, list(triage.view(view)), "upvotes")
        rows = triage.view(view, sort="upvotes")  # the worker's whole sort (then cached: "all" is that order)
        assert list(rows) == expected
        assert all(rows.index(p) == i for i, p in enumerate(expected))
        assert [p in rows for p in (expected[5], 3 if view == "unread" else -1)] == [True, False]
        again, complete = triage.search_view(view, "", limit=10, sort="upvotes")
        assert complete == (view == "all") and list(again) == expected[:len(again)]


def test_a_catalogue_without_sort_indexes_gets_them(paths):
    _dated_library(paths, 50).catalogue.close()
    import sqlite3

    db = sqlite3.connect(paths.catalogue)
    for name in ("papers_by_date", "papers_by_upvotes", "papers_by_title"):
        db.execute(f"DROP INDEX {name}")
    db.commit()
    db.close()
    triage = Triage(Store(paths), background=False)
    names = {r[0] for r in triage.catalogue.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"papers_by_date", "papers_by_upvotes", "papers_by_title"} <= names
    assert list(triage.view("all", sort="title")) == _expected(triage, range(50), "title")


async def test_sorting_a_big_view_in_the_app_shows_the_first_rows_then_all(paths, monkeypatch):
    import reader.triage as triage_mod

    _dated_library(paths, 300)
    monkeypatch.setattr(triage_mod, "SORT_AT_ONCE", 20)
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        app.triage.search_first = 15
        screen = app.screen
        await pilot.press("S")  # added -> published
        assert screen.sort == "published"
        plist = screen.paper_list
        expected = _expected(app.triage, range(300), "published")
        assert list(plist.rows) == expected[:len(plist.rows)]
        while any(not w.is_finished for w in app.workers):
            await asyncio.sleep(0.01)
        await pilot.pause()
        assert list(plist.rows) == expected
        await pilot.press("S", "S")  # upvotes, then title: a result for an old sort never lands
        while any(not w.is_finished for w in app.workers):
            await asyncio.sleep(0.01)
        await pilot.pause()
        assert screen.sort == "title" and list(plist.rows) == _expected(app.triage, range(300), "title")


async def test_a_screenful_of_rows_reads_no_paper_records(paths, monkeypatch):
    """A row's date and upvotes come with its key and title (one query a screenful):
    reading each row's whole record for them cost 1.5-2 ms a screenful at 1M papers."""
    from reader.storage.catalogue import Catalogue

    store = _dated_library(paths, 300)
    store.import_papers([Paper(key="t:hf", title="From a page without a year", listing_date="May 29", upvotes=0)])
    app = ReaderApp(paths)
    async with app.run_test(size=(220, 30)) as pilot:  # wide enough for the columns
        await started(app, pilot)
        screen = app.screen
        plist = screen.paper_list
        reads: list[str] = []
        real = Catalogue.paper
        monkeypatch.setattr(Catalogue, "paper", lambda self, key: reads.append(key) or real(self, key))
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        shown = [plist.render_line(y).text for y in range(plist.size.height)]
        assert len(set(reads)) <= 6 < plist.size.height  # the detail's papers (shown, built ahead), not the rows
        for y, line in enumerate(shown):  # each row's columns: its date and upvotes
            paper = app.triage.paper(app.triage.key_at(plist.rows[round(plist.scroll_offset.y) + y]))
            votes = "" if paper.upvotes is None else f"▲{paper.upvotes}"
            assert line.rstrip().endswith(f" {paper.published:<10} {votes:>5}".rstrip()), line
        await pilot.press("G")
        await pilot.pause()
        last = plist.render_line(plist.cursor - round(plist.scroll_offset.y)).text
        assert "From a page without a year" in last and last.rstrip().endswith("May 29        ▲0")


async def test_list_scrollbar_follows_the_row_count_and_j_moves_the_highlight(paths):
    """The list redraws only the two rows a key changes and skips Textual's scrollbar
    refresh on every layout; the scrollbar must still follow the rows, the highlight the key."""
    _library(paths, 100)
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        screen = app.screen
        plist = screen.paper_list
        assert plist.vertical_scrollbar.display and plist.vertical_scrollbar.window_virtual_size == 100

        def cursor_rows() -> list[int]:
            style = plist.get_component_rich_style("paper-list--cursor")
            return [y for y in range(5) if any(s.style and style.bgcolor == s.style.bgcolor for s in plist.render_line(y))]

        assert cursor_rows() == [0]
        await pilot.press("j", "j")
        await pilot.pause()
        assert cursor_rows() == [2]
        await pilot.press("slash")
        await pilot.pause()
        layouts = screen._layout_updates
        await pilot.press(*"paper 17")  # "Paper 17 on ..." only
        await pilot.pause()
        bar = plist.vertical_scrollbar  # always there (a scrollbar shown or hidden lays out the screen)
        assert len(plist.rows) == 1 and bar.display and set(bar._cells()) == {None}  # no thumb
        assert screen._layout_updates == layouts  # the keystrokes laid out nothing
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert len(plist.rows) == 100 and bar.display and None not in bar._cells()[:3]
        await pilot.press("G")
        await pilot.pause()
        assert plist.scroll_offset.y > 0 and plist.vertical_scrollbar.position == plist.scroll_offset.y


async def test_detail_follows_the_cursor_in_the_same_call_and_rewraps_on_resize(paths):
    """The list hands the detail its paper as the cursor moves (no message round trip, no
    timer), so both are drawn in the frame that follows the key; a resize re-wraps."""
    Store(paths).import_papers([
        Paper(key=f"t:{i}", title=f"Paper {i}", abstract=" ".join(["word"] * 200) + f" end{i}") for i in range(5)
    ])
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        screen = app.screen
        plist, detail = screen.paper_list, screen.detail
        plist.action_cursor_down()  # what j runs; nothing awaited yet
        assert detail.plain("title") == "Paper 1" and detail.plain("abstract").endswith("end1")
        wide = detail.rendered("abstract")
        assert max(map(len, wide)) <= detail.scrollable_content_region.width
        await pilot.resize_terminal(80, 30)
        await pilot.pause()
        narrow = detail.rendered("abstract")
        assert len(narrow) != len(wide) and max(map(len, narrow)) <= detail.scrollable_content_region.width
        assert narrow[-1].endswith("end1")
        assert detail.virtual_size.height == len(detail._ensure_lines())  # the scroll range follows
        for width in (116, 104):  # narrower, still side by side (no restyling on the way)
            await pilot.resize_terminal(width, 30)
            await pilot.pause()
            text_width = detail.scrollable_content_region.width
            assert max(map(len, detail.rendered("abstract"))) <= text_width
            assert max(map(len, detail.rendered("abstract"))) > text_width - 8  # filled: wrapped to this width
            assert {plist.render_line(y).cell_length for y in range(3)} == {plist.content_region.width}  # bar's column too


async def test_keys_lay_out_nothing_and_the_scroll_ranges_follow(paths, monkeypatch):
    """j, a star and a view switch draw the rows and the detail without laying out the
    screen again (a layout of every widget cost two extra frames, 25-90 ms, per key); the
    scroll range and scrollbar of each pane still follow its paper or view, from the first
    paper on (a paper as long as the one before included)."""
    from textual.screen import Screen

    _papers_with_abstracts(paths, 60, lambda i: 40 + 300 * (i % 3))
    app = ReaderApp(paths)
    layouts: list[str] = []
    real = Screen._refresh_layout

    def counted(self, *args, **kwargs):
        layouts.append(type(self).__name__)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        screen = app.screen
        plist, detail = screen.paper_list, screen.detail

        def follows() -> None:
            lines = len(detail._ensure_lines())
            assert detail.virtual_size.height == lines
            assert detail.vertical_scrollbar.window_virtual_size == lines
            assert plist.vertical_scrollbar.window_virtual_size == len(plist.rows)

        follows()
        layouts.clear()
        for key in ["j", "j", "j", "j", "s", "2", "j", "1", "k"]:  # papers 0..4 alternate short/long
            await pilot.press(key)
            await pilot.pause()
            follows()
        assert layouts == []
        await pilot.press("tab", "G")  # the detail scrolls to the end of the long abstract
        await pilot.pause()
        assert detail.scroll_offset.y == detail.virtual_size.height - detail.scrollable_content_region.height > 0


async def test_a_sorted_screenful_is_read_in_one_query(paths, monkeypatch):
    """A sorted view's rows lie all over the library; reading each with its neighbours
    cost a query per row (50 ms a screen at a million papers). The screen's rows are read
    at once, and the rows shown are the sorted ones."""
    import reader.triage as triage_mod

    monkeypatch.setattr(triage_mod, "CHUNK", 4)  # neighbourhoods of 4: a screenful spans ~28 of them
    Store(paths).import_papers([Paper(key=f"t:{i:03d}", title=f"Paper {(i * 37) % 300:03d}") for i in range(300)])
    app = ReaderApp(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(app, pilot)
        screen, catalogue = app.screen, app.triage.catalogue
        calls: list[str] = []
        for name in ("titles", "titles_of"):
            real = getattr(catalogue, name)
            monkeypatch.setattr(catalogue, name, lambda *a, _real=real, _name=name: calls.append(_name) or _real(*a))
        await pilot.press("S", "S", "S")  # added -> published -> upvotes -> title
        while any(not w.is_finished for w in app.workers):
            await asyncio.sleep(0.01)
        await pilot.pause()
        plist = screen.paper_list
        assert screen.sort == "title"
        shown = ["".join(s.text for s in plist.render_line(y)).split("Paper ")[1][:3] for y in range(5)]
        assert shown == ["000", "001", "002", "003", "004"]
        assert len(calls) <= 3 * 2, calls  # each sort: its screenful in one query (plus a chunk or so)


async def test_a_sort_still_in_the_worker_says_so_rather_than_no_papers(paths, monkeypatch):
    """When none of a big view's first rows are found at once (they lie deep in the sort
    index), the list says it is sorting until the worker's complete order arrives."""
    import threading

    import reader.triage as triage_mod

    monkeypatch.setattr(triage_mod, "SORT_AT_ONCE", 5)
    monkeypatch.setattr(triage_mod, "SORT_SCAN", 3)
    store = Store(paths)
    # the starred papers have the oldest dates: the front of the published index holds none
    store.import_papers([Paper(key=f"t:{i:02d}", title=f"Paper {i}", published=f"20{10 + i:02d}-01-01") for i in range(40)])
    store.apply([Change(f"t:{i:02d}", "starred", True, 1.0) for i in range(10)])
    app = ReaderApp(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(app, pilot)
        screen = app.screen
        plist = screen.paper_list
        go = threading.Event()
        real = app.triage.view
        monkeypatch.setattr(app.triage, "view", lambda *a, **k: go.wait(10) and real(*a, **k))
        await pilot.press("3", "S")  # Starred, sorted by date
        await pilot.pause()
        assert screen.sort == "published" and len(plist.rows) == 0
        assert "".join(s.text for s in plist.render_line(0)).strip() == "Sorting…"
        go.set()
        while any(not w.is_finished for w in app.workers):
            await asyncio.sleep(0.01)
        await pilot.pause()
        assert [app.triage.key_at(p) for p in plist.rows] == [f"t:{i:02d}" for i in range(9, -1, -1)]


def test_a_read_nobody_wants_any_more_stops(paths, monkeypatch):
    """A complete search or sort told to stop ends with Interrupted: from SQLite's own loop
    (the progress handler) and between the steps, with nothing left set on the connection."""
    import pytest

    from reader.storage import catalogue
    from reader.storage.catalogue import Interrupted, search_words

    monkeypatch.setattr(catalogue, "STOP_EVERY", 10)  # SQLite asks every 10 steps: a small library is read in fewer

    store = _library(paths, 3000)
    triage = Triage(store, background=False)
    asked = []

    def stop_after(n: int):
        def stop() -> bool:
            asked.append(1)
            return len(asked) > n
        return stop

    cat = triage.catalogue
    with pytest.raises(Interrupted), cat.interruptible(lambda: True):
        cat.search(search_words("spar"))
    for n in (0, 1, 2):  # before the search, inside SQLite
        asked.clear()
        with pytest.raises(Interrupted):
            triage.view("all", "spar", "title", stop=stop_after(n))
    monkeypatch.setattr(catalogue, "STOP_EVERY", 10**9)  # SQLite never asks: the steps' checks stop it
    for n in (1, 2):
        asked.clear()
        with pytest.raises(Interrupted):
            triage.view("all", "spar", "title", stop=stop_after(n))
        assert len(asked) == n + 1
    assert list(triage.view("all", "spar", "title", stop=lambda: False)) == list(triage.view("all", "spar", "title"))
    assert len(cat.search(search_words("spar"))[0]) == 1000  # the handler is gone: nothing stops this one


async def test_a_search_typed_on_stops_the_one_before(paths, monkeypatch):
    """Each keystroke of a big search starts a worker for the complete result; the next one
    cancels it. Cancelled, it must stop reading: before, a query typed at once left one thread
    per letter reading a million rows, and the GIL they held slowed every keystroke after.
    A burst of letters starts reading only for the last one."""
    _library(paths, 600)
    app = ReaderApp(paths)
    calls: list[tuple[str, str]] = []
    real = Triage.view

    def view(self, name, query="", sort="added", stop=None, pause=None):
        if stop is None or pause is None:
            calls.append((query, "no stop"))
            return real(self, name, query, sort)
        calls.append((query, "started"))
        for _ in range(500):  # a read that lasts until it is told to stop (at most 5 s)
            if stop():
                calls.append((query, "stopped"))
                from reader.storage.catalogue import Interrupted
                raise Interrupted()
            __import__("time").sleep(0.01)
        calls.append((query, "ran to the end"))
        return real(self, name, query, sort)

    monkeypatch.setattr(Triage, "view", view)
    # Pilot waits for the screen after each key: on a loaded machine (CI) that took longer than
    # the app's 0.15 s, and the first letter's read started. The test is of the burst, not of
    # how fast Pilot types: a longer settle, and wait for the read to start.
    monkeypatch.setattr(main_screen, "TYPING_SETTLE", 1.0)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(app, pilot)
        app.triage.search_first = 20
        await pilot.press("slash", "s", "p", "a")  # one burst
        for _ in range(500):
            if calls:
                break
            await pilot.pause(0.01)
        await pilot.pause(0.1)
        assert calls == [("spa", "started")]
        await pilot.press("r")
        while any(not w.is_finished for w in app.workers):
            await asyncio.sleep(0.01)
        await pilot.pause()
        assert calls[:2] == [("spa", "started"), ("spa", "stopped")]
        assert calls[2:] == [("spar", "started"), ("spar", "ran to the end")]
        assert screen.search_text == "spar" and len(screen.paper_list.rows) == 200


async def test_scrollbars_redraw_only_what_changed_and_show_what_a_full_redraw_would(paths):
    """On a key, each pane's scrollbar redraws only the cells where its thumb changed (a
    whole scrollbar costs as much as a pane of text). What it shows must stay exactly what
    Textual would draw from scratch: checked after keys that grow, shrink, move, hide and
    show the thumbs (papers of 4 lengths, scrolling both panes, a resize, a new view)."""
    from textual.geometry import Offset, Region
    from textual.scrollbar import ScrollBar
    from textual.widget import Widget

    _papers_with_abstracts(paths, 90, lambda i: 20 + 150 * (i % 4) + i, key="t:{i:03d}")
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(app, pilot)
        bars = [screen.paper_list.vertical_scrollbar, screen.detail.vertical_scrollbar]
        partial = 0

        def drawn_as_from_scratch() -> None:
            for bar in bars:
                region = Region(0, 0, bar.size.width, bar.size.height)
                shown = bar.render_lines(region)
                bar._render_content()  # from scratch: the bar drawn again, every line restyled
                bar._styles_cache.clear()
                assert bar.render_lines(region) == shown, bar.parent.id
                for hover, grab in ((False, None), (True, None), (False, Offset(0, 1)), (False, None)):
                    bar.mouse_over, bar.grabbed = hover, grab  # (each a whole redraw)
                    bar._render_content()  # its own way, straight from the segments
                    mine = bar._render_cache.lines
                    Widget._render_content(bar)  # Textual's way, through Rich
                    assert mine == bar._render_cache.lines, (bar.parent.id, hover, grab)

        real_refresh = ScrollBar.refresh

        def counting(self, *regions, **kwargs):
            nonlocal partial
            partial += bool(regions)
            return real_refresh(self, *regions, **kwargs)

        ScrollBar.refresh = counting
        try:
            scrolled = set()
            for key in ["j", "j", "tab", "j", "j", "G", "k", "tab", "j", "k", "k", "tab", "G", "tab", "G", "k",
                        "j", "j", "j", "j", "g", "j", "2", "1", "j"]:
                await pilot.press(key)
                await pilot.pause()
                drawn_as_from_scratch()
                scrolled |= {bar.parent.id for bar in bars if bar.parent.scroll_offset.y}
            assert scrolled == {"list", "detail"}
            await pilot.resize_terminal(110, 26)
            await pilot.pause()
            await pilot.press("j", "j")
            await pilot.pause()
            drawn_as_from_scratch()
        finally:
            ScrollBar.refresh = real_refresh
        assert partial >= 5  # the thrifty path was taken (and checked above)


async def test_the_next_paper_is_built_ahead_and_shown_exactly_as_if_built_then(paths, monkeypatch):
    """Once keys pause, the next paper in the direction of travel is wrapped ahead, so the
    next j or k only draws. What is shown must be what building it then would give, also
    when its marks changed meanwhile (here by another route than the keys)."""
    from reader.tui.widgets.detail import DetailPane

    _papers_with_abstracts(paths, 30, lambda i: 30 + 50 * (i % 3), key="t:{i:02d}")
    app = ReaderApp(paths)
    built: list[str] = []
    real = DetailPane._build

    def build(self, width, paper, st, words):
        built.append(paper.key if paper else "")
        return real(self, width, paper, st, words)

    monkeypatch.setattr(DetailPane, "_build", build)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(app, pilot)
        detail = screen.detail

        def as_built_now() -> None:
            paper, st, words = detail._shown
            fresh = real(detail, detail._width, paper, st, words)
            assert (detail._lines, detail._sections) == fresh

        async def press(key: str) -> bool:
            """Whether the paper the key showed had to be built while the key was handled."""
            built.clear()
            await pilot.press(key)
            shown = detail._shown[0].key
            as_built_now()
            await pilot.pause(0.15)  # keys pause: the next one is built ahead
            return shown in built

        await pilot.pause(0.15)
        assert not await press("j")  # built ahead after the start
        assert "t:02" in built
        assert not await press("j")
        assert not await press("k")  # t:01, kept
        assert not await press("k")
        app.triage.toggle(["t:01"], "starred")  # marks changed after it was built
        assert await press("j")  # built again, with the star
        await press("G")
        assert not await press("k")  # going up: the one above was built ahead
        await pilot.press("g", "j", "j", "j", "j")  # a burst
        await pilot.pause()
        as_built_now()
        await pilot.press("slash", "w", "o", "r", "enter")  # the match marks are part of the lines
        await pilot.pause(0.15)
        as_built_now()
        assert not await press("j")
        assert detail._lines != real(detail, detail._width, detail._shown[0], detail._shown[1], [])[0]


async def test_a_mark_redraws_only_the_detail_lines_it_changes_and_keeps_the_scroll(paths):
    """A star, a tag or a note on the paper being read keeps the detail where the reader
    scrolled it, and redraws only the lines that changed (a star changes one line of the
    metadata; the whole pane cost as much as a new paper). What is on screen stays what a
    full redraw would show."""
    from textual.geometry import Region

    Store(paths).import_papers([
        Paper(key=f"t:{i}", title=f"Paper {i}", abstract=" ".join(f"w{k}" for k in range(400))) for i in range(5)
    ])
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(app, pilot)
        detail = screen.detail
        redrawn: list = []
        real = type(detail).refresh

        def counted(self, *regions, **kwargs):
            redrawn.append(regions or "all")
            return real(self, *regions, **kwargs)

        def as_from_scratch() -> None:
            region = Region(0, 0, detail.size.width, detail.size.height)
            shown = detail.render_lines(region)
            detail._styles_cache.clear()
            assert detail.render_lines(region) == shown

        await pilot.press("tab", "j", "tab")  # scrolled by a line: the title is off screen, the status shows
        await pilot.pause()
        assert detail.scroll_offset.y == 1
        type(detail).refresh = counted
        try:
            for keys in (["s"], ["l"], ["s"], ["l"]):
                redrawn.clear()
                await pilot.press(*keys)
                await pilot.pause()
                assert detail.scroll_offset.y == 1
                assert redrawn and "all" not in redrawn and len(redrawn) <= 3, redrawn
                as_from_scratch()
        finally:
            type(detail).refresh = real
        await pilot.press("j")  # another paper: from its top
        await pilot.pause()
        assert detail.scroll_offset.y == 0
        as_from_scratch()


@given(st.lists(st.tuples(st.sampled_from(["read", "starred", "later", "archived", "note", "undo", "redo", "ghost"]),
                          st.lists(st.integers(0, 11), min_size=1, max_size=3)), max_size=25))
def test_view_counts_follow_each_change_by_its_difference(ops):
    """The header's counts are updated by the difference each change makes (a full count
    walked every mark on each key: 10 ms at 5,000 marks); they must always equal a recount,
    through toggles, notes, undo, redo and marks on papers the library does not have."""
    import tempfile
    from pathlib import Path

    from reader.paths import Paths
    from reader.views import counts

    with tempfile.TemporaryDirectory() as d:
        store = Store(Paths(Path(d), Path(d)))
        store.import_papers([Paper(key=f"t:{i}", title=f"Paper {i}") for i in range(10)])
        triage = Triage(store, background=False)
        for op, rows in ops:
            keys = [f"t:{i}" for i in rows]  # t:10 and t:11 are not in the library
            triage.counts()  # cached, then updated by the change
            if op == "note":
                triage.set_note(keys[0], "" if rows[0] % 2 else f"note {rows}")
            elif op == "undo":
                triage.undo()
            elif op == "redo":
                triage.redo()
            elif op == "ghost":
                triage.toggle(["t:99"], "starred")
            else:
                triage.toggle(keys, op)
            assert triage.counts() == counts(10, {k: s for k, s in triage.states.items() if k in triage.pos})
        triage.close()


async def test_workers_wait_while_keys_come(paths):
    """A worker completing a big sort or search holds the GIL a row at a time; each key's
    frame then waited for it again and again (2-3 times as long at a million papers). The
    worker's pause (called between its steps) waits while keys are coming, and not after."""
    import threading
    import time

    from reader.tui import app as app_module

    _library(paths, 30)
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        waited: list[float] = []

        def worker_step() -> None:
            t = time.monotonic()
            app.yield_to_keys()
            waited.append(time.monotonic() - t)

        await pilot.pause(app_module.KEYS_QUIET * 2)
        worker_step()  # no key for a while: on at once
        before = app._key_at
        await pilot.press("j")
        assert app._key_at > before  # each key read is noted
        app._key_at = time.monotonic()  # a key just now
        thread = threading.Thread(target=worker_step)
        thread.start()
        thread.join()
        assert waited[0] < 0.01
        assert waited[1] >= app_module.KEYS_QUIET * 0.8


def test_warming_the_search_keeps_its_words_only_if_no_mark_changed_meanwhile(paths, monkeypatch):
    """/ splits the words of every note in a thread, for the first keystroke; a mark that
    changes while it runs (the UI thread goes on) must not leave that older list in use."""
    store = _library(paths, 50)
    triage = Triage(store, background=False)
    triage.set_note("t:00004", "zeugma")
    triage.warm_search()
    assert triage._noted is not None and list(triage.view("all", "zeug")) == [4]
    real = Triage._noted_words

    def racing(self, states, positions):
        out = real(self, states, positions)
        if states is not self.states:  # the warming thread, on its copies: a note changes meanwhile
            triage.set_note("t:00007", "zeitgeist")
        return out

    monkeypatch.setattr(Triage, "_noted_words", racing)
    triage.warm_search()
    monkeypatch.setattr(Triage, "_noted_words", real)
    assert list(triage.search_view("all", "zeit")[0]) == [7]
    triage.close()


async def test_a_search_letter_and_its_results_are_drawn_in_one_frame(paths, monkeypatch):
    """The search box asks for its frame before the keystroke's results exist; Textual drew
    the letter at once and the results a frame later (20-40 ms). The first frame after the
    letter must hold both the box and the panes."""
    from textual.screen import Screen

    _library(paths, 200)
    app = ReaderApp(paths)
    frames: list[set[str]] = []
    real = Screen._compositor_refresh

    def recorded(self):
        frames.append({w.id or type(w).__name__ for w in self._dirty_widgets})
        return real(self)

    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        await pilot.press("slash")
        await pilot.pause(0.2)
        monkeypatch.setattr(Screen, "_compositor_refresh", recorded)
        for letter in "spar":
            frames.clear()
            await pilot.press(letter)
            await pilot.pause(0.05)
            assert frames and {"search", "list", "detail"} <= frames[0], frames


def test_a_long_word_no_title_has_checks_a_bounded_number_of_titles(paths, monkeypatch):
    """"optimizer" where every title starts "optimi..." but none is "optimizer": the first
    hits checked every such title on the UI thread (5-21 s at a million papers, keys lost
    meanwhile). At most LONG_SCAN are checked; the complete search stays exact."""
    from reader.storage import catalogue

    Store(paths).import_papers([
        Paper(key=f"t:{i}", title=f"Optimization paper {i}", abstract="optimizer" if i % 100 == 7 else "x")
        for i in range(600)
    ])
    triage = Triage(Store(paths), background=False)
    monkeypatch.setattr(catalogue, "LONG_SCAN", 50)
    checked = []
    real = catalogue.fold
    monkeypatch.setattr(catalogue, "fold", lambda text: checked.append(text) or real(text))
    first, complete = triage.search_view("all", "optimizer", limit=20)
    assert len(checked) <= 50 + 1 and not complete  # the word itself, then at most 50 titles
    assert list(triage.view("all", "optimizer")) == list(range(7, 600, 100))  # the abstracts, exactly
    triage.close()


@contextlib.asynccontextmanager
async def _sorting_app(paths, monkeypatch):
    """The app on 300 papers that sort differently by each column, with sizes of a million
    scaled down: a view over 20 papers is sorted in a worker, and shows its first 15 rows
    at once. Yields (app, pilot, screen, list)."""
    import reader.triage as triage_mod

    _dated_library(paths, 300)
    monkeypatch.setattr(triage_mod, "SORT_AT_ONCE", 20)
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(app, pilot)
        app.triage.search_first = 15
        yield app, pilot, screen, screen.paper_list


def _hold_whole_views(monkeypatch):
    """Workers computing a whole view (a big sort's complete order) wait for the event
    returned, so a test can act while only the first rows are shown."""
    import threading

    gate = threading.Event()
    real_view = Triage.view

    def held(self, *args, **kwargs):
        gate.wait(5)
        return real_view(self, *args, **kwargs)

    monkeypatch.setattr(Triage, "view", held)
    return gate


async def test_a_big_sort_keeps_the_paper_being_read(paths, monkeypatch):
    """S on a big view shows the new order's first rows at once; the paper being read is
    usually not among them. When the worker's complete order lands, the highlight must
    be on that paper again (it stayed on whichever row the cursor fell on; a trial found
    it), unless the reader moved meanwhile."""
    async with _sorting_app(paths, monkeypatch) as (app, pilot, screen, plist):

        async def done() -> None:
            while any(not w.is_finished for w in app.workers):
                await asyncio.sleep(0.01)
            await pilot.pause()

        await pilot.press("G")
        await pilot.pause()
        reading = plist.current_key
        await pilot.press("S")  # -> published: its first 15 rows, then all
        await done()
        assert screen.sort == "published" and plist.current_key == reading
        assert screen.detail._shown[0].key == reading
        gate = _hold_whole_views(monkeypatch)
        await pilot.press("G", "S")  # -> upvotes; the reader moves on before the order lands
        await pilot.pause()
        await pilot.press("g")
        first = plist.current_key
        gate.set()
        await done()
        assert screen.sort == "upvotes" and plist.current_key == first != reading


async def test_keys_during_a_big_sort_act_on_the_paper_being_read(paths, monkeypatch):
    """While only the first rows of a big sort are shown, the paper being read is not
    among them: the row under the cursor was another paper, shown in the detail, and `s`
    starred it (a trial: reading one paper, S then s starred another; the detail went
    back when the sort landed). Now nothing is highlighted meanwhile, the detail and the
    keys stay on the paper being read, and it is highlighted when the sort lands."""
    async with _sorting_app(paths, monkeypatch) as (app, pilot, screen, plist):
        gate = _hold_whole_views(monkeypatch)
        await pilot.press(*["j"] * 12)
        reading = plist.current_key
        await pilot.press("S", "s")  # the sort is still in the worker
        await pilot.pause()
        assert screen.sort == "published" and len(plist.rows) == 15
        assert reading not in [app.triage.key_at(p) for p in plist.rows]
        assert plist.current_key == reading and screen.detail._shown[0].key == reading
        assert app.triage.state(reading).starred
        assert [k for k, st in app.triage.states.items() if st.starred] == [reading]
        assert not any(plist._highlighted(r) for r in range(len(plist.rows)))
        gate.set()
        while any(not w.is_finished for w in app.workers):
            await asyncio.sleep(0.01)
        await pilot.pause()
        assert len(plist.rows) == 300 and app.triage.key_at(plist.rows[plist.cursor]) == reading
        assert plist._highlighted(plist.cursor) and plist.current_key == reading
        await pilot.press("j")  # and on from there
        assert plist.current_key == app.triage.key_at(plist.rows[plist.cursor]) != reading


async def test_the_header_keeps_the_search_count_in_view_at_any_width(paths):
    """Wide counts and a long query ran off the header's end, taking the match count (and
    its "+", still searching) with them (a trial at 1M papers and 120 columns): counts turn
    compact (12k) and then the query is shortened, never the count."""
    _library(paths, 1200)
    app = ReaderApp(paths)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(app, pilot)
        await pilot.press("slash", *"dense models kernels", "enter")
        await pilot.pause()
        text = str(screen.query_one("#header").render())
        assert len(text.rstrip()) <= 80, text
        assert text.rstrip().endswith(": 640"), text  # "dense" titles (2 in 3) with "kernels" abstracts (4 in 5)
        assert "1.2k" in text and "…" in text
        await pilot.resize_terminal(160, 24)
        await pilot.pause()
        text = str(screen.query_one("#header").render())
        assert "“dense models kernels”: 640 matches" in text and "1200" in text  # room: all of it


def test_a_search_can_mix_note_or_tag_words_with_the_paper_s_own(paths, monkeypatch):
    """"zqtag sparse": a tag word and a title word. Notes and tags were matched on their
    own, so a query mixing them found nothing (a trial found it). The UI thread checks a
    bounded number of such papers; the worker all of them."""
    import reader.triage as triage_mod

    store = _library(paths, 60)
    triage = Triage(store, background=False)
    triage.set_tags(["t:00003", "t:00004", "t:00006"], ["zqtag"])
    triage.set_note("t:00009", "Revisit the zeugma section")
    assert list(triage.view("all", "zqtag sparse")) == [3, 6]  # titles of 3 and 6 say "sparse"
    assert list(triage.view("all", "zqtag kern")) == [3, 4, 6]  # abstracts say "kernels"
    assert list(triage.view("all", "zqtag dense")) == [4]
    assert list(triage.view("all", "zeugma revisit")) == [9]  # the note alone, as before
    assert list(triage.view("all", "zeugma dense")) == []  # paper 9: "sparse"
    assert list(triage.view("all", "zqtag zeugma")) == []
    monkeypatch.setattr(triage_mod, "MIXED_FIRST", 1)
    first, complete = triage.search_view("all", "zqtag kern", limit=50)
    assert not complete and set(first) <= {3, 4, 6}
    assert list(triage.view("all", "zqtag kern")) == [3, 4, 6]
    triage.close()


def test_notes_and_tags_are_searched_without_accents_as_titles_are(paths):
    """A trial found "unicode" finding titles with "Ünïcode" but not a tag "Ünïcode tag"."""
    store = _library(paths, 50)
    triage = Triage(store, background=False)
    triage.set_tags(["t:00004"], ["Ünïcode tag"])
    triage.set_note("t:00009", "Gödel's proof")
    assert list(triage.view("all", "unicode")) == [4]
    assert list(triage.view("all", "ÜNÏC")) == [4]
    assert list(triage.view("all", "godel")) == [9]
    assert list(triage.search_view("all", "gödel")[0]) == [9]
