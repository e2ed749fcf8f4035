"""TUI behaviours the README promises, each checked by its outcome (the store, the files on
disk, what the screen shows), so breaking one turns a test red (see tests/mutations.py)."""

from __future__ import annotations

import contextlib
import json
import stat
import threading

import pytest

from reader.backup import list_backups
from reader.config import Config, load_config
from reader.model import Paper
from reader.parsers import parse_file
from reader.state import Change
from reader.storage.store import Store
from reader.tui.app import ReaderApp

from .conftest import SAMPLE, notes, started


@pytest.fixture(autouse=True)
def no_system_clipboard(monkeypatch):
    from reader import clipboard

    monkeypatch.setattr("reader.tui.screens.main.system_copy", lambda text, timeout=3: clipboard.SystemResult(True, "fake"))



def messages(app) -> list[str]:
    return [n.message for n in notes(app)]


async def until(pilot, condition, tries: int = 200, step: float = 0.05) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(step)
    assert condition()


def text_of(widget) -> str:
    return str(widget.render())


# -- hostile abstracts that are valid markup ---------------------------------------------

HOSTILE = ["[@click=app.quit]x[/]", "[b]bold[/b]", "[link=https://example.com]x[/link]"]


async def test_abstracts_that_are_valid_markup_show_literally_and_never_act(paths, monkeypatch):
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: opened.append(url) or True)
    Store(paths).import_papers([Paper(key=f"t:{i}", title=f"Hostile {i}", abstract=a) for i, a in enumerate(HOSTILE)])
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(app, pilot)
        for i, abstract in enumerate(HOSTILE):
            await until(pilot, lambda i=i: screen.paper_list.current_key == f"t:{i}")
            await pilot.pause()
            assert screen.detail.plain("abstract") == abstract
            assert screen.detail.rendered("abstract") == [abstract]  # drawn literally
            y = screen.detail.section_line("abstract")
            for x in range(1, 5):  # a click on the would-be link text does nothing
                await pilot.click("#detail", offset=(x, y))
            assert app.is_running
            screen.paper_list.focus()
            await pilot.press("j")
    assert opened == []


# -- the detail pane -----------------------------------------------------------------------

async def test_tab_then_j_k_scroll_the_abstract_not_the_list(paths):
    Store(paths).import_papers([
        Paper(key="t:0", title="Long", abstract="\n".join(f"Line {i} of a long abstract." for i in range(80))),
        Paper(key="t:1", title="Second"),
    ])
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 24)) as pilot:
        screen = await started(app, pilot)
        await pilot.press("tab", "j", "j", "j")
        await pilot.pause()
        assert screen.detail.scroll_y == 3
        assert screen.paper_list.cursor == 0
        await pilot.press("k")
        await pilot.pause()
        assert screen.detail.scroll_y == 2
        await pilot.press("tab", "j")
        assert screen.paper_list.cursor == 1


async def test_keys_typed_right_after_tab_go_to_the_pane_tab_moved_to(paths):
    """tab then j in one burst (a fast typist, a terminal replaying keys): tab moves the focus
    at once, not after the keys already queued, so j scrolls the detail."""
    Store(paths).import_papers([Paper(key="t:0", title="Long", abstract="\n".join(f"Line {i}" for i in range(80))),
                                Paper(key="t:1", title="Second")])
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 24)) as pilot:
        screen = await started(app, pilot)
        screen.action_switch_focus()
        assert app.focused is screen.detail  # now, before any queued message runs
        screen.action_switch_focus()
        assert app.focused is screen.paper_list
        screen.action_search()  # / : the letters that follow are the query, never list commands
        assert app.focused is screen.query_one("#search")


async def test_a_burst_of_keys_after_slash_or_tab_goes_where_the_focus_went(paths):
    """What a terminal delivers when someone types "/spar" fast: the app reads the whole
    burst and hands every key to the list's queue before the list handles "/". Those
    letters must become the query, not run as commands (s stars, r marks read), and after
    tab, j must scroll the detail. The other way round, keys typed after Enter in the search
    box are commands, not letters of the query."""
    from textual import events

    Store(paths).import_papers([Paper(key="t:0", title="Sparse long", abstract="\n".join(f"Line {i}" for i in range(80))),
                                Paper(key="t:1", title="Second")])
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 24)) as pilot:
        screen = await started(app, pilot)

        async def burst(*keys: tuple[str, str | None]) -> None:
            for key, char in keys:
                app.post_message(events.Key(key, char))  # as the driver posts them: all at once
            for _ in range(8):  # each key that comes back to be read again takes a few turns
                await pilot.pause()

        await burst(("slash", "/"), *[(c, c) for c in "sparse lon"])  # s, l, o, n: commands in the list
        assert screen.query_one("#search").value == "sparse lon"
        assert not any(st.starred or st.read or st.later for st in app.triage.states.values())
        await pilot.press("enter")  # the list has the focus again
        await burst(("tab", None), ("j", "j"), ("j", "j"))
        assert app.focused is screen.detail and screen.detail.scroll_y == 2 and screen.paper_list.cursor == 0
        await burst(("tab", None), ("slash", "/"), *[(c, c) for c in "Se"], ("enter", None), ("j", "j"), ("s", "s"))
        assert screen.search_text == "Se"  # j and s were typed after Enter: commands, not letters
        assert app.focused is screen.paper_list and list(screen.paper_list.rows) == [1]  # "Second"
        assert app.triage.state("t:1").starred and not app.triage.state("t:0").starred  # s starred it


# -- acting on a selection ---------------------------------------------------------------------

async def test_r_l_t_act_on_every_selected_paper(paths):
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        keys = app.triage.keys
        await pilot.press("space", "space", "space", "r", "l", "t")
        await pilot.press(*"sae, interp", "enter")
        for k in keys[:3]:
            st = app.triage.state(k)
            assert st.read and st.later and st.tags == ["interp", "sae"], k
        untouched = app.triage.state(keys[3])
        assert not untouched.read and not untouched.later and untouched.tags == []
        assert app.triage.flush()
    stored = Store(paths).states()
    assert all(stored[k].read and stored[k].later and stored[k].tags == ["interp", "sae"] for k in keys[:3])
    assert keys[3] not in stored or not stored[keys[3]].read


# -- the external editor -----------------------------------------------------------------------

def editor_script(tmp_path, body: str) -> str:
    script = tmp_path / "editor.sh"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


async def test_e_saves_what_the_editor_wrote(paths, tmp_path, monkeypatch):
    monkeypatch.setenv("EDITOR", editor_script(tmp_path, 'printf "from my editor\\nsecond line\\n" >> "$1"\n'))
    monkeypatch.delenv("VISUAL", raising=False)
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        monkeypatch.setattr(app, "suspend", contextlib.nullcontext)  # a real terminal's suspend
        key = app.triage.keys[0]
        await pilot.press("e")
        await until(pilot, lambda: "Note saved" in messages(app))
        assert app.triage.state(key).note == "from my editor\nsecond line"
        assert app.triage.flush()
    assert Store(paths).states()[key].note == "from my editor\nsecond line"


async def test_external_editor_failures_are_reported(paths, monkeypatch):
    monkeypatch.setenv("EDITOR", "true")
    monkeypatch.delenv("VISUAL", raising=False)
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        await pilot.press("e")  # headless: the terminal cannot be handed over
        await until(pilot, lambda: any(n.severity == "error" for n in notes(app)))
        errors = [n for n in notes(app) if n.severity == "error"]
        assert errors and errors[-1].message.startswith("Cannot run true")
        monkeypatch.setenv("EDITOR", "/nonexistent/editor --wait")
        monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
        await pilot.press("e")
        await until(pilot, lambda: any("nonexistent" in m for m in messages(app)))
        errors = [n for n in notes(app) if n.severity == "error"]
        assert errors[-1].message.startswith("Cannot run /nonexistent/editor --wait")
        assert app.triage.state(app.triage.keys[0]).note == ""


# -- auto-read off by default ------------------------------------------------------------------

async def test_auto_read_is_off_by_default(paths):
    assert Config().auto_read_seconds == 0
    assert load_config(paths.config).auto_read_seconds == 0
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        await pilot.press("j")
        await pilot.pause(2.5)  # past any plausible default
        assert app.triage.counts()["read"] == 0


# -- saving: the header says "not saved yet" until the disk takes the change ------------------

async def test_not_saved_yet_header_and_recovery_message(paths, request):
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        screen = await started(app, pilot)
        header = screen.query_one("#header")
        assert "not saved" not in text_of(header)
        disk = request.getfixturevalue("disk_full")
        await pilot.press("s")
        await until(pilot, lambda: "not saved yet" in text_of(header))
        await until(pilot, lambda: any("disk full" in m for m in messages(app)))
        disk["on"] = False
        await until(pilot, lambda: "All changes saved" in messages(app))
        assert "not saved" not in text_of(header)
    assert Store(paths).states()[app.triage.keys[0]].starred


async def test_read_only_notice_for_a_state_file_from_a_newer_version(paths):
    Store(paths).import_papers(parse_file(SAMPLE))
    newer = {"_meta": {"1": {"app": "reader", "kind": "state", "schema": 99}}, "state": {}}
    paths.state.write_text(json.dumps(newer))
    before = paths.state.read_bytes()
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        await until(pilot, lambda: any("newer reader" in m for m in messages(app)))
        notice = [m for m in messages(app) if "newer reader" in m]
        assert notice and "read-only" in notice[0] and str(paths.state) in notice[0]
        await pilot.press("q")
    assert paths.state.read_bytes() == before


# -- backups -----------------------------------------------------------------------------------

def backed_up_stars(paths) -> list[set[str]]:
    out = []
    for b in list_backups(paths):
        table = json.loads(b.read_text()).get("state", {})
        out.append({d["key"] for d in table.values() if d.get("starred")})
    return out


def starred_library(paths) -> list[str]:
    store = Store(paths)
    store.import_papers(parse_file(SAMPLE))
    keys = [p.key for p in store.papers()]
    store.apply([Change(keys[0], "starred", True)])
    return keys


async def test_backup_when_the_app_starts(paths):
    keys = starred_library(paths)  # the periodic check is an hour away: only the start-up one
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        await until(pilot, lambda: backed_up_stars(paths) == [{keys[0]}])


async def test_backup_is_checked_periodically_while_running(paths, monkeypatch):
    import reader.tui.app as app_mod

    keys = starred_library(paths)
    monkeypatch.setattr(app_mod, "DAY", 0)  # "once a day" → every check
    monkeypatch.setattr(app_mod, "BACKUP_CHECK", 0.2)
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        await pilot.press("j", "s")
        assert app.triage.flush()
        await until(pilot, lambda: {keys[0], keys[1]} in backed_up_stars(paths))


# -- resolving: esc cancels ---------------------------------------------------------------------

@contextlib.contextmanager
def _held_lookups(monkeypatch, release: threading.Event, answer_first: bool):
    """The lookup APIs on 127.0.0.1, holding every answer (but the first, with
    ``answer_first``) until ``release`` is set."""
    from .apiserver import ApiServer, Handler

    class Held(Handler):
        def do_GET(self):
            if self.server.log or not answer_first:
                release.wait(20)
            super().do_GET()

    with ApiServer() as server:
        server.httpd.RequestHandlerClass = Held
        monkeypatch.setenv("READER_HF_API", f"http://127.0.0.1:{server.port}/hf")
        monkeypatch.setenv("READER_ARXIV_API", f"http://127.0.0.1:{server.port}/arxiv")
        yield server


async def test_esc_cancels_the_lookup_and_keeps_what_was_found(paths, monkeypatch):
    titles = ["Pointer Networks", "PYInfer: Deep Learning Semantic Type Inference for Python Variables",
              "Sparse Autoencoders Find Features", "Random Teachers are Good Teachers"]
    Store(paths).import_papers([Paper(key=f"t:{i}", title=t) for i, t in enumerate(titles)])
    release = threading.Event()
    with _held_lookups(monkeypatch, release, answer_first=True) as server:  # the others wait until esc
        app = ReaderApp(paths)
        async with app.run_test() as pilot:
            screen = await started(app, pilot)
            await pilot.press("R")
            assert screen.resolving
            await until(pilot, lambda: len(server.log) >= 1)
            await pilot.press("escape")
            await until(pilot, lambda: any("Cancelling" in m for m in messages(app)))
            release.set()
            # notify() posts a message: wait for the notification itself, not just the flag
            await until(pilot, lambda: any(m.startswith("Resolve:") for m in messages(app)), tries=400)
            assert not screen.resolving
            done = [m for m in messages(app) if m.startswith("Resolve:")]
            assert "cancelled" in done[-1], messages(app)
            assert not screen.query_one("#resolve-bar").display
        resolved = [p for p in Store(paths).papers() if p.arxiv_id]
        assert len(resolved) < len(titles)
        hf_searches = [q for _, path, q, _ in server.log if path == "/hf/papers/search"]
        assert len(hf_searches) < len(titles)


async def test_esc_during_ys_lookup_copies_at_once(paths, monkeypatch):
    """A trial found esc during y's lookup copying only when the lookup gave up (2 s or
    more when a server never answers); the README says esc copies now."""
    Store(paths).import_papers([Paper(key="t:0", title="Pointer Networks")])
    release = threading.Event()
    with _held_lookups(monkeypatch, release, answer_first=False):  # silent until the test is done
        monkeypatch.setenv("READER_LOOKUP_SECONDS", "30")
        app = ReaderApp(paths)
        async with app.run_test() as pilot:
            screen = await started(app, pilot)
            await pilot.press("y")
            assert screen.resolving and app.clipboard == ""
            await pilot.press("escape")
            await pilot.pause()
            assert app.clipboard.startswith("@misc{")  # at once, the server still silent
            release.set()
            await until(pilot, lambda: not screen.resolving, tries=400)
            copied = app.clipboard
            await pilot.pause(0.2)
            assert app.clipboard == copied  # the lookup's end copies nothing more
