"""Pilot tests for the triage moves of the field trial (issue 10 §3, §4, §6): archive,
undo/redo that say what they did, moving on, marking a view read, sort, tag views,
columns, the PDF, the detail toggle, key map clashes, and the smaller screen fixes."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from reader.config import load_config
from reader.model import Paper
from reader.parsers import parse_file
from reader.state import Change
from reader.storage.store import Store
from reader.tui.app import ReaderApp
from reader.tui.screens.triage_moves import EMPTY_LIBRARY

from .conftest import FIXTURES, SAMPLE, notes, started
from .test_tui import main_screen, stored

DATED = [  # added in this order; every sort orders them differently
    Paper(key="t:b", title="Beta paper", published="2024-03-01", upvotes=5),
    Paper(key="t:d", title="delta paper", published="", listing_date="May 29", upvotes=None),
    Paper(key="t:a", title="alpha paper", published="2023-01-15", upvotes=40),
    Paper(key="t:c", title="Gamma paper", published="2025-07-09", upvotes=12),
]


def dated_library(paths) -> list[str]:
    Store(paths).import_papers(DATED)
    return [p.key for p in DATED]


def sample_library(paths, changes=lambda keys: []) -> list[str]:
    """The shipped sample imported, with the marks ``changes(keys)`` applied; its keys."""
    store = Store(paths)
    store.import_papers(parse_file(SAMPLE))
    keys = [p.key for p in store.papers()]
    store.apply(changes(keys))
    return keys


def messages(app) -> list[str]:
    return [n.message for n in notes(app)]


def row_text(plist, y: int) -> str:
    return "".join(s.text for s in plist.render_line(y))


async def test_archive_hides_everywhere_undo_redo_and_survives_reimport(paths):
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        screen = main_screen(app)
        key, title = app.triage.keys[0], app.triage.paper(app.triage.keys[0]).title
        await pilot.press("s", "k", "x")  # star it (moves on? no: s stays), then archive
        assert app.triage.state(key).archived
        assert key not in [app.triage.keys[i] for i in screen.paper_list.rows]
        assert screen.paper_list.current_key == app.triage.keys[1]
        assert any(m.startswith("Archived “") for m in messages(app))
        for view in "23456":  # hidden from every view but Archived, even Starred
            await pilot.press(view)
            assert key not in [app.triage.keys[i] for i in screen.paper_list.rows]
        await pilot.press("7")
        assert screen.view == "archived" and screen.paper_list.current_key == key
        assert "archived" in screen.detail.plain("meta")
        await pilot.press("u")
        assert not app.triage.state(key).archived and len(screen.paper_list.rows) == 0
        assert messages(app)[-1].startswith(f"Undid archive on “{title[:20]}")
        await pilot.press("U")
        assert app.triage.state(key).archived
        assert messages(app)[-1].startswith(f"Redid archive on “{title[:20]}")
        await pilot.press("x")  # in the Archived view, x brings it back
        assert not app.triage.state(key).archived
        await pilot.press("u")
        app.triage.flush()
        assert stored(paths)[key].archived
        await pilot.press("q")
    again = ReaderApp(paths, files=[str(SAMPLE)])  # the same file imported again
    async with again.run_test(size=(120, 30)) as pilot:
        await started(again, pilot)
        screen = main_screen(again)
        assert again.triage.state(key).archived
        await pilot.press("1")
        assert key not in [again.triage.keys[i] for i in screen.paper_list.rows]
        assert len(screen.paper_list.rows) == 51


async def test_undo_says_what_it_undid_and_redo_restores_the_note(paths):
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        key, title = app.triage.keys[0], app.triage.paper(app.triage.keys[0]).title
        await pilot.press("n", *"keep", "ctrl+s")
        assert app.triage.state(key).note == "keep"
        await pilot.press("u")
        assert app.triage.state(key).note == ""
        assert messages(app)[-1].startswith(f"Undid note on “{title[:30]}")
        await pilot.press("U")
        assert app.triage.state(key).note == "keep"
        assert messages(app)[-1].startswith("Redid note on")
        await pilot.press("U")
        assert messages(app)[-1] == "Nothing to redo"
        await pilot.press("u", "s")  # a new change: what was undone can no longer be redone
        await pilot.press("U")
        assert messages(app)[-1] == "Nothing to redo" and app.triage.state(key).note == ""
        app.triage.flush()
        assert stored(paths)[key].note == ""


@pytest.mark.parametrize("view", ["1", "3", "4", "6"])
async def test_r_moves_to_the_next_paper_in_every_view(paths, view):
    keys = sample_library(paths, lambda keys: [Change(k, f, v, 1.0) for k in keys[:4] for f, v in
                                               (("starred", True), ("later", "2026-01-01T00:00:00"), ("note", "n"))])
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        plist = main_screen(app).paper_list
        await pilot.press(view, "r")
        assert app.triage.state(keys[0]).read
        assert plist.current_key == keys[1]
        await pilot.press("k", "r")  # marking unread stays put
        assert plist.current_key == keys[0] and not app.triage.state(keys[0]).read


async def test_advance_after_mark_can_be_turned_off_or_extended(paths):
    paths.config_dir.mkdir(parents=True)
    paths.config.write_text('advance_after_mark = ["starred"]\n')
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        plist = main_screen(app).paper_list
        await pilot.press("r")
        assert plist.cursor == 0
        await pilot.press("s")
        assert plist.cursor == 1


async def test_next_and_previous_unread(paths):
    keys = sample_library(paths, lambda keys: [Change(k, "read", True, 1.0) for k in keys[1:4]])
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        plist = main_screen(app).paper_list
        await pilot.press("right_square_bracket")
        assert plist.current_key == keys[4]
        await pilot.press("left_square_bracket")
        assert plist.current_key == keys[0]
        await pilot.press("left_square_bracket")
        assert plist.current_key == keys[0] and "No unread paper above" in messages(app)[-1]


async def test_mark_all_in_view_read_asks_and_is_one_undo_step(paths):
    keys = sample_library(paths, lambda keys: [Change(k, "starred", True, 1.0) for k in keys[5:8]])
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        await pilot.press("3", "A")
        assert app.screen.__class__.__name__ == "Confirm"
        await pilot.press("n")
        assert not any(app.triage.state(k).read for k in keys)
        await pilot.press("A", "y")
        assert [k for k in keys if app.triage.state(k).read] == keys[5:8]
        assert messages(app)[-1].startswith("Marked 3 papers read")
        await pilot.press("u")
        assert not any(app.triage.state(k).read for k in keys)
        assert messages(app)[-1].startswith("Undid read on 3 papers")
        await pilot.press("1", "A", "y")
        assert all(app.triage.state(k).read for k in keys)
        app.triage.flush()
        assert all(stored(paths)[k].read for k in keys)


async def test_sort_cycles_is_shown_and_remembered(paths):
    dated_library(paths)
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        screen = main_screen(app)

        def order() -> list[str]:
            return [app.triage.keys[i] for i in screen.paper_list.rows]

        def header() -> str:
            return str(screen.query_one("#header").render())

        assert order() == ["t:b", "t:d", "t:a", "t:c"] and "added" in header()
        await pilot.press("j", "S")  # the cursor stays on its paper
        assert screen.sort == "published" and order() == ["t:c", "t:b", "t:a", "t:d"]
        assert "newest first" in header() and screen.paper_list.current_key == "t:d"
        await pilot.press("S")
        assert order() == ["t:a", "t:c", "t:b", "t:d"] and "most upvoted" in header()
        await pilot.press("S")
        assert order() == ["t:a", "t:b", "t:d", "t:c"] and "title A-Z" in header()
        await pilot.press("2")  # every view, search too
        assert order() == ["t:a", "t:b", "t:d", "t:c"]
        await pilot.press("slash", *"paper", "enter")
        assert order() == ["t:a", "t:b", "t:d", "t:c"]
        await app.workers.wait_for_complete()
    assert load_config(paths.config).sort == "title"
    app2 = ReaderApp(paths)
    async with app2.run_test(size=(120, 30)) as pilot:
        await started(app2, pilot)
        screen = main_screen(app2)
        assert screen.sort == "title" and "title A-Z" in str(screen.query_one("#header").render())
        await pilot.press("S")
        assert [app2.triage.keys[i] for i in screen.paper_list.rows] == ["t:b", "t:d", "t:a", "t:c"]


async def test_tag_views(paths):
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        screen = main_screen(app)
        keys = app.triage.keys
        await pilot.press("number_sign")
        assert "No tags yet" in messages(app)[-1]
        await pilot.press("t", *"sae", "enter", "j", "j", "t", *"sae, rl", "enter", "j", "t", *"rl", "enter")
        await pilot.press("number_sign")
        assert app.screen.__class__.__name__ == "TagPicker"
        await pilot.press("down", "enter")  # tags are listed A-Z: rl, sae
        assert screen.view == "tag:sae"
        assert [keys[i] for i in screen.paper_list.rows] == [keys[0], keys[2]]
        assert "#sae 2" in str(screen.query_one("#header").render())
        await pilot.press("x")  # archived papers leave tag views too
        assert [keys[i] for i in screen.paper_list.rows] == [keys[2]]
        await pilot.press("q")
    app2 = ReaderApp(paths)  # the tag view is restored like any view
    async with app2.run_test(size=(120, 30)) as pilot:
        await started(app2, pilot)
        assert main_screen(app2).view == "tag:sae"


async def test_date_and_upvote_columns_when_wide(paths):
    dated_library(paths)
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        plist = main_screen(app).paper_list
        assert "▲5" not in row_text(plist, 0)  # 48 % of 120 columns: titles only
        await pilot.press("d")  # the list takes the whole width: room for the columns
        await pilot.pause()
        assert row_text(plist, 0).rstrip().endswith(" 2024-03-01    ▲5")
        assert row_text(plist, 1).rstrip().endswith(" May 29")
        # the columns end where the scrollbar starts; the row goes on under the bar (drawn over
        # it) as wide as Textual draws a line, so that Textual does not pad a copy of it
        assert row_text(plist, 0)[:plist.scrollable_content_region.width].endswith(" 2024-03-01    ▲5")
        assert len(row_text(plist, 0)) == plist.content_region.width
    app = ReaderApp(paths)
    async with app.run_test(size=(160, 30)) as pilot:  # wide enough beside the detail pane
        await started(app, pilot)
        assert row_text(main_screen(app).paper_list, 3).rstrip().endswith(" 2025-07-09   ▲12")


async def test_hiding_the_detail_gives_the_list_the_whole_screen(paths):
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        screen = main_screen(app)
        assert screen.paper_list.size.width < 70
        await pilot.press("d")
        await pilot.pause()
        assert screen.paper_list.outer_size.width == 120
    app = ReaderApp(paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        screen = main_screen(app)
        panes = screen.query_one("#panes")
        assert screen.paper_list.outer_size.height < panes.size.height
        await pilot.press("d")
        await pilot.pause()
        assert screen.paper_list.outer_size == panes.size


async def test_a_key_bound_twice_is_reported_with_both_actions(paths):
    paths.config_dir.mkdir(parents=True)
    paths.config.write_text('[keymap]\ntoggle_star = "r"\n')
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        warning = [m for m in messages(app) if "bound to both" in m]
        assert len(warning) == 1 and "toggle_read" in warning[0] and "toggle_star" in warning[0]


async def test_note_line_breaks_and_status_says_unread(paths):
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        screen = main_screen(app)
        assert "Status    unread" in screen.detail.plain("meta")
        await pilot.press("s")
        assert "unread · ★ starred" in screen.detail.plain("meta")
        await pilot.press("n", *"first line", "enter", *"second line", "ctrl+s")
        await pilot.pause()
        lines = [line.strip() for line in screen.detail.rendered("note") if line.strip()]
        assert lines == ["first line", "second line"]


async def test_grammar_in_header_and_messages(paths):
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        screen = main_screen(app)
        header = lambda: str(screen.query_one("#header").render())  # noqa: E731
        assert "library 52 ·" in header()  # the library's total, not a view's (trial 10)
        await pilot.press("slash", *"ergotropy")
        await pilot.pause()
        assert "1 match" in header() and "1 matches" not in header()
        await pilot.press("ctrl+u", *"learn")
        await pilot.pause()
        n = len(screen.paper_list.rows)
        assert n > 1 and f"{n} matches" in header()


def test_palette_has_one_entry_per_key(paths):
    import asyncio

    async def run():
        app = ReaderApp(paths)
        async with app.run_test(size=(120, 30)) as pilot:
            await started(app, pilot)
            helps = [c.help for c in app.get_system_commands(app.screen) if c.help.startswith("key: ")]
            assert len(helps) == len(set(helps)), sorted(h for h in helps if helps.count(h) > 1)
            titles = [c.title for c in app.get_system_commands(app.screen)]
            for needed in ["Archive / unarchive", "Redo", "Next unread", "Mark all in view read", "Tag view…", "Open the PDF"]:
                assert needed in titles

    asyncio.run(run())


def screen_lines(app) -> list[str]:
    return ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]


async def test_narrow_terminal_keeps_quit_help_and_every_view_in_sight(paths):
    app = ReaderApp(paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await pilot.pause()
        lines = screen_lines(app)
        assert "q Quit" in lines[-1] and "? Help" in lines[-1], lines[-1]
        assert "7 Arch 0" in lines[0], lines[0]
        await pilot.press("S")
        await pilot.pause()
        assert "newest first" in screen_lines(app)[0]
        await pilot.press("question_mark")  # ctrl+p is still told about, in the help
        assert "ctrl+p" in str(app.screen.query_one("#help Static").render())


async def test_empty_library_says_how_to_get_papers_in(paths):
    app = ReaderApp(paths, files=[str(FIXTURES / "empty.txt")])  # nothing imported, no sample either
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        plist = main_screen(app).paper_list
        text = "\n".join(row_text(plist, y).rstrip() for y in range(6))
        assert not app.triage.size
        assert "reader import FILE" in text and "arXiv ids" in text
        assert EMPTY_LIBRARY.splitlines()[0] in text


# -- the PDF, against a local server ------------------------------------------------
PDF = b"%PDF-1.4\n" + b"x" * 300_000 + b"\n%%EOF\n"


@pytest.fixture
def pdf_server(monkeypatch):
    state = {"hits": [], "gate": None}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            state["hits"].append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(len(PDF)))
            self.end_headers()
            try:
                self.wfile.write(PDF[:70_000])
                if state["gate"] is not None:
                    state["gate"].wait(10)
                self.wfile.write(PDF[70_000:])
            except OSError:
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("READER_ARXIV_PDF", f"http://127.0.0.1:{server.server_address[1]}/pdf/")
    state["server"] = server
    yield state
    if state["gate"] is not None:
        state["gate"].set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def viewer(monkeypatch, paths):
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config.write_text('pdf_viewer = "my-viewer --page 1"\n')
    started_cmds = []
    monkeypatch.setattr("reader.pdf.subprocess.Popen", lambda cmd, **kw: started_cmds.append(cmd))
    return started_cmds


async def test_pdf_downloads_once_then_opens_offline(paths, pdf_server, viewer):
    Store(paths).import_papers([Paper(key="2401.00001", title="Ergotropy", arxiv_id="2401.00001", arxiv_version="v2"),
                                Paper(key="t:1", title="No id")])
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        target = paths.data_dir / "pdfs" / "2401.00001.pdf"
        assert target.read_bytes() == PDF
        assert pdf_server["hits"] == ["/pdf/2401.00001v2"]
        assert viewer == [["my-viewer", "--page", "1", str(target)]]
        assert not main_screen(app).query_one("#pdf-bar").display
        pdf_server["server"].shutdown()  # offline from here on
        pdf_server["server"].server_close()
        await pilot.press("p")
        assert len(viewer) == 2 and len(pdf_server["hits"]) == 1
        await pilot.press("j", "p")
        assert "No arXiv id" in messages(app)[-1]


async def test_pdf_download_shows_progress_and_esc_cancels(paths, pdf_server, viewer):
    pdf_server["gate"] = threading.Event()
    Store(paths).import_papers([Paper(key="2401.00001", title="Ergotropy", arxiv_id="2401.00001")])
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        screen = main_screen(app)
        await pilot.press("p")
        while not pdf_server["hits"] or screen.query_one("#pdf-progress").progress == 0:
            await pilot.pause(0.02)
        bar = screen.query_one("#pdf-progress")
        assert screen.query_one("#pdf-bar").display and bar.total == len(PDF) and 0 < bar.progress < len(PDF)
        await pilot.press("j", "k")  # the UI keeps working meanwhile
        await pilot.press("escape")
        pdf_server["gate"].set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "PDF download cancelled" in messages(app)
        assert not screen.query_one("#pdf-bar").display
        assert list((paths.data_dir / "pdfs").iterdir()) == []  # nothing half-written left
        assert viewer == []


async def test_pdf_server_error_is_one_line(paths, monkeypatch, viewer):
    monkeypatch.setenv("READER_ARXIV_PDF", "http://127.0.0.1:9/pdf/")  # nothing listens there
    Store(paths).import_papers([Paper(key="2401.00001", title="Ergotropy", arxiv_id="2401.00001")])
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(m.startswith("PDF not downloaded: cannot reach") for m in messages(app))
        assert not (paths.data_dir / "pdfs" / "2401.00001.pdf").exists() and viewer == []


async def test_tagging_a_selection_keeps_the_tags_only_some_papers_have(paths):
    """A review found `t` on a selection setting exactly the typed list on every paper:
    a tag only one of them had was never shown and was removed. What is typed now adds
    and removes; one undo restores all."""
    from .conftest import SAMPLE, started

    s = Store(paths)
    s.import_papers(parse_file(SAMPLE))
    k0, k1 = [p.key for p in s.papers()[:2]]
    s.apply([Change(k0, "tags", ["sae", "to-cite-in-thesis"]), Change(k1, "tags", ["sae", "old"])])
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        await pilot.press("space", "space", "t")
        assert app.screen.query_one("#tags-input").value == "sae"
        await pilot.press("end", *", rl", "enter")
        assert app.triage.state(k0).tags == ["rl", "sae", "to-cite-in-thesis"]
        assert app.triage.state(k1).tags == ["old", "rl", "sae"]
        await pilot.press("t")
        assert app.screen.query_one("#tags-input").value == "rl, sae"
        await pilot.press("end", *["backspace"] * 5, "enter")  # "rl": sae removed from both
        assert app.triage.state(k0).tags == ["rl", "to-cite-in-thesis"]
        assert app.triage.state(k1).tags == ["old", "rl"]
        await pilot.pause()
        await pilot.press("u")
        assert app.triage.state(k0).tags == ["rl", "sae", "to-cite-in-thesis"], app.triage.last_step
        assert app.triage.state(k1).tags == ["old", "rl", "sae"]
        app.triage.flush()
    tags = Store(paths).states()
    assert tags[k0].tags == ["rl", "sae", "to-cite-in-thesis"] and tags[k1].tags == ["old", "rl", "sae"]


async def test_mark_all_read_on_a_search_with_no_matches_says_so(paths):
    """A trial found A on an empty search result saying every paper was already read."""
    from .conftest import SAMPLE, notes, started

    Store(paths).import_papers(parse_file(SAMPLE))
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        await pilot.press("slash", *"zzqqxxnothing", "enter")
        await pilot.pause(0.4)
        await pilot.press("A")
        assert any(n.message == "No papers here to mark read" for n in notes(app))


async def test_a_purge_elsewhere_redraws_the_open_view_and_keys_act_on_the_paper_shown(paths, capsys):
    """A second trial found the open Starred view left as it was after a purge elsewhere
    (the marks' positions were right, but nothing said to redraw): `s` on its first row
    unstarred the paper that had moved into that position."""
    from reader.cli import main

    from .conftest import SAMPLE, started

    store = Store(paths)
    store.import_papers(parse_file(SAMPLE))
    keys = [p.key for p in store.papers()]
    store.apply([Change(keys[3], "archived", "2026-01-01T00:00:00+00:00"),
                 Change(keys[9], "starred", True), Change(keys[10], "starred", True)])
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        screen = await started(app, pilot)
        await pilot.press("3")
        await pilot.pause()
        assert app.triage.keys_at(screen.paper_list.rows) == [keys[9], keys[10]]
        assert main(["purge", "--yes"]) == 0
        app.check_disk()
        await pilot.pause()
        assert app.triage.keys_at(screen.paper_list.rows) == [keys[9], keys[10]]
        await pilot.press("g", "s")
        app.triage.flush()
    starred = [k for k, st in Store(paths).states().items() if st.starred]
    assert starred == [keys[10]]


async def test_metadata_resolved_elsewhere_shows_in_the_open_list(paths):
    """The catalogue changed elsewhere with no new paper and no mark (another instance's
    R): the rows are redrawn from it."""
    from .conftest import started

    Store(paths).import_papers([Paper(key="2501.00001", title="arXiv:2501.00001", arxiv_id="2501.00001")])
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        screen = await started(app, pilot)
        assert "arXiv:2501.00001" in str(screen.paper_list.render_line(0))
        Store(paths).update_papers({"2501.00001": Paper(key="2501.00001", title="A Real Title", arxiv_id="2501.00001")})
        app.check_disk()
        await pilot.pause()
        assert "A Real Title" in str(screen.paper_list.render_line(0))


async def test_tags_are_one_tag_whatever_their_case(paths):
    """A trial found `NLP` and `nlp` two tags: two entries in `#`, two views. One tag now, in
    the spelling most papers use; a state file holding both spellings on one paper shows one
    and keeps both until that paper's tags change."""
    keys = sample_library(paths, lambda k: [Change(k[0], "tags", ["NLP"]), Change(k[1], "tags", ["NLP", "nlp"]),
                                            Change(k[2], "tags", ["nlp", "rl"]), Change(k[3], "tags", ["NLP"])])
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(app, pilot)
        await pilot.press("number_sign")
        picker = app.screen.query_one("#tags-list")
        assert [str(picker.get_option_at_index(i).prompt) for i in range(picker.option_count)] == ["#NLP  4 papers", "#rl  1 paper"]
        await pilot.press("enter")
        assert screen.view == "tag:NLP" and list(screen.paper_list.rows) == [0, 1, 2, 3]
        await pilot.press("j")  # keys[1]: both spellings in the file, one on screen
        assert screen.detail.plain("tags").split() == ["NLP"]
        await pilot.press("t")
        assert app.screen.query_one("#tags-input").value == "NLP"
        await pilot.press("escape", "k", "t", "end", *", nlp, Nlp", "enter")  # adds nothing
        assert app.triage.state(keys[0]).tags == ["NLP"]
        await pilot.press("1", "G", "t", *"nlp", "enter")  # a new paper gets the library's spelling
        assert app.triage.state(keys[-1]).tags == ["NLP"]
        app.triage.flush()
        assert Store(paths).states()[keys[1]].tags == ["NLP", "nlp"]  # not rewritten behind the user's back
        await pilot.press("number_sign", "enter")
        assert list(screen.paper_list.rows) == [0, 1, 2, 3, len(keys) - 1]
        await pilot.press("g", "j", "t", "end", *["backspace"] * 3, *"rl", "enter")  # removing it removes both spellings
        assert app.triage.state(keys[1]).tags == ["rl"]
        app.triage.flush()
    assert Store(paths).states()[keys[1]].tags == ["rl"]


def test_tag_helpers_ignore_case():
    from reader.state import common_tags, tag_edits, unique_tags

    assert unique_tags([" NLP", "nlp", "", "Stra\u00dfe", "STRASSE"]) == ["NLP", "Stra\u00dfe"]
    assert common_tags([["NLP", "rl"], ["nlp"]]) == ["NLP"]  # a selection of NLP and nlp papers shows NLP
    assert tag_edits(["nlp", "sae"], ["NLP"]) == (["sae"], [])
    assert tag_edits(["rl"], ["NLP", "rl"]) == ([], ["NLP"])
