"""The clipboard: OSC 52 really reaches the terminal (plain inside tmux), what `y` copies is
byte for byte what `reader cite` prints, the system clipboard is time-limited, and every
copy or link ends in one short notification."""

from __future__ import annotations

import base64
import os
import shlex
import shutil
import stat
import subprocess
import sys
import time

import pytest

from reader import clipboard
from reader.citations import FORMATS
from reader.cli import main
from reader.model import Paper
from reader.parsers import parse_file
from reader.storage.store import Store
from reader.tui.app import ReaderApp

from .conftest import SAMPLE, notes, started
from .tmuxserver import TMUX, TmuxServer


def b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode()


# -- OSC 52 sequences ------------------------------------------------------------------

def test_osc52_is_plain_outside_and_inside_tmux():
    plain = "\x1b]52;c;" + b64("héllo") + "\x07"
    assert clipboard.osc52("héllo", env={}) == plain
    # tmux with set-clipboard on stores a plain OSC 52 and forwards it; a DCS-wrapped one is dropped
    assert clipboard.osc52("héllo", env={"TMUX": "/tmp/tmux-1000/default,1,0"}) == plain


def test_osc52_is_wrapped_for_gnu_screen_only():
    seq = clipboard.osc52("x" * 100, env={"STY": "123.pts-0.host"})
    chunks = seq.split("\x1b\\")[:-1]
    assert len(chunks) > 1 and all(c.startswith("\x1bP") for c in chunks)
    assert "".join(c[2:] for c in chunks) == "\x1b]52;c;" + b64("x" * 100) + "\x07"
    # inside both, the nearest ancestor process says which one the app talks to
    both = {"STY": "1.pts", "TMUX": "/t,1,0"}
    plain = "\x1b]52;c;" + b64("x") + "\x07"
    assert clipboard.osc52("x", env=both, ancestors=["bash", "tmux: server", "screen"]) == plain  # tmux in screen
    assert clipboard.osc52("x", env=both, ancestors=["bash", "screen", "bash", "tmux: server"]) != plain  # screen in tmux
    assert clipboard.osc52("x", env=both, ancestors=[]) == plain  # not known: tmux, as before


def test_the_ancestors_are_this_process_parents():
    names = clipboard._ancestor_names()
    if os.path.exists("/proc/self/stat"):
        assert names and names[0] == open(f"/proc/{os.getppid()}/comm").read().strip()


def test_copied_text_keeps_spacing_and_drops_only_controls():
    ris = "TY  - GEN\nTI  - A  title\nER  - \n"
    bib = "@misc{k,\n  title = {T},\n\tnote = {x}\n}\n"
    assert clipboard.safe_text(ris) == ris
    assert clipboard.safe_text(bib) == bib
    assert clipboard.safe_text("a\x1b[31mb\x07c\r\nd\x1b]52;c;AAAA\x07e\u202ef\n") == "abc\ndef\n"


# -- the notification -----------------------------------------------------------------

OK = clipboard.SystemResult(True, "xclip")
NONE = clipboard.SystemResult(False, error="no xclip, xsel or wl-copy found")


@pytest.mark.parametrize("tmux", [None, "on"])
def test_no_tmux_advice_when_osc52_gets_through(tmux):
    msg, ok = clipboard.describe("BibTeX for 1 paper", OK, True, tmux)
    assert ok and msg == "Copied BibTeX for 1 paper: system clipboard (xclip) + terminal (OSC 52)"
    msg, ok = clipboard.describe("BibTeX for 1 paper", NONE, True, tmux)
    assert ok and "OSC 52" in msg and "set-clipboard" not in msg and "no xclip" in msg


@pytest.mark.parametrize("tmux", ["off", "external"])
def test_tmux_advice_only_when_tmux_ignores_osc52(tmux):
    msg, ok = clipboard.describe("BibTeX for 1 paper", NONE, True, tmux)
    assert not ok and msg.startswith("Not copied") and "tmux set -g set-clipboard on" in msg
    msg, ok = clipboard.describe("BibTeX for 1 paper", OK, True, tmux)
    assert ok and "system clipboard (xclip)" in msg and "tmux set -g set-clipboard on" in msg
    assert "terminal (OSC 52)" not in msg


def test_osc52_is_reported_only_when_sent():
    msg, ok = clipboard.describe("RIS for 1 paper", OK, False)
    assert ok and "OSC 52" not in msg and "system clipboard (xclip)" in msg
    msg, ok = clipboard.describe("RIS for 1 paper", NONE, False)
    assert not ok and msg.startswith("Not copied") and "no xclip" in msg


# -- the system clipboard ---------------------------------------------------------------

def test_system_copy_gives_up_on_a_hanging_helper(tmp_path, monkeypatch):
    """A helper that hangs (and leaves a child holding the pipes, as xclip on a dead DISPLAY
    does) costs at most the timeout."""
    helper = tmp_path / "hanging-python"
    helper.write_text("#!/bin/sh\nsleep 30 &\nsleep 30\n")
    helper.chmod(helper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(clipboard.sys, "executable", str(helper))
    start = time.monotonic()
    result = clipboard.system_copy("abc", timeout=0.5)
    elapsed = time.monotonic() - start
    assert not result.ok and result.error == "no answer within 0.5 s"
    assert elapsed < 10, f"system_copy took {elapsed:.1f} s with a 0.5 s timeout"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pyperclip needs no display only on Linux")
def test_system_copy_without_display_fails_fast_with_a_reason(monkeypatch):
    for var in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(var, raising=False)
    start = time.monotonic()
    result = clipboard.system_copy("abc", timeout=20)
    elapsed = time.monotonic() - start
    assert not result.ok and result.error and "no answer" not in result.error
    assert elapsed < 20


# -- in the app ---------------------------------------------------------------------------

class Terminal:
    """Records what the app writes to its driver (where OSC 52 goes)."""

    def __init__(self, app, monkeypatch, fail: bool = False):
        self.writes: list[str] = []
        real = app._driver.write

        def write(data: str) -> None:
            if fail and "\x1b]52;" in data:
                raise OSError(5, "Input/output error")
            self.writes.append(data)
            real(data)

        monkeypatch.setattr(app._driver, "write", write)

    @property
    def osc52(self) -> list[str]:
        return [w for w in self.writes if "\x1b]52;" in w]


def fake_system(monkeypatch, result):
    monkeypatch.setattr("reader.tui.screens.main.system_copy", lambda text, timeout=3: result)



async def notified(app, pilot, needle: str, tries: int = 100) -> str:
    """Wait for the worker's notification containing ``needle``."""
    for _ in range(tries):
        await pilot.pause(0.02)
        for n in notes(app):
            if needle in n.message:
                return n.message
    raise AssertionError(f"no notification with {needle!r}: {[n.message for n in notes(app)]}")


async def test_y_writes_osc52_to_the_terminal_and_says_so(paths, monkeypatch):
    fake_system(monkeypatch, NONE)
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        term = Terminal(app, monkeypatch)
        await pilot.press("y")
        assert app.clipboard.startswith("@misc{")
        assert term.osc52 == ["\x1b]52;c;" + b64(app.clipboard) + "\x07"]
        msg = await notified(app, pilot, "BibTeX for 1 paper")
        assert msg.startswith("Copied BibTeX for 1 paper via the terminal (OSC 52)")


async def test_unwritten_osc52_is_not_reported_as_sent(paths, monkeypatch):
    fake_system(monkeypatch, NONE)
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        Terminal(app, monkeypatch, fail=True)
        await pilot.press("y")
        msg = await notified(app, pilot, "copied")
        assert msg.startswith("Not copied") and "OSC 52" in msg and "terminal (OSC 52)" not in msg
        assert "via the terminal" not in msg


async def test_y_copies_exactly_what_reader_cite_prints_in_every_format(paths, monkeypatch, capsys):
    fake_system(monkeypatch, OK)
    Store(paths).import_papers([
        Paper(key="arxiv:1706.03762", title="Attention Is  All You Need", arxiv_id="1706.03762",
              authors=["Ashish Vaswani", "Noam Shazeer"], published="2017-06-12",
              abstract="The dominant\n  sequence transduction models…"),
    ])
    copied = {}
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        screen = await started(app, pilot)
        for fmt in FORMATS:
            screen.action_copy_citation(fmt)
            await pilot.pause()
            copied[fmt] = app.clipboard
    for fmt in FORMATS:
        assert main(["cite", "arxiv:1706.03762", "--format", fmt]) == 0
        assert copied[fmt] == capsys.readouterr().out, fmt
    assert "TY  - " in copied["ris"] and "\n  title = {" in copied["bibtex"]


async def test_cite_format_from_config_is_used_by_y_and_reader_cite(paths, monkeypatch, capsys):
    fake_system(monkeypatch, OK)
    paths.config_dir.mkdir(parents=True)
    paths.config.write_text('cite_format = "ris"\n')
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        await pilot.press("y")
        copied = app.clipboard
        await notified(app, pilot, "RIS for 1 paper")
    assert copied.startswith("TY  - ")
    assert main(["cite", "ergotropycapacitynd"]) == 0
    assert capsys.readouterr().out == copied


def toast_heights(app) -> dict[str, int]:
    from textual.widgets._toast import Toast

    return {t._notification.message: t.content_region.height for t in app.screen.query(Toast)}


@pytest.mark.parametrize("tmux", [None, "on", "off"])
@pytest.mark.parametrize("system", [OK, NONE])
async def test_copy_notifications_fit_in_two_lines(paths, monkeypatch, tmux, system):
    """At 80x24 (the narrowest toasts), with the longest label, in every outcome."""
    fake_system(monkeypatch, system)
    monkeypatch.setattr("reader.tui.screens.main.tmux_set_clipboard", lambda: tmux)
    app = ReaderApp(paths)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await started(app, pilot)
        app.clear_notifications()
        await pilot.press("G", "space", "k", "space", "Y")  # two papers, the longest label
        await pilot.press("down", "down", "down", "down", "enter")
        await notified(app, pilot, "opied")
        await pilot.pause(0.1)
        heights = toast_heights(app)
        assert len(heights) == 2  # the copy and the incomplete-metadata warning
        assert all(1 <= h <= 2 for h in heights.values()), heights


@pytest.mark.parametrize(
    ("paper", "url"),
    [
        (Paper(key="arxiv:2401.01234", title="An arXiv paper", arxiv_id="2401.01234"), "https://arxiv.org/abs/2401.01234"),
        (Paper(key="t:hf", title="A Hugging Face paper", url="https://huggingface.co/papers/2502.04567"),
         "https://huggingface.co/papers/2502.04567"),
    ],
)
async def test_o_opens_the_arxiv_or_hugging_face_page(paths, monkeypatch, paper, url):
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda u: opened.append(u) or True)
    Store(paths).import_papers([paper])
    app = ReaderApp(paths)
    async with app.run_test() as pilot:
        await started(app, pilot)
        await pilot.press("o")
        await notified(app, pilot, "Opened")
    assert opened == [url]


@pytest.mark.parametrize("system", [OK, NONE])
async def test_o_without_a_browser_shows_the_link_in_one_line_and_copies_it(paths, monkeypatch, system):
    fake_system(monkeypatch, system)
    monkeypatch.setattr("webbrowser.open", lambda u: False)
    Store(paths).import_papers([Paper(key="t:hf", title="A paper", url="https://huggingface.co/papers/2502.04567")])
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await started(app, pilot)
        term = Terminal(app, monkeypatch)
        app.clear_notifications()
        await pilot.press("o")
        msg = await notified(app, pilot, "No browser")
        await pilot.pause(0.1)
        assert msg == "No browser; link copied: https://huggingface.co/papers/2502.04567"
        assert app.clipboard == "https://huggingface.co/papers/2502.04567"
        assert term.osc52 == ["\x1b]52;c;" + b64(app.clipboard) + "\x07"]
        assert list(toast_heights(app).values()) == [1]


# -- a real tmux ----------------------------------------------------------------------------

@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
@pytest.mark.parametrize("fmt", ["bibtex", "ris"])
def test_y_in_real_tmux_reaches_the_paste_buffer_unchanged(paths, tmp_path, fmt):
    Store(paths).import_papers(parse_file(SAMPLE))
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config.write_text(f'cite_format = "{fmt}"\n')
    tmux = TmuxServer(paths)
    try:
        tmux.start_reader()
        tmux("send-keys", "j", "y")
        screen = tmux.wait_for("for 1 paper")
        copied = tmux.buffer()
        assert "set-clipboard" not in screen  # no advice: it is on
        tmux.quit()
    finally:
        tmux.kill()
    cite = subprocess.run([sys.executable, "-m", "reader", "cite", parse_file(SAMPLE)[1].title[:40]],
                          capture_output=True, text=True, env={**os.environ, "READER_DATA_DIR": str(paths.data_dir),
                                                             "READER_CONFIG_DIR": str(paths.config_dir)})
    assert cite.returncode == 0, cite.stderr
    assert copied == cite.stdout
    assert copied.startswith("@misc{" if fmt == "bibtex" else "TY  - ")


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_tmux_advice_reads_the_real_setting(paths, tmp_path):
    tmux = TmuxServer(paths)
    try:
        tmux("new-session", "-d", "sleep 60")
        socket = tmux("display", "-p", "#{socket_path}").strip()
        env = {**tmux.env, "TMUX": f"{socket},1,0"}
        tmux("set", "-g", "set-clipboard", "on")
        assert clipboard.tmux_set_clipboard(env) == "on"
        tmux("set", "-g", "set-clipboard", "off")
        assert clipboard.tmux_set_clipboard(env) == "off"
    finally:
        tmux.kill()
    assert clipboard.tmux_set_clipboard({}) is None


@pytest.mark.skipif(TMUX is None or shutil.which("screen") is None, reason="tmux and GNU screen are needed")
def test_y_inside_gnu_screen_reaches_the_outer_terminal_whole(paths):
    """reader in GNU screen in tmux: screen passes on the wrapped, chunked OSC 52 to tmux,
    whose paste buffer gets 30 citations (4 KB, many chunks) byte for byte."""
    from reader.citations.cite import citation
    from reader.triage import Triage

    Store(paths).import_papers(parse_file(SAMPLE))
    tmux = TmuxServer(paths)
    try:
        tmux("new-session", "-d", "-x", "120", "-y", "35", "screen", "-S", f"rs{os.getpid()}", "-q")
        tmux("set", "-g", "set-clipboard", "on")
        time.sleep(0.5)
        cmd = " ".join(shlex.quote(a) for a in (
            "env", f"READER_DATA_DIR={paths.data_dir}", f"READER_CONFIG_DIR={paths.config_dir}",
            "READER_LOOKUP_SECONDS=0", sys.executable, "-m", "reader"))
        tmux("send-keys", "-l", cmd)
        tmux("send-keys", "Enter")
        tmux.wait_for("Cite")
        tmux("send-keys", *["space"] * 30)
        tmux.wait_for("30 selected")
        tmux("send-keys", "y")
        tmux.wait_for("for 30 papers")
        copied = tmux.buffer()
        tmux("send-keys", "q")
        time.sleep(1)
    finally:
        subprocess.run(["screen", "-S", f"rs{os.getpid()}", "-X", "quit"], capture_output=True)
        tmux.kill()
    triage = Triage(Store(paths))
    assert copied == citation(triage, triage.keys[:30], "bibtex")[0]
    assert copied.count("@misc{") == 30 and len(copied) > 4000
