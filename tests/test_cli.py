"""The command line: import, list, path, cite, export, backup/restore, errors and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

from reader.cli import main
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
    assert main(["cite", "pointernetworksnd", "--format", "plain"]) == 0  # by pinned key
    assert capsys.readouterr().out.strip() == "Pointer Networks."


def test_version_and_help_run_as_module():
    out = subprocess.run([sys.executable, "-m", "reader", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("reader ")
    out = subprocess.run([sys.executable, "-m", "reader", "import", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "FILE" in out.stdout
