"""Command-line behaviours the README promises, checked by their outcome: exit codes, output,
and what is in the files afterwards."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from reader.cli import main
from reader.model import Paper
from reader.parsers import parse_file
from reader.state import Change
from reader.storage import atomic
from reader.storage.store import Store

from .apiserver import ApiServer, Handler
from .conftest import FIXTURES, SAMPLE
from .tmuxserver import TMUX, TmuxServer


def sample_store(paths) -> tuple[Store, list[str]]:
    store = Store(paths)
    store.import_papers(parse_file(SAMPLE))
    return store, [p.key for p in store.papers()]


def read_only_disk(monkeypatch):
    def fail(path, data):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(atomic, "atomic_write_bytes", fail)


# -- restore ----------------------------------------------------------------------------------

def test_restore_puts_the_marks_back_and_backs_up_what_it_replaces(paths, capsys):
    store, keys = sample_store(paths)
    store.apply([Change(keys[0], "starred", True), Change(keys[1], "note", "kept")])
    assert main(["backup"]) == 0
    backup = capsys.readouterr().out.split("backed up to ")[1].strip()
    store.apply([Change(keys[0], "starred", False), Change(keys[2], "read", True)])  # after the backup
    replaced = paths.state.read_bytes()
    assert main(["restore", backup]) == 0
    states = Store(paths).states()
    assert states[keys[0]].starred and states[keys[1]].note == "kept"
    assert keys[2] not in states or not states[keys[2]].read
    backups = sorted(paths.backups.glob("state-*.json"))
    assert any(b.read_bytes() == replaced for b in backups), "the replaced state was not backed up"
    assert os.path.exists(backup)  # the backup restored from is still there


ATTENTION = Paper(key="arxiv:1706.03762", title="Attention Is All You Need", arxiv_id="1706.03762",
                  authors=["Ashish Vaswani", "Noam Shazeer"], published="2017-06-12")


def test_failed_writes_exit_nonzero_with_a_message(paths, capsys, monkeypatch, tmp_path):
    """Citing or exporting a complete paper pins its key (a state write); restore writes the state."""
    store, keys = sample_store(paths)
    store.import_papers([ATTENTION])
    store.apply([Change(keys[0], "starred", True), Change(ATTENTION.key, "starred", True)])
    assert main(["backup"]) == 0
    backup = capsys.readouterr().out.split("backed up to ")[1].strip()
    before = paths.state.read_bytes()
    read_only_disk(monkeypatch)
    for argv in (["cite", "Attention Is All"], ["export", "--view", "starred", "--format", "bibtex"],
                 ["export", "--view", "starred", "-o", str(tmp_path / "out.bib")], ["restore", backup]):
        code = main(argv)
        err = capsys.readouterr().err
        assert code not in (0, None), argv
        assert "Read-only file system" in err, (argv, err)
        assert len([line for line in err.splitlines() if "Read-only" in line]) == 1, err
    assert paths.state.read_bytes() == before
    assert not (tmp_path / "out.bib").exists()


def test_export_to_an_unwritable_path_exits_1(paths, capsys):
    sample_store(paths)
    assert main(["export", "-o", "/dev/null/library.bib"]) == 1
    assert "/dev/null/library.bib" in capsys.readouterr().err


# -- a library file from a newer version ----------------------------------------------------------

def test_newer_schema_library_is_read_only_and_never_written(paths, capsys):
    paths.data_dir.mkdir(parents=True)
    newer = {"_meta": {"1": {"app": "reader", "kind": "library", "schema": 99}},
             "papers": {"1": {"key": "t:x", "title": "From the future"}}}
    paths.library.write_text(json.dumps(newer))
    before = paths.library.read_bytes()
    code = main(["import", str(SAMPLE)])
    err = capsys.readouterr().err
    assert code != 0 and "newer reader" in err
    assert paths.library.read_bytes() == before
    assert not list(paths.data_dir.glob("library*.corrupt-*"))


# -- export and list --------------------------------------------------------------------------------

def test_export_to_stdout_and_an_empty_view(paths, capsys):
    store, keys = sample_store(paths)
    assert main(["export", "--format", "bibtex"]) == 0
    out = capsys.readouterr().out
    assert out.count("@misc{") == 52 and "Ergotropy and Capacity" in out
    assert main(["export", "--view", "starred", "--format", "ris"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "starred view is empty" in captured.err
    store.apply([Change(keys[5], "starred", True)])
    assert main(["export", "--view", "starred", "--format", "ris"]) == 0
    out = capsys.readouterr().out
    assert out.count("TY  - ") == 1 and store.papers()[5].title in out


def test_list_text_shows_every_paper_with_its_marks(paths, capsys):
    store, keys = sample_store(paths)
    papers = store.papers()
    store.apply([Change(keys[0], "starred", True), Change(keys[1], "read", True), Change(keys[2], "note", "n"),
                 Change(keys[3], "later", "2026-01-01T00:00:00+00:00")])
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 52
    for line, paper in zip(lines, papers, strict=True):
        assert paper.title in line
    assert "★" in lines[0] and "✎" in lines[2] and "◷" in lines[3]
    assert not any(m in lines[4].split(papers[4].title)[0] for m in "★✎◷✓")
    assert main(["list", "--view", "read"]) == 0
    read = capsys.readouterr().out.splitlines()
    assert len(read) == 1 and papers[1].title in read[0]


# -- resolving from the command line ------------------------------------------------------------------

RESOLVABLE = ["Pointer Networks", "PYInfer: Deep Learning Semantic Type Inference for Python Variables",
              "Sparse Autoencoders Find Features"]


@pytest.fixture
def server(monkeypatch):
    with ApiServer() as srv:
        monkeypatch.setenv("READER_HF_API", f"http://127.0.0.1:{srv.port}/hf")
        monkeypatch.setenv("READER_ARXIV_API", f"http://localhost:{srv.port}/arxiv")
        yield srv


def test_import_no_resolve_asks_nobody(paths, server, capsys, tmp_path):
    ids = tmp_path / "ids.txt"
    ids.write_text("1506.03134\nhttps://arxiv.org/abs/2401.00001\n")
    assert main(["import", "--no-resolve", str(ids)]) == 0
    assert capsys.readouterr().out.strip() == "ids.txt: 2 papers read, 2 new, 0 already in the library"
    assert server.log == []
    papers = Store(paths).papers()
    assert [p.arxiv_id for p in papers] == ["1506.03134", "2401.00001"] and not any(p.authors for p in papers)


def test_resolve_view_and_limit(paths, server, capsys):
    store = Store(paths)
    store.import_papers([Paper(key=f"t:{i}", title=t) for i, t in enumerate(RESOLVABLE)])
    store.apply([Change("t:1", "starred", True), Change("t:2", "starred", True)])
    assert main(["resolve", "--view", "starred", "--limit", "1"]) == 0
    assert capsys.readouterr().out.startswith("Resolve: 1 resolved")
    ids = {p.key: p.arxiv_id for p in Store(paths).papers()}
    assert ids == {"t:0": "", "t:1": "2306.00002", "t:2": ""}


def _gated_server(srv, answered: int) -> tuple[threading.Event, list]:
    """The first ``answered`` requests are served at once; later ones wait for the event.
    Returns the event and the list of requests that arrived (served or waiting)."""
    release, arrived = threading.Event(), []

    class Gated(Handler):
        def do_GET(self):
            arrived.append(self.path)
            if len(arrived) > answered:
                release.wait(30)
            super().do_GET()

    srv.httpd.RequestHandlerClass = Gated
    return release, arrived


def _reader(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "reader", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=dict(os.environ))


def _wait(condition, timeout: float = 20) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.02)


def test_ctrl_c_cancels_a_cli_resolve_which_resumes_next_time(paths, server):
    Store(paths).import_papers([Paper(key=f"t:{i}", title=t) for i, t in enumerate(RESOLVABLE)])
    release, arrived = _gated_server(server, answered=1)
    proc = _reader("resolve")
    _wait(lambda: len(arrived) >= 2)  # the first paper answered, the second asked
    proc.send_signal(signal.SIGINT)
    time.sleep(0.2)
    release.set()
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "cancelled; run again to resume" in out
    first = {p.key: p.arxiv_id for p in Store(paths).papers()}
    assert first["t:0"] == "1506.03134" and not first["t:2"]
    server.log.clear()
    proc = _reader("resolve")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert all(p.arxiv_id for p in Store(paths).papers())
    searched = [q for _, path, q, _ in server.log if path.endswith("/search")]
    assert searched and not any("Pointer" in q for q in searched)  # resumed: the first is not asked again


def test_second_ctrl_c_stops_at_once_with_exit_130(paths, server):
    Store(paths).import_papers([Paper(key=f"t:{i}", title=t) for i, t in enumerate(RESOLVABLE)])
    release, arrived = _gated_server(server, answered=0)  # nothing answers
    try:
        proc = _reader("resolve")
        _wait(lambda: len(arrived) >= 1)
        proc.send_signal(signal.SIGINT)
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
        assert proc.returncode == 130, (out, err)
        assert "Traceback" not in err
    finally:
        release.set()


# -- reader FILE... -------------------------------------------------------------------------------------

@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_reader_with_files_imports_them_then_opens_the_tui(paths):
    tmux = TmuxServer(paths)
    try:
        tmux.start_reader(str(FIXTURES / "daily_page.txt"))
        screen = tmux.wait_for("3 papers")
        assert "daily_page.txt: 3 papers read, 3 new" in screen.replace("\n", " ") or "1 All 3" in screen
        tmux.quit()
    finally:
        tmux.kill()
    assert len(Store(paths).papers()) == 3  # the user brought a file: no sample
