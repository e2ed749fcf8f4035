"""The code paths that keep a million papers instant, at sizes CI can afford: views as
computed sequences, rows read in windows, searches that show their first hits and
complete later, papers imported by another process. (Speed itself is measured in bench/.)"""

from __future__ import annotations

import asyncio

from hypothesis import given
from hypothesis import strategies as st

from reader.model import Paper
from reader.state import Change
from reader.storage.store import Store
from reader.triage import CHUNK, Triage
from reader.tui.app import ReaderApp
from reader.views import Complement


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


def _library(paths, n: int) -> Store:
    store = Store(paths)
    store.import_papers([
        Paper(key=f"t:{i:05d}", title=f"Paper {i} on {'sparse' if i % 3 == 0 else 'dense'} models",
              abstract="attention" if i % 5 == 0 else "kernels")
        for i in range(n)
    ])
    return store


def test_rows_come_in_windows_and_match_the_catalogue(paths):
    n = 3 * CHUNK + 17
    store = _library(paths, n)
    triage = Triage(store, background=False)
    assert triage.size == n
    assert [triage.key_at(i) for i in range(n)] == [p.key for p in store.papers()]
    assert triage.row(CHUNK) == (f"t:{CHUNK:05d}", f"Paper {CHUNK} on dense models")
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
        await app.loaded.wait()
        await pilot.pause()
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
