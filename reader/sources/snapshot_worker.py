"""The arXiv snapshot parsed in a child process while this one stores what it parsed.

Reading a paper of the snapshot (JSON, TeX accents, names, dates) costs about as much
Python time as storing it, and threads cannot share that: the GIL runs one at a time
(a parsing thread made the import slower). A child process parses the file and writes each batch of papers to its standard output, as tuples of
their fields with the records the catalogue stores for them (JSON, title hash), so
this process only stores them. Batches arrive in file order, so what is
stored, and what a kill leaves, is as with :func:`reader.sources.snapshot.iter_snapshot`
(each batch is one transaction).

If this process dies, the child's next write fails and it ends. A small file, a
one-core machine, or a child that cannot start is read here, as before.
"""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import fields
from operator import attrgetter
from pathlib import Path
from typing import BinaryIO

from reader.model import Paper
from reader.sources import Parsed
from reader.sources.snapshot import iter_snapshot

IN_CHILD_FROM = 32 * 2**20  # bytes from which a snapshot is parsed in a child process
_values = attrgetter(*(f.name for f in fields(Paper)))
_SIZE = struct.Struct("<Q")


class ChildFailed(Exception):
    """The child stopped with an error (its message)."""


def _send(out: BinaryIO, message) -> None:
    data = pickle.dumps(message, protocol=5)
    out.write(_SIZE.pack(len(data)))
    out.write(data)


def _receive(stream: BinaryIO):
    head = stream.read(_SIZE.size)
    if len(head) < _SIZE.size:
        raise EOFError
    data = stream.read(_SIZE.unpack(head)[0])
    return pickle.loads(data)


class Prepared(Parsed):
    """A batch with its papers' records written (see :func:`prepared_records`)."""

    def __init__(self, papers, problems: list[str], records: list[tuple[str, str]]):
        super().__init__(papers, problems, fmt="arXiv snapshot")
        self.records = records


def produce(path: str, categories: set[str] | None, out: BinaryIO) -> None:
    """The child: every batch as (field tuples, problems, bytes read so far, records),
    then None. An error is sent as its one-line message. The papers are stamped as the
    import would stamp them, so that their records are the ones it would write."""
    from reader.sources.files import stamp
    from reader.storage.catalogue import prepared_records

    try:
        with open(path, "rb") as fh:
            for batch in iter_snapshot(fh, categories, source=Path(path).name):
                stamp(batch)
                _send(out, ([_values(p) for p in batch], batch.problems, fh.tell(), prepared_records(batch)))
        _send(out, None)
        out.flush()
    except (BrokenPipeError, KeyboardInterrupt):  # the importer ended, or was stopped
        return
    except Exception as exc:
        try:
            _send(out, f"{type(exc).__name__}: {exc}")
            out.flush()
        except OSError:
            pass


# The child's start: isolated (-I: no PYTHONPATH, no current directory on the path, which
# may hold anything called "reader"), then this very copy of reader, or nothing (a
# child that ends without a word is read here instead).
_BOOT = """
import sys
here = sys.argv[1]
if here not in sys.path:
    sys.path.insert(0, here)
import reader
if reader.__file__.startswith(here):
    from reader.sources.snapshot_worker import main
    main(sys.argv[2:])
"""


def _start(path: Path, categories: set[str] | None) -> subprocess.Popen | None:
    """The child, started with this interpreter and this copy of reader; None if it
    cannot be."""
    here = str(Path(__file__).resolve().parents[2])  # the directory that holds reader/
    cats = ",".join(sorted(categories)) if categories else ""
    try:
        return subprocess.Popen([sys.executable, "-I", "-c", _BOOT, here, str(path), cats], stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=1 << 20)
    except OSError:
        return None


def iter_snapshot_file(path: Path, categories: set[str] | None = None,
                       progress: Callable[[int], None] | None = None) -> Iterator[Parsed]:
    """The batches of :func:`iter_snapshot` for the file at ``path``, parsed in a child
    process when the file is big enough and a second core can take it."""
    child = None
    if path.stat().st_size >= IN_CHILD_FROM and (os.cpu_count() or 1) >= 2:
        child = _start(path, categories)
    if child is None:
        yield from _in_process(path, categories, progress)
        return
    received = 0
    try:
        while True:
            try:
                message = _receive(child.stdout)
            except EOFError:
                if not received:  # it never got going (no interpreter, no module): read it here
                    child.wait()
                    yield from _in_process(path, categories, progress)
                    return
                raise ChildFailed(f"the reading process ended early (exit status {child.wait()})") from None
            if message is None:
                return
            if isinstance(message, str):
                raise ChildFailed(message)
            values, problems, done, records = message
            received += 1
            yield Prepared([Paper(*v) for v in values], problems, records)
            if progress:
                progress(done)
    finally:
        child.stdout.close()
        if child.poll() is None:
            child.terminate()
        child.wait()


def _in_process(path: Path, categories: set[str] | None, progress: Callable[[int], None] | None) -> Iterator[Parsed]:
    with open(path, "rb") as fh:
        yield from iter_snapshot(fh, categories, source=path.name, progress=progress)


def main(args: list[str]) -> None:
    """The child's entry: ``PATH CATEGORIES`` (comma-separated, may be empty)."""
    produce(args[0], {c for c in args[1].split(",") if c} or None, sys.stdout.buffer)
