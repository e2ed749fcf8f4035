"""The arXiv snapshot on standard input: a progress line (papers, bytes, rate; its size
is not known), and parsed in a child process like a big file."""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
from dataclasses import replace

import pytest

from .test_snapshot import _write_snapshot


def _stdin_from(monkeypatch, path) -> None:
    """Standard input read from ``path``, through a real file descriptor (as `< file` gives)."""
    fh = open(path, encoding="utf-8")  # noqa: SIM115 - closed by the test's end
    monkeypatch.setattr(sys, "stdin", fh)
    return fh


def _read_stdin(monkeypatch, path, categories=None):
    from reader.parsers.decode import stdin_with_head
    from reader.sources.detect import enough
    from reader.sources.snapshot_worker import iter_snapshot_stdin

    with _stdin_from(monkeypatch, path):
        head, stream = stdin_with_head(enough)
        seen: list[int] = []
        batches = list(iter_snapshot_stdin(head, stream, categories, progress=seen.append))
    return [p for b in batches for p in b], [x for b in batches for x in b.problems], seen


@pytest.mark.parametrize("categories", [None, {"cs"}])
def test_standard_input_parsed_in_a_child_is_what_this_process_reads(tmp_path, monkeypatch, categories):
    import reader.sources.snapshot_worker as worker

    path = tmp_path / "s.jsonl"
    _write_snapshot(path, 12_000, bad_every=997)
    monkeypatch.setattr(worker, "LOOK_AHEAD", 1 << 26)  # all of it read ahead: read here
    here = _read_stdin(monkeypatch, path, categories)
    started = []
    real_start = worker._start
    monkeypatch.setattr(worker, "LOOK_AHEAD", 100_003)  # (no line ends there)
    monkeypatch.setattr(worker, "_start", lambda *a: started.append(a) or real_start(*a))
    there = _read_stdin(monkeypatch, path, categories)
    assert started and started[0][0] == "-" and len(here[0]) > 5_000 and (here[1] or categories)
    assert all(p.added_at for p in there[0])  # stamped there, as the import stamps them
    there[0][:] = [replace(p, added_at="") for p in there[0]]
    assert there == here  # the same papers in order, the same problems, the same progress
    assert here[2][-1] == path.stat().st_size


@pytest.mark.parametrize("executable", ["no-python", "/bin/true"])
def test_a_child_that_cannot_start_leaves_standard_input_to_this_process(tmp_path, monkeypatch, executable):
    """Nothing of standard input is lost: what was read ahead is read here, then the rest."""
    import reader.sources.snapshot_worker as worker

    path = tmp_path / "s.jsonl"
    _write_snapshot(path, 3_000)
    monkeypatch.setattr(worker, "LOOK_AHEAD", 100_003)
    monkeypatch.setattr(worker.sys, "executable", executable if executable.startswith("/") else str(tmp_path / executable))
    papers, problems, seen = _read_stdin(monkeypatch, path)
    assert [p.arxiv_id for p in papers] == [f"2401.{i:05d}" for i in range(3_000)] and not problems
    assert seen[-1] == path.stat().st_size


def test_the_cli_shows_papers_bytes_and_rate_of_standard_input(paths, tmp_path, monkeypatch, capsys):
    import reader.cli.imports as imports
    import reader.sources.snapshot_worker as worker
    from reader.cli import main
    from reader.storage.store import Store

    path = tmp_path / "s.jsonl"
    _write_snapshot(path, 12_000)
    monkeypatch.setattr(worker, "LOOK_AHEAD", 100_003)
    clock = iter(range(0, 1000, 2))  # two seconds between two looks at the clock
    monkeypatch.setattr(imports.time, "monotonic", lambda: next(clock))
    monkeypatch.setattr(shutil, "get_terminal_size", lambda fallback=None: os.terminal_size((80, 24)))
    with _stdin_from(monkeypatch, path):
        monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
        assert main(["import", "--no-resolve", "-"]) == 0
    out, err = capsys.readouterr()
    assert out == "<stdin>: 12000 papers read, 12000 new, 0 already in the library\n"
    size = path.stat().st_size / 2**20
    lines = err.split("\r")[1:]
    assert re.fullmatch(r"<stdin>: 5,000 papers, \d MiB read, 2,500 papers/s", lines[0])
    assert lines[-1] == f"<stdin>: 12,000 papers, {size:,.0f} MiB read, 2,000 papers/s\n"  # ended below
    assert "%" not in err
    assert Store(paths).catalogue.count() == 12_000


@pytest.mark.parametrize("columns", [12, 20, 40, 80])
def test_the_standard_input_line_fits_on_one_line_of_any_terminal(columns, monkeypatch, capsys):
    from reader.cli.imports import progress_bar

    monkeypatch.setattr(shutil, "get_terminal_size", lambda fallback=None: os.terminal_size((columns, 24)))
    show = progress_bar("-")
    for done, papers in ((0, 0), (10 * 2**20, 12_345), (2**40, 2_700_000)):
        show(done, None, papers)
    show.end()
    err = capsys.readouterr().err
    lines = err.split("\r")[1:]
    assert len(lines) == 3 and err.endswith("\n") and all(len(line.rstrip("\n")) < columns for line in lines), lines
    assert lines[-1].startswith("<stdin>: 2,700,000 papers" if columns >= 40 else "<")


def test_a_small_snapshot_on_standard_input_is_read_here(tmp_path, monkeypatch):
    import reader.sources.snapshot_worker as worker

    path = tmp_path / "s.jsonl"
    _write_snapshot(path, 300)
    monkeypatch.setattr(worker, "_start", lambda *a: pytest.fail("a child for 300 papers"))
    papers, _problems, seen = _read_stdin(monkeypatch, path)
    assert len(papers) == 300 and seen[-1] == path.stat().st_size


def test_standard_input_without_a_descriptor_is_read_here(paths, monkeypatch, capsys):
    from reader.cli import main

    from .conftest import FIXTURES

    data = (FIXTURES / "sources" / "snapshot.jsonl").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["import", "--no-resolve", "-"]) == 0
    assert capsys.readouterr().out.startswith("<stdin>: ")
