"""Resolving title-only papers against a local API server (no internet needed)."""

from __future__ import annotations

import pytest

from reader.model import Paper
from reader.resolve import apis
from reader.resolve.http import HttpClient
from reader.resolve.match import same_title
from reader.resolve.resolver import Resolver, make_client
from reader.state import Change
from reader.storage.store import Store
from reader.triage import Triage

from .apiserver import ApiServer
from .conftest import notes


class FakeClock:
    def __init__(self):
        self.t = 1000.0

    def now(self) -> float:
        return self.t

    def sleep(self, s: float) -> None:
        self.t += s


@pytest.fixture
def server(monkeypatch):
    with ApiServer() as srv:
        monkeypatch.setenv("READER_HF_API", f"http://127.0.0.1:{srv.port}/hf")
        monkeypatch.setenv("READER_ARXIV_API", f"http://localhost:{srv.port}/arxiv")
        monkeypatch.setenv("READER_CROSSREF_API", f"http://127.0.0.1:{srv.port}/crossref")
        yield srv


def library(paths, titles):
    store = Store(paths)
    store.import_papers([Paper(key=f"t:{i}", title=t) for i, t in enumerate(titles)])
    return store


def client(clock=None, **kw):
    clock = clock or FakeClock()
    return make_client(None, clock=clock.now, sleep=clock.sleep, timeout=0.5, **kw), clock


def test_resolves_fills_fields_keeps_key_and_state(paths, server):
    store = library(paths, ["Ergotropy and Capacity Optimization in Heisenberg Spin Chain Quantum Batteries", "Pointer Networks"])
    store.apply([Change("t:0", "starred", True)])
    triage = Triage(store, background=False)
    http, clock = client()
    summary = Resolver(http).run(store.papers(), apply=triage.update_papers)
    assert summary.count("resolved") == 2
    p = Store(paths).papers()[0]
    assert p.key == "t:0" and p.arxiv_id == "2401.00001" and p.authors[0] == "Asad Ali"
    assert p.published == "2024-01-01" and p.primary_category == "quant-ph"
    assert p.doi == "10.1103/PhysRevA.110.052404" and p.journal_ref.startswith("Phys. Rev. A")
    assert Store(paths).states()["t:0"].starred
    assert all(ua.startswith("reader/") for *_, ua in server.log)


def test_arxiv_requests_are_three_seconds_apart(paths, server):
    store = library(paths, ["The Consciousness Prior", "Pointer Networks", "Unknown Paper Nobody Wrote"])
    triage = Triage(store, background=False)
    clock = FakeClock()
    times = []
    http = make_client(None, clock=clock.now, sleep=clock.sleep, timeout=2)
    original = http._wait_turn

    def spy(host):
        original(host)
        times.append((host, clock.now()))

    http._wait_turn = spy
    summary = Resolver(http).run(store.papers(), apply=triage.update_papers)
    assert summary.count("resolved") == 2 and summary.count("no match") == 1
    arxiv = [t for h, t in times if h.startswith("localhost")]
    assert len(arxiv) >= 3
    assert all(b - a >= 3.0 for a, b in zip(arxiv, arxiv[1:], strict=False))
    assert Store(paths).papers()[0].authors == ["Yoshua Bengio"]  # found via arXiv only


def test_near_misses_and_ambiguity_are_never_applied(paths, server):
    store = library(paths, ["Random Teachers are Good Teachers", "Sparse Autoencoders Find Feature"])
    triage = Triage(store, background=False)
    summary = Resolver(client()[0]).run(store.papers(), apply=triage.update_papers)
    two, near = summary.outcomes
    assert two.status == "ambiguous" and "2302.12091" in two.detail and "2302.99999" in two.detail
    assert near.status == "ambiguous" and near.detail.startswith("near miss") and "not applied" in near.detail
    assert [p.arxiv_id for p in Store(paths).papers()] == ["", ""]
    assert "2 ambiguous" in summary.line()


def test_latex_stripped_titles_match():
    assert same_title("Scaling to 1920$\\times$1080 Video", "Scaling to 1920times1080 Video")
    assert same_title("Self-Attention: Revisited", "Self Attention Revisited")
    assert not same_title("Random Teachers are Good Teachers", "Random Teachers Are Good Teacher")


@pytest.mark.parametrize("mode", ["429", "503", "timeout"])
def test_retries_on_429_503_and_timeouts(paths, server, mode):
    server.modes[mode] = 1
    store = library(paths, ["Pointer Networks"])
    triage = Triage(store, background=False)
    http, clock = client()
    start = clock.now()
    summary = Resolver(http).run(store.papers(), apply=triage.update_papers)
    assert summary.count("resolved") == 1
    if mode == "429":
        assert clock.now() - start >= 7  # honoured Retry-After: 7


def test_malformed_and_error_responses_fail_cleanly(paths, server):
    server.modes["malformed"] = True
    store = library(paths, ["Pointer Networks"])
    triage = Triage(store, background=False)
    summary = Resolver(client()[0]).run(store.papers(), apply=triage.update_papers)
    assert summary.count("failed") == 1 and "malformed" in summary.outcomes[0].detail
    with pytest.raises(apis.BadResponse, match="arXiv API error"):
        apis.parse_arxiv_feed(b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id><title>Error</title>'
                              b"<summary>incorrect id format</summary></entry></feed>")


def test_entity_expansion_is_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><feed>&b;</feed>'
    with pytest.raises(apis.BadResponse, match="unsafe|malformed"):
        apis.parse_arxiv_feed(bomb)


def test_offline_changes_nothing(paths, monkeypatch):
    monkeypatch.setenv("READER_HF_API", "http://127.0.0.1:9/hf")
    monkeypatch.setenv("READER_ARXIV_API", "http://127.0.0.1:9/arxiv")
    store = library(paths, ["Pointer Networks"])
    before = [p.to_dict() for p in store.papers()]
    version = Store(paths).catalogue
    seen = version.version()
    triage = Triage(store, background=False)
    summary = Resolver(client()[0]).run(store.papers(), apply=triage.update_papers)
    assert summary.offline and "cannot reach" in summary.offline
    assert [p.to_dict() for p in store.papers()] == before
    assert version.version() == seen  # nothing committed


def test_cancelled_run_keeps_work_and_resumes(paths, server):
    store = library(paths, ["Pointer Networks", "PYInfer: Deep Learning Semantic Type Inference for Python Variables"])
    triage = Triage(store, background=False)
    calls = {"n": 0}

    def cancel_after_first() -> bool:
        return calls["n"] >= 1

    def progress(done, total, eta):
        calls["n"] = done

    summary = Resolver(client()[0]).run(store.papers(), apply=triage.update_papers, progress=progress, cancelled=cancel_after_first)
    assert summary.cancelled and summary.count("resolved") == 1
    assert Store(paths).papers()[0].arxiv_id == "1506.03134"
    triage = Triage(Store(paths), background=False)
    server.log.clear()
    summary = Resolver(client()[0]).run(store.papers(), apply=triage.update_papers)
    assert [o.key for o in summary.outcomes] == ["t:1"]  # resumed: the first is skipped
    assert Store(paths).papers()[1].arxiv_id == "2306.00002"


def test_user_edited_fields_are_not_overwritten(paths, server):
    store = Store(paths)
    store.import_papers([Paper(key="t:0", title="Pointer Networks", authors=["My Own"], edited=["authors"])])
    triage = Triage(store, background=False)
    Resolver(client()[0]).run(store.papers(), apply=triage.update_papers)
    p = Store(paths).papers()[0]
    assert p.authors == ["My Own"] and p.arxiv_id == "1506.03134"


def test_http_cache_avoids_repeat_requests(tmp_path, server):
    http = HttpClient(cache_dir=tmp_path / "cache")
    url = f"http://127.0.0.1:{server.port}/hf/papers/search?q=pointer"
    first = http.get(url)
    assert http.get(url) == first and http.requests == 1


def test_cli_import_of_id_list_resolves(paths, server, capsys, tmp_path):
    from reader.cli import main

    ids = tmp_path / "ids.txt"
    ids.write_text("1506.03134v1\nhttps://arxiv.org/abs/2401.00001\nhttps://huggingface.co/papers/2306.00002\n# comment\n")
    assert main(["import", str(ids)]) == 0
    out = capsys.readouterr().out
    assert "ids.txt: 3 papers read, 3 new" in out and "3 resolved" in out
    titles = [p.title for p in Store(paths).papers()]
    assert titles[0] == "Pointer Networks" and titles[1].startswith("Ergotropy")


def test_cli_import_of_id_list_offline_still_exits_0(paths, monkeypatch, capsys, tmp_path):
    """The import succeeded; only the lookup after it failed: a script must not take it
    for a failed import."""
    from reader.cli import main

    monkeypatch.setenv("READER_HF_API", "http://127.0.0.1:9/hf")
    monkeypatch.setenv("READER_ARXIV_API", "http://127.0.0.1:9/arxiv")
    ids = tmp_path / "ids.txt"
    ids.write_text("1506.03134\n")
    assert main(["import", str(ids)]) == 0
    captured = capsys.readouterr()
    assert "ids.txt: 1 paper read, 1 new" in captured.out
    assert "offline" in captured.err and "reader resolve" in captured.err
    assert [p.key for p in Store(paths).papers()] == ["1506.03134"]


def test_cli_resolve_offline_exit_1(paths, monkeypatch, capsys):
    from reader.cli import main

    monkeypatch.setenv("READER_HF_API", "http://127.0.0.1:9/hf")
    library(paths, ["Pointer Networks"])
    assert main(["resolve"]) == 1
    assert "offline" in capsys.readouterr().err


async def test_tui_resolve_key_fills_papers_with_progress(paths, server):
    from reader.tui.app import ReaderApp
    from reader.tui.screens.main import MainScreen

    library(paths, ["Pointer Networks", "Nothing Matches This Title At All"])
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await app.loaded.wait()
        await pilot.press("R")
        screen = next(s for s in app.screen_stack if isinstance(s, MainScreen))
        assert screen.resolving and screen.query_one("#resolve-bar").display
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.resolving
        assert app.triage.paper("t:0").arxiv_id == "1506.03134"
        assert any("1 resolved, 1 no match" in n.message for n in notes(app))
