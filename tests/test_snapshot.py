"""The arXiv snapshot reader's own shortcuts give what the general code gives."""

from __future__ import annotations

import json
from dataclasses import replace
from email.utils import parsedate_to_datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.model import Paper
from reader.sources.snapshot import created_date

_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Foo"]


def _email_date(text: str) -> str:
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return ""


@given(st.sampled_from(_DAYS), st.integers(0, 32), st.sampled_from(_MONTHS), st.integers(0, 2100),
       st.sampled_from(["19:18:42 GMT", "00:00:00 GMT", "23:59:59 +0100", "7:5:3 GMT"]))
def test_a_versions_created_date_is_read_as_the_email_parser_reads_it(day, num, month, year, time):
    text = f"{day}, {num} {month} {year:04d} {time}"
    assert created_date(text) == _email_date(text)
    assert created_date(f"{day}, {num} {month} {year} {time}") == _email_date(f"{day}, {num} {month} {year} {time}")


def test_odd_created_values_give_a_date_or_nothing():
    assert created_date("Mon, 2 Apr 2007 19:18:42 GMT") == "2007-04-02"
    assert created_date("Mon, 30 Feb 2007 19:18:42 GMT") == ""
    assert created_date("2 Apr 2007") == created_date("garbage") == created_date("None") == ""


# -- the snapshot parsed in a child process (reader.sources.snapshot_worker) ----------------

def _write_snapshot(path, n: int, bad_every: int = 0) -> None:
    lines = []
    for i in range(n):
        if bad_every and i % bad_every == bad_every - 1:
            lines.append('{"id": "not json"' if i % 2 else '{"title": "no id"}')
            continue
        lines.append(json.dumps({
            "id": f"2401.{i:05d}", "title": f"Paper {i} on G{{\\\"o}}del", "abstract": f"Words {i} " * 30,
            "categories": "cs.CL" if i % 3 else "hep-th", "doi": f"10.1/{i}" if i % 7 == 0 else None,
            "versions": [{"version": "v1", "created": f"Mon, {1 + i % 28} Jan 2024 00:00:00 GMT"}, {"version": "v2"}],
            "authors_parsed": [["Müller", "J.", ""], [f"van der Berg{i}", "A.", "Jr."]], "update_date": "2024-02-03",
        }))
    path.write_text("\n".join(lines) + "\n")


def _read(path, categories=None):
    from reader.sources.snapshot_worker import iter_snapshot_file

    seen: list[int] = []
    batches = list(iter_snapshot_file(path, categories, progress=seen.append))
    return [p for b in batches for p in b], [x for b in batches for x in b.problems], seen, [b.format for b in batches]


@pytest.mark.parametrize("categories", [None, {"cs"}])
def test_a_snapshot_parsed_in_a_child_process_is_what_this_process_reads(tmp_path, monkeypatch, categories):
    import reader.sources.snapshot_worker as worker

    path = tmp_path / "s.jsonl"
    _write_snapshot(path, 12_000, bad_every=997)
    monkeypatch.setattr(worker, "IN_CHILD_FROM", 1 << 60)
    here = _read(path, categories)
    started = []
    real_start = worker._start
    monkeypatch.setattr(worker, "IN_CHILD_FROM", 0)
    monkeypatch.setattr(worker, "_start", lambda *a: started.append(1) or real_start(*a))
    there = _read(path, categories)
    assert started and len(here[0]) > 5_000 and (here[1] or categories)  # papers and problems both
    assert all(p.added_at for p in there[0])  # stamped there, as the import stamps them
    there[0][:] = [replace(p, added_at="") for p in there[0]]
    assert there == here  # the same papers, field for field, in order; the same problems, progress, format


def test_what_the_child_prepares_is_what_the_catalogue_would_store(paths, tmp_path, monkeypatch):
    """The child also writes each paper's record (JSON) and title hash, so this process
    only stores them: the catalogue it gives is the one an import here gives."""
    import reader.sources.snapshot_worker as worker
    from reader.sources.files import import_file
    from reader.storage.store import Store

    path = tmp_path / "s.jsonl"
    _write_snapshot(path, 9_000, bad_every=997)
    papers = "SELECT id, key, arxiv_id, doi, norm, title, published, upvotes, data FROM papers ORDER BY id"
    catalogues = []
    for name, at in (("here", 1 << 60), ("child", 0)):
        monkeypatch.setattr(worker, "IN_CHILD_FROM", at)
        monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / name))
        store = Store(type(paths)(tmp_path / name, tmp_path / name))
        store.import_papers([Paper(key="2401.00003", title="Paper 3 on Gödel, known before")])  # one merge
        done = import_file(store, path)
        assert (done.result.new, done.result.existing) == (8_990, 1)
        rows = store.catalogue.db.execute(papers).fetchall()
        catalogues.append([(*row[:-1], json.dumps({**json.loads(row[-1]), "added_at": ""})) for row in rows])
    assert catalogues[0] == catalogues[1]


def test_the_child_runs_this_copy_of_reader_whatever_the_directory_or_pythonpath(tmp_path, monkeypatch):
    import reader.sources.snapshot_worker as worker

    path = tmp_path / "s.jsonl"
    _write_snapshot(path, 300)
    decoy = tmp_path / "decoy"
    (decoy / "reader").mkdir(parents=True)
    (decoy / "reader" / "__init__.py").write_text("raise SystemExit('another reader')\n")
    monkeypatch.chdir(decoy)
    monkeypatch.setenv("PYTHONPATH", str(decoy))
    monkeypatch.setattr(worker, "IN_CHILD_FROM", 0)
    batches = list(worker.iter_snapshot_file(path))
    assert [type(b) for b in batches] == [worker.Prepared] and len(batches[0]) == 300  # read by the child


def test_a_child_that_cannot_start_leaves_the_reading_here(tmp_path, monkeypatch):
    import reader.sources.snapshot_worker as worker

    path = tmp_path / "s.jsonl"
    _write_snapshot(path, 300)
    monkeypatch.setattr(worker, "IN_CHILD_FROM", 0)
    monkeypatch.setattr(worker.sys, "executable", str(tmp_path / "no-python"))
    papers, _problems, _seen, _fmt = _read(path)
    assert len(papers) == 300
    monkeypatch.setattr(worker.sys, "executable", "/bin/true")  # starts, and ends at once saying nothing
    assert len(_read(path)[0]) == 300


def test_a_child_s_error_is_one_line_naming_the_file(tmp_path, monkeypatch):
    import reader.sources.snapshot_worker as worker
    from reader.parsers import InputError, iter_file

    path = tmp_path / "s.jsonl"
    _write_snapshot(path, 300)
    monkeypatch.setattr(worker, "IN_CHILD_FROM", 0)
    real_start = worker._start
    monkeypatch.setattr(worker, "_start", lambda p, c: real_start(tmp_path, c))  # the child opens a directory
    with pytest.raises(InputError) as info:
        list(iter_file(path))
    assert str(info.value).startswith(f"{path}: IsADirectoryError") and "\n" not in str(info.value)


def test_the_child_ends_when_the_import_stops_or_dies(tmp_path):
    """Stopping after the first batch ends the child; so does killing the importer
    (its next write fails): no process is left parsing a file nobody reads."""
    import os
    import signal
    import subprocess
    import sys
    import time

    path = tmp_path / "s.jsonl"
    _write_snapshot(path, 30_000)
    script = f"""
import sys, reader.sources.snapshot_worker as w
from pathlib import Path
w.IN_CHILD_FROM = 0
real = w._start
def start(*a):
    child = real(*a); print(child.pid, flush=True); return child
w._start = start
it = w.iter_snapshot_file(Path({str(path)!r}))
next(it)
if sys.argv[1] == "close":
    it.close(); print("closed", flush=True)
else:
    print("waiting", flush=True)
sys.stdin.read()
"""
    for how in ("close", "kill"):
        importer = subprocess.Popen([sys.executable, "-c", script, how], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        child = int(importer.stdout.readline())
        assert importer.stdout.readline().strip() in ("closed", "waiting")
        if how == "kill":
            os.kill(importer.pid, signal.SIGKILL)
        importer.wait() if how == "kill" else None
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _alive(child):
            time.sleep(0.05)
        alive = _alive(child)
        importer.kill()
        importer.wait()
        assert not alive, how


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for its parent counts as ended)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_ctrl_c_during_an_import_says_what_is_in_the_library(paths, tmp_path, monkeypatch, capsys):
    """A big import stopped with ctrl+c keeps the batches it stored (each is one
    transaction); it said nothing, and the user could not tell how much was in."""
    from reader.cli import main
    from reader.storage.store import Store

    path = tmp_path / "s.jsonl"
    _write_snapshot(path, 12_000, bad_every=997)  # 5 bad lines in the first batch, more in the next ones
    real = Store.import_papers
    calls = []

    def import_then_stop(self, papers):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(self, papers)

    monkeypatch.setattr(Store, "import_papers", import_then_stop)
    assert main(["import", str(path)]) == 130
    out, err = capsys.readouterr()
    assert out == "s.jsonl: 5000 papers read, 5000 new, 0 already in the library, 5 entries skipped, then interrupted\n"
    assert "interrupted" in err and "again adds the rest" in err
    monkeypatch.setattr(Store, "import_papers", real)
    assert Store(paths).catalogue.count() == 5000
    assert main(["import", str(path)]) == 0
    assert capsys.readouterr().out == "s.jsonl: 11988 papers read, 6988 new, 5000 already in the library, 12 entries skipped\n"


@pytest.mark.parametrize("columns", [20, 40, 80, 200])
def test_the_progress_bar_fits_on_one_line_of_any_terminal(columns, monkeypatch, capsys):
    """A bar wider than the terminal wraps, and \\r then redraws only its last part: a
    40-column tmux kept a stale line on screen for each update (trial 8)."""
    import os
    import shutil

    from reader.cli.imports import progress_bar

    monkeypatch.setattr(shutil, "get_terminal_size", lambda fallback=None: os.terminal_size((columns, 24)))
    show = progress_bar("/data/arxiv-metadata-oai-snapshot-2026-11.json")
    for done in (0, 10 * 2**20, 71 * 2**20):
        show(done, 71 * 2**20)
    lines = capsys.readouterr().err.split("\r")[1:]
    assert len(lines) == 3 and all(len(line.rstrip("\n")) < columns for line in lines), lines
    assert lines[-1].endswith("100% of 71 MiB\n") and lines[1].rstrip().endswith("14% of 71 MiB")


_NAME_PIECES = ["Ann", "J.", "J.-P.", "van", "de", "Jr.", "III", "Müller", "O'Neil", "{X}", "élan", "Élan", "V",
                "A.", "x", "Smith,", "Mary Ann", "de la", "Z", "ß"]


@given(st.lists(st.sampled_from(_NAME_PIECES), min_size=1, max_size=3), st.sampled_from(_NAME_PIECES))
def test_a_name_said_to_read_back_plainly_does(given_words, family):
    """The shortcut that spares parsing each of the snapshot's names back never claims a
    name reads back as "Given Family" when parsing says otherwise."""
    from reader.citations.names import Name, parse_name, reads_back_plainly

    given_text = " ".join(given_words)
    if reads_back_plainly(given_text, family):
        assert parse_name(f"{given_text} {family}") == Name(family, given_text)


def test_problems_of_a_snapshot_on_standard_input_name_it_as_the_summary_does(paths, monkeypatch, capsys):
    import io
    import sys

    from reader.cli import main

    from .conftest import FIXTURES

    data = (FIXTURES / "sources" / "snapshot.jsonl").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["import", "--no-resolve", "-"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("<stdin>: ") and "reader: <stdin>: line " in captured.err
    assert "reader: -:" not in captured.err
