"""The command line: import, list, path, cite, export, backup/restore, errors and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from reader.citations import FORMATS
from reader.cli import main
from reader.parsers import parse_file
from reader.state import Change
from reader.storage.catalogue import Catalogue
from reader.storage.store import Store

from .conftest import FIXTURES, SAMPLE


def test_import_reports_counts(paths, capsys):
    assert main(["import", str(SAMPLE)]) == 0
    assert capsys.readouterr().out.strip() == "hf-trending-papers.txt: 52 papers read, 52 new, 0 already in the library"
    assert main(["import", str(SAMPLE), str(FIXTURES / "daily_page.txt")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "hf-trending-papers.txt: 52 papers read, 0 new, 52 already in the library",
        "daily_page.txt: 3 papers read, 3 new, 0 already in the library",
    ]


def test_bad_files_exit_2_and_good_ones_still_import(paths, capsys):
    code = main(["import", str(FIXTURES / "binary.png"), str(SAMPLE), str(FIXTURES / "empty.txt"), "/nope/missing.txt", str(FIXTURES)])
    captured = capsys.readouterr()
    assert code == 2
    errs = captured.err.strip().splitlines()
    assert len(errs) == 4
    assert "binary.png: looks like a binary file" in errs[0]
    assert "empty.txt: file is empty" in errs[1]
    assert "missing.txt: no such file" in errs[2]
    assert "is a directory" in errs[3]
    assert "52 new" in captured.out


def test_bad_input_leaves_library_unchanged(paths, capsys):
    main(["import", str(SAMPLE)])
    before = [p.to_dict() for p in Store(paths).papers()]
    assert main(["import", str(FIXTURES / "no_papers.txt")]) == 2
    assert [p.to_dict() for p in Store(paths).papers()] == before


def test_list_views_and_json(paths, capsys):
    main(["import", str(SAMPLE)])
    capsys.readouterr()
    assert main(["list", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 52 and rows[0]["title"].startswith("Ergotropy")
    assert main(["list", "--view", "starred"]) == 0
    assert capsys.readouterr().out == ""


def test_path_command(paths, capsys):
    assert main(["path"]) == 0
    out = capsys.readouterr().out
    assert str(paths.data_dir) in out and str(paths.config_dir) in out and "state.json" in out


def test_write_failure_exits_nonzero_with_message(paths, capsys, monkeypatch):
    real = Catalogue._connect

    def readonly(self):  # SQLite refuses every write, as on a read-only file system
        conn = real(self)
        conn.execute("PRAGMA query_only=1")
        return conn

    Store(paths)
    monkeypatch.setattr(Catalogue, "_connect", readonly)
    assert main(["import", str(SAMPLE)]) == 1
    assert "library.db: cannot write (read-only)" in capsys.readouterr().err


def test_cite_and_export(paths, capsys, tmp_path):
    main(["import", str(SAMPLE)])
    capsys.readouterr()
    assert main(["cite", "Pointer Networks"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("@misc{pointernetworksnd,")
    assert "incomplete" in captured.err
    assert main(["cite", "Learning"]) == 2  # ambiguous
    assert "papers match" in capsys.readouterr().err
    assert main(["cite", "zzzz no such"]) == 2
    out = tmp_path / "lib.bib"
    assert main(["export", "--format", "bibtex", "-o", str(out)]) == 0
    assert out.read_text().count("@misc{") == 52
    assert main(["cite", "pointernetworksnd", "--format", "plain"]) == 0  # by the key it shows
    assert capsys.readouterr().out.strip() == "Pointer Networks."


def test_version_and_help_run_as_module():
    out = subprocess.run([sys.executable, "-m", "reader", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("reader ")
    out = subprocess.run([sys.executable, "-m", "reader", "import", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "FILE" in out.stdout


# -- issue 10 §6: standard input, cite keys in `reader list`, unknown words, no terminal --

def _reader(args, paths, input: bytes = b""):
    import os

    env = {**os.environ, "READER_DATA_DIR": str(paths.data_dir), "READER_CONFIG_DIR": str(paths.config_dir)}
    return subprocess.run([sys.executable, "-m", "reader", *args], input=input, capture_output=True, env=env, timeout=60)


def test_import_from_standard_input(paths):
    out = _reader(["import", "-"], paths, input=(FIXTURES / "trending_twice.txt").read_bytes())
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode() == "<stdin>: 6 papers read, 6 new, 0 already in the library\n"
    out = _reader(["import", "-"], paths, input=b"\x00\x01binary")
    assert out.returncode == 2
    assert out.stderr.decode() == "reader: <stdin>: looks like a binary file (contains NUL bytes), not text\n"


def test_list_shows_cite_keys_and_an_unread_mark(paths, capsys):
    from reader.state import Change

    main(["import", str(FIXTURES / "daily_page.txt")])
    godel = parse_file(FIXTURES / "daily_page.txt")[0]
    Store(paths).apply([Change(godel.key, "read", True, 1.0)])
    capsys.readouterr()
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[0] == "godelagent2025"  # read: no mark; its key, not t:…
    assert lines[1].split()[:2] == ["●", "tinypapernd"]
    assert not any(" t:" in line for line in lines)
    assert main(["list", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["cite_key"] for r in rows] == ["godelagent2025", "tinypapernd", "entryonlynd"]
    assert main(["cite", "tinypapernd", "--format", "plain"]) == 0  # the shown key finds it
    assert capsys.readouterr().out.startswith("A Tiny Paper Whose Abstract Is Missing")


def test_unknown_command_or_missing_file_is_one_line_and_exit_2(paths, capsys, monkeypatch):
    import reader.tui.app

    monkeypatch.setattr(reader.tui.app, "run_app", lambda files: pytest.fail("the TUI opened"))
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    assert main(["sync"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("reader: unknown command 'sync' (commands: import,") and err.count("\n") == 1
    assert main(["missing.txt"]) == 2
    assert capsys.readouterr().err == "reader: missing.txt: no such file\n"
    assert main([str(SAMPLE), "./nope/page.txt"]) == 2
    assert capsys.readouterr().err == "reader: ./nope/page.txt: no such file\n"


def test_tui_refuses_to_start_without_a_terminal(paths):
    out = _reader([], paths)
    assert out.returncode == 2
    assert out.stderr.decode() == (
        "reader: the TUI needs a terminal and standard output is not one "
        "(for scripts: reader import, reader list, reader export)\n"
    )
    assert not paths.catalogue.exists() and not paths.library.exists()  # nothing was imported


def test_one_paper_read_is_singular(paths, capsys):
    assert main(["import", str(FIXTURES / "latin1_page.txt")]) == 0
    assert capsys.readouterr().out == "latin1_page.txt: 1 paper read, 1 new, 0 already in the library\n"


def test_half_an_emoji_in_a_json_file_imports_with_a_replacement_character(paths, tmp_path, capsys):
    """A review found a CSL-JSON title with a lone surrogate escape (a truncated emoji,
    valid JSON) ending the import with a traceback: the file's good entries and the
    files after it were never imported."""
    from reader.model import Paper, mend_text

    broken = tmp_path / "a.json"
    broken.write_text(
        '[{"type":"article","title":"Broken emoji \\ud83d in a title","author":[{"family":"Doe","given":"J"}],'
        '"issued":{"date-parts":[[2024]]}},'
        ' {"type":"article","title":"A fine paper \\ud83d\\ude00","author":[{"family":"Roe","given":"R"}]}]')
    ids = tmp_path / "b.txt"
    ids.write_text("2501.00001\n")
    assert main(["import", "--no-resolve", str(broken), str(ids)]) == 0
    titles = [p.title for p in Store(paths).papers()]
    assert titles[:2] == ["Broken emoji \ufffd in a title", "A fine paper \U0001f600"] and len(titles) == 3
    assert mend_text(Paper(key="k", title="ok", authors=["\udc80x"])).authors == ["\ufffdx"]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_with_notes_in_every_format(paths, capsys, fmt):
    """A trial found --with-notes ending in a traceback for APA, MLA and Chicago, and
    leaving the notes out of Markdown and plain text."""
    store = Store(paths)
    store.import_papers(parse_file(SAMPLE))
    key = store.papers()[0].key
    store.apply([Change(key, "note", "first thought\n  second, indented"), Change(key, "tags", ["sae", "rl"])])
    assert main(["export", "--format", fmt, "--with-notes", "--view", "noted"]) == 0
    out = capsys.readouterr().out
    assert "first thought" in out and "sae" in out


def test_export_writes_through_links_and_pipes_and_never_makes_directories(paths, tmp_path, capsys):
    """A trial found -o replacing a symlink (a LaTeX project's refs.bib kept its stale
    text), a FIFO and even /dev/full with a regular file, and making missing directories."""
    import os
    import stat
    import threading

    Store(paths).import_papers(parse_file(SAMPLE))
    project = tmp_path / "proj"
    project.mkdir()
    (project / "refs.bib").write_text("% old\n")
    link = tmp_path / "link.bib"
    link.symlink_to(project / "refs.bib")
    assert main(["export", "--force", "-o", str(link)]) == 0  # it exists: replaced only with --force
    assert link.is_symlink() and (project / "refs.bib").read_text().startswith("@misc{")
    fifo = tmp_path / "p.fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo).read()))
    reader.start()
    assert main(["export", "-o", str(fifo)]) == 0
    reader.join(timeout=10)
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and got[0].startswith("@misc{")
    capsys.readouterr()
    assert main(["export", "-o", str(tmp_path / "nope" / "x.bib")]) == 1
    assert "no directory" in capsys.readouterr().err and not (tmp_path / "nope").exists()
    old = os.umask(0o022)
    try:
        assert main(["export", "-o", str(tmp_path / "new.bib")]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.bib").stat().st_mode) == 0o644


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("args", [["list"], ["cite", "Sparse"], ["export"], ["--help"], ["--version"], ["import", "--help"]])
def test_a_full_disk_behind_stdout_is_one_line(paths, args):
    """A trial found `reader cite KEY > file` on a full disk ending in a traceback, and
    `reader --help > /dev/full` exiting 0 silently (argparse swallows the write error)."""
    Store(paths).import_papers(parse_file(SAMPLE))
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "reader", *args], stdout=full, stderr=subprocess.PIPE,
                              text=True, env={**os.environ, "READER_LOOKUP_SECONDS": "0"})
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == "reader: writing the output: No space left on device"
    assert "Traceback" not in done.stderr
