"""The TUI's sources keys: F fetches the configured sources in a worker (progress bar,
"N new papers", the list grows without a restart), fetch_on_start, N shows the New view,
P imports the clipboard's text or says why it cannot."""

from __future__ import annotations

import shlex
import sys

import pytest

from reader.tui.app import ReaderApp
from reader.tui.screens.main import MainScreen

from .conftest import FIXTURES, SAMPLE, notes
from .feedserver import FeedServer


@pytest.fixture
def server(monkeypatch, paths):
    with FeedServer() as srv:
        monkeypatch.setenv("READER_HF_API", srv.url + "/hf")
        monkeypatch.setenv("READER_ARXIV_API", srv.url + "/arxiv")
        monkeypatch.setenv("READER_ARXIV_INTERVAL", "0")
        monkeypatch.setenv("READER_FETCH_RETRIES", "0")
        yield srv


def configure(paths, text: str) -> None:
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config.write_text(text)


def main_screen(app) -> MainScreen:
    return next(s for s in app.screen_stack if isinstance(s, MainScreen))


def messages(app) -> list[str]:
    return [str(n.message) for n in notes(app)]


async def test_f_fetches_sources_and_new_papers_appear(paths, server):
    configure(paths, f'sources = ["hf:daily:2024-05-01", "{server.url}/feeds/atom.xml", "{server.url}/broken/html"]\n')
    app = ReaderApp(paths, files=[str(SAMPLE)])
    async with app.run_test(size=(120, 35)) as pilot:
        await app.loaded.wait()
        await pilot.pause()  # the progress bars are mounted after the first frame
        screen = main_screen(app)
        before = app.triage.size
        shown = []
        orig = screen.query_one("#resolve-label").update
        screen.query_one("#resolve-label").update = lambda c: (shown.append(str(c)), orig(c))
        await pilot.press("F")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.fetching and not screen.query_one("#resolve-bar").display
        assert shown[0] == " Fetching 3 sources (esc cancels) " and " Fetching 3/3: " in shown[-1]  # the progress bar's label
        assert app.triage.size == before + 3
        assert len(screen.paper_list.rows) == before + 3  # shown without a restart
        assert any(m.startswith("3 new papers from 3 sources · N shows them · 1 failed") for m in messages(app))
        assert any("/broken/html: failed: not an RSS or Atom feed" in m for m in messages(app))
        await pilot.press("N")
        titles = [app.triage.paper(k).title for k in app.triage.keys_at(screen.paper_list.rows)]
        assert sorted(titles) == ["KAN: Kolmogorov-Arnold Networks", "Sparse Autoencoders Find Features", "Visual Fact Checker"]
        await pilot.press("1")  # any view key leaves the New view
        assert len(screen.paper_list.rows) == before + 3
        await pilot.press("F")  # again: nothing new
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.triage.size == before + 3
        assert any(m.startswith("0 new papers from 3 sources") for m in messages(app))


async def test_f_says_when_a_feed_is_not_valid_utf8(paths, server):
    url = f"{server.url}/feeds/badutf8.xml"
    configure(paths, f'sources = ["{url}"]\n')
    app = ReaderApp(paths, files=[str(SAMPLE)])
    async with app.run_test() as pilot:
        await app.loaded.wait()
        await pilot.pause()
        await press_and_wait(app, pilot, "F")
        assert any(m.startswith("2 new papers from 1 source") for m in messages(app))
        assert any(m.startswith(f"{url}: not valid UTF-8 at byte ") and m.endswith("; bad bytes replaced") for m in messages(app))


async def test_a_feed_file_opened_with_the_app_imports_and_says_its_bytes_were_replaced(paths, tmp_path):
    from .feedserver import BAD_UTF8

    (tmp_path / "bad.xml").write_bytes(BAD_UTF8)
    app = ReaderApp(paths, files=[str(tmp_path / "bad.xml")])
    async with app.run_test() as pilot:
        await app.loaded.wait()
        await pilot.pause()
        assert app.triage.size == 2
        assert "Imported bad.xml: 2 papers read, 2 new, 0 already in the library" in messages(app)
        assert any(m.startswith("bad.xml: not valid UTF-8 at byte ") for m in messages(app))


async def test_fetch_on_start_and_new_view_after_restart(paths, server):
    configure(paths, f'sources = ["{server.url}/feeds/rss2.xml"]\nfetch_on_start = true\n')
    app = ReaderApp(paths, files=[str(SAMPLE)])
    async with app.run_test() as pilot:
        await app.loaded.wait()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(m.startswith("3 new papers from 1 source") for m in messages(app))
    configure(paths, "")
    app = ReaderApp(paths)
    async with app.run_test() as pilot:  # a fetch by cron or an earlier session: still New
        await app.loaded.wait()
        screen = main_screen(app)
        assert len(screen.new_keys) == 3
        await pilot.press("N")
        assert len(screen.paper_list.rows) == 3


async def test_f_without_sources_says_how(paths):
    app = ReaderApp(paths, files=[str(SAMPLE)])
    async with app.run_test() as pilot:
        await app.loaded.wait()
        await pilot.press("F")
        await pilot.press("N")
        assert any("No sources configured: add sources = " in m for m in messages(app))
        assert any(m.startswith("No new papers") for m in messages(app))


async def press_and_wait(app, pilot, key: str) -> None:
    await pilot.press(key)
    await app.workers.wait_for_complete()
    await pilot.pause()


def paste_command(monkeypatch, tmp_path, text: str | None) -> None:
    if text is None:
        code = "import sys; sys.stderr.write('Pyperclip could not find a copy/paste mechanism for your system.'); sys.exit(1)"
    else:
        src = tmp_path / "clip.txt"
        src.write_text(text)
        code = f"import sys; sys.stdout.write(open({str(src)!r}).read())"
    monkeypatch.setenv("READER_PASTE_COMMAND", shlex.join([sys.executable, "-c", code]))


async def test_p_imports_clipboard_text(paths, monkeypatch, tmp_path):
    paste_command(monkeypatch, tmp_path, (FIXTURES / "sources" / "refs.bib").read_text())
    app = ReaderApp(paths, files=[str(SAMPLE)])
    async with app.run_test() as pilot:
        await app.loaded.wait()
        before = app.triage.size
        await press_and_wait(app, pilot, "P")
        assert app.triage.size == before + 5
        assert ("The clipboard: 5 papers read, 5 new, 0 already in the library; 2 skipped "
                "(line 45: entry 'notitle' has no title, skipped)") in messages(app)  # (said since trial 10)
        assert app.triage.paper(main_screen(app).paper_list.current_key).title == "Attention Is All You Need"  # the first new one
        assert len(main_screen(app).new_keys) == 5
    app = ReaderApp(paths)  # a trial found the New view forgetting the paste after a restart
    async with app.run_test() as pilot:
        await app.loaded.wait()
        await pilot.pause()
        assert len(main_screen(app).new_keys) == 5


async def test_p_says_when_the_clipboard_cannot_be_read(paths, monkeypatch, tmp_path):
    paste_command(monkeypatch, tmp_path, None)
    app = ReaderApp(paths, files=[str(SAMPLE)])
    async with app.run_test() as pilot:
        await app.loaded.wait()
        await press_and_wait(app, pilot, "P")
        assert ("Cannot read the clipboard: no clipboard tool found (install xclip, xsel or wl-clipboard); "
                "or paste into reader with your terminal's paste (ctrl+shift+v)") in messages(app)
    paste_command(monkeypatch, tmp_path, "<html><body>not papers</body></html>")
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await app.loaded.wait()
        before = app.triage.size
        await press_and_wait(app, pilot, "P")
        assert app.triage.size == before
        assert any(m.startswith("clipboard: no papers found") for m in messages(app))


async def test_esc_cancels_a_fetch_and_keeps_what_was_fetched(paths, server, monkeypatch):
    """esc during F: the fetch stops while it waits (a 429's Retry-After of 5 s here), the
    sources after it are not asked, and the message says it was cancelled."""
    monkeypatch.setenv("READER_FETCH_RETRIES", "1")  # so the 429 is retried after a wait
    configure(paths, f'sources = ["{server.url}/feeds/atom.xml", "{server.url}/broken/429", "hf:daily:2024-05-01"]\n')
    app = ReaderApp(paths, files=[str(SAMPLE)])
    async with app.run_test(size=(120, 35)) as pilot:
        await app.loaded.wait()
        screen = main_screen(app)
        before = app.triage.size
        await pilot.press("F")
        for _ in range(500):  # until the 429 was answered: the worker now waits Retry-After
            await pilot.pause(0.01)
            if any(entry[0] == "/broken/429" for entry in server.log):
                break
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.fetching and not screen.query_one("#resolve-bar").display
        assert not any(entry[0] == "/hf/daily_papers" for entry in server.log)  # never asked
        assert app.triage.size == before + 1  # the Atom feed's paper, fetched before esc, stays
        assert any(m.startswith("Fetch cancelled: 1 new paper from 1 source of 3") for m in messages(app))
        assert screen.search_text == "" and app.is_running


def test_a_clipboard_that_is_not_utf8_is_said_in_words(monkeypatch):
    """A trial found P showing pyperclip's raw "'utf-8' codec can't decode byte 0xe9"."""
    from reader.sources.paste import system_paste

    code = ("import sys; sys.stderr.write(\"UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe9 in position 0: "
            "invalid continuation byte\"); sys.exit(1)")
    monkeypatch.setenv("READER_PASTE_COMMAND", shlex.join([sys.executable, "-c", code]))
    text, why = system_paste()
    assert text == "" and why.startswith("it holds text that is not UTF-8")


async def test_the_terminals_paste_on_the_list_imports_and_says_what_was_skipped(paths):
    """Over SSH no clipboard tool reaches the user's clipboard (P says so): the terminal's
    own paste (bracketed) on the list imports the text, and a line it skipped is said
    (trial 10: the paste was ignored). A paste into the search box stays its text."""
    from textual import events

    app = ReaderApp(paths, files=[str(SAMPLE)])
    async with app.run_test() as pilot:
        await app.loaded.wait()
        await pilot.pause()
        screen = main_screen(app)
        before = app.triage.size
        screen.paper_list.post_message(events.Paste("2401.04088\n2310.06825\nnot an id at all\n2307.09288\n"))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.triage.size == before + 3
        said = [m for m in messages(app) if m.startswith("The pasted text:")]
        assert said and "3 papers read, 3 new" in said[0] and "1 skipped (line 3" in said[0], messages(app)
        await pilot.press("slash")
        await pilot.pause()
        screen.query_one("#search").post_message(events.Paste("2402.00001"))
        await pilot.pause(0.2)
        assert app.triage.size == before + 3 and screen.search_text == "2402.00001"
