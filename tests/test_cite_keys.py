"""Citation keys that do not go stale (issue 10 §5): `y` and `reader export` first
complete incomplete papers (local API server), keys from incomplete metadata are never
pinned, and the user is told they may still change."""

from __future__ import annotations

import pytest

from reader.cli import main
from reader.model import Paper
from reader.storage.store import Store

from .apiserver import ApiServer
from .conftest import notes


@pytest.fixture
def server(monkeypatch):
    with ApiServer() as srv:
        monkeypatch.setenv("READER_HF_API", f"http://127.0.0.1:{srv.port}/hf")
        monkeypatch.setenv("READER_ARXIV_API", f"http://127.0.0.1:{srv.port}/arxiv")
        monkeypatch.setenv("READER_LOOKUP_SECONDS", "20")
        yield srv


@pytest.fixture
def offline(monkeypatch):
    monkeypatch.setenv("READER_HF_API", "http://127.0.0.1:9/hf")
    monkeypatch.setenv("READER_ARXIV_API", "http://127.0.0.1:9/arxiv")
    monkeypatch.setenv("READER_LOOKUP_SECONDS", "20")


def library(paths, *titles: str) -> Store:
    store = Store(paths)
    store.import_papers([Paper(key=f"t:{i}", title=t) for i, t in enumerate(titles)])
    return store


def pinned(paths) -> dict[str, str]:
    return {k: s.cite_key for k, s in Store(paths).states().items() if s.cite_key}


def test_export_completes_papers_first_and_pins_their_keys(paths, server, capsys):
    library(paths, "Pointer Networks", "A Title Nobody Knows")
    assert main(["export", "--format", "bibtex"]) == 0
    out, err = capsys.readouterr()
    assert "{vinyals2015pointer," in out and "Vinyals, Oriol" in out
    assert "{titlenobodynd," in out  # not found: a provisional key
    assert "looking up 2 incomplete papers first" in err
    assert "1 of 2 citations incomplete (arXiv id, authors, year unknown; key may change)" in err
    assert pinned(paths) == {"t:0": "vinyals2015pointer"}


def test_offline_export_cites_what_it_has_and_pins_nothing(paths, offline, capsys):
    library(paths, "Pointer Networks")
    before = [p.to_dict() for p in Store(paths).papers()]
    assert main(["export", "--format", "bibtex"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("@misc{pointernetworksnd,")
    assert "lookup: offline, cited what the library has" in err
    assert "(arXiv id, authors, year unknown; key may change)" in err
    assert pinned(paths) == {} and [p.to_dict() for p in Store(paths).papers()] == before


def test_lookup_can_be_turned_off(paths, server, monkeypatch, capsys):
    monkeypatch.setenv("READER_LOOKUP_SECONDS", "0")
    library(paths, "Pointer Networks")
    assert main(["cite", "Pointer Networks"]) == 0
    assert capsys.readouterr().out.startswith("@misc{pointernetworksnd,")
    assert server.log == []


async def _copied(paths, keys: tuple[str, ...] = ("y",)):
    from reader.tui.app import ReaderApp
    from reader.tui.screens.main import MainScreen

    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await app.loaded.wait()
        await pilot.pause()
        await pilot.press(*keys)
        screen = next(s for s in app.screen_stack if isinstance(s, MainScreen))
        for _ in range(500):  # until the worker has copied
            await app.workers.wait_for_complete()
            await pilot.pause(0.01)
            if not screen.resolving and app.clipboard:
                break
        messages = [n.message for n in notes(app)]
        return app.clipboard, messages, app.triage.paper("t:0")


async def test_y_completes_the_paper_before_copying(paths, server):
    library(paths, "Pointer Networks")
    clipboard, messages, paper = await _copied(paths)
    assert any("Looking up 1 incomplete paper before copying" in m for m in messages)
    assert clipboard.startswith("@") and "{vinyals2015pointer," in clipboard
    assert paper.authors[0] == "Oriol Vinyals"
    assert pinned(paths) == {"t:0": "vinyals2015pointer"}


async def test_y_offline_copies_what_it_has_and_says_the_key_may_change(paths, offline):
    library(paths, "Pointer Networks")
    clipboard, messages, _ = await _copied(paths)
    assert clipboard.startswith("@misc{pointernetworksnd,")
    assert any("offline" in m for m in messages)
    assert any("key may change" in m for m in messages)
    assert pinned(paths) == {}


async def test_esc_stops_the_lookup_and_copies_at_once(paths, server):
    server.modes["timeout"] = 30  # every answer takes a second: the lookup cannot finish first
    library(paths, "Pointer Networks")
    clipboard, messages, _ = await _copied(paths, ("y", "escape"))
    assert clipboard.startswith("@misc{pointernetworksnd,")
    assert any("Lookup: cancelled" in m for m in messages)
    assert pinned(paths) == {}
