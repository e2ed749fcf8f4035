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

Standard input (``reader import - < snapshot.json``, ``zcat ... | reader import -``) is
handed to the child too: what this process has read of it to recognise the format
(and the look-ahead that tells a big input from a small one) goes first through a
pipe of its own, and the child reads the rest from the standard input it inherits. It
says when it has the look-ahead, before it reads any of the rest: a child that ends
before that has read nothing, and this process reads all of it instead.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import pickle
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from operator import attrgetter
from pathlib import Path
from typing import BinaryIO

from reader.model import Paper
from reader.sources import Parsed
from reader.sources.snapshot import iter_snapshot

IN_CHILD_FROM = 32 * 2**20  # bytes from which a snapshot is parsed in a child process
LOOK_AHEAD = 8 * 2**20  # bytes of standard input read first: an input that ends within is read here
STDIN = "-"
_READY = "ready"  # the child has the look-ahead, and reads standard input from now on
_values = attrgetter(*(f.name for f in fields(Paper)))
_SIZE = struct.Struct("<Q")


class ChildFailed(Exception):
    """The child stopped with an error, or a compressed file could not be read here (its
    one-line message)."""


# -- compressed snapshots: arXiv's own .gz, Kaggle's .zip -------------------------------------
GZIP = b"\x1f\x8b"
ZIP = (b"PK\x03\x04", b"PK\x05\x06")  # a file's header; the end of an empty archive


COMPRESSION_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile, zipfile.BadZipFile, NotImplementedError)


def compression(path: Path | str) -> str:
    """"gzip", "zip" or "" (not compressed, or not readable: its reading says why), by content."""
    try:
        with open(path, "rb") as fh:
            magic = fh.read(4)
    except OSError:
        return ""
    return "gzip" if magic.startswith(GZIP) else "zip" if magic in ZIP else ""


@contextmanager
def open_snapshot(path: Path | str) -> Iterator[tuple[BinaryIO, Callable[[], int]]]:
    """The file's bytes (decompressed, for a gzip file or the one file of a zip archive)
    and how far into the file reading is (its compressed bytes: the progress of a
    compressed file is told in them, of its size on disk). Compressed data that is cut
    short or damaged reads as its end, so the papers before it are read (and stored) as
    those of a plain file cut short are; its error is raised once the reading is done."""
    with open(path, "rb") as raw:
        kind = compression(path)
        if not kind:
            yield raw, raw.tell
            return
        with contextlib.ExitStack() as stack:
            if kind == "gzip":
                data = stack.enter_context(gzip.GzipFile(fileobj=raw, mode="rb"))
            else:
                archive = stack.enter_context(zipfile.ZipFile(raw))
                data = stack.enter_context(archive.open(_member(archive)))
            guarded = _UpToError(data)
            yield stack.enter_context(io.BufferedReader(guarded, 1 << 20)), raw.tell
            if guarded.error is not None:
                raise guarded.error


class _UpToError(io.RawIOBase):
    """A decompressed stream that ends where its data turns out cut short or damaged,
    keeping the error."""

    def __init__(self, data: BinaryIO):
        self._data = data
        self.error: Exception | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.error is not None:
            return 0
        try:  # read1: one read of the compressed data at a time, so an error loses none read before it
            data = self._data.read1(len(buffer))
        except COMPRESSION_ERRORS as exc:
            self.error = exc
            return 0
        buffer[: len(data)] = data
        return len(data)


def _member(archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    """The file a zip archive holds (Kaggle's arxiv.zip: the snapshot alone); of several,
    the biggest."""
    files = [i for i in archive.infolist() if not i.is_dir()]
    if not files:
        raise _NoFile("the zip archive holds no file")
    return max(files, key=lambda i: i.file_size)


class _NoFile(zipfile.BadZipFile):
    pass


def problem(exc: BaseException) -> str:
    """One line for an error met reading a (compressed) snapshot."""
    if isinstance(exc, _NoFile):
        return str(exc)
    if isinstance(exc, zipfile.BadZipFile) and str(exc) == "File is not a zip file":  # its table of contents is at the end
        return "a zip archive cut short or damaged (its list of files is missing)"
    if isinstance(exc, EOFError):
        return "the compressed data ends early (a download cut short?)"
    if isinstance(exc, zlib.error | gzip.BadGzipFile | zipfile.BadZipFile | NotImplementedError):
        return f"damaged or unsupported compressed data ({exc})"
    return f"{type(exc).__name__}: {exc}"



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


class _Joined(io.RawIOBase):
    """``first`` (bytes), then the rest of the raw stream ``rest``."""

    def __init__(self, first: bytes, rest):
        self._first = memoryview(first)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._first:
            n = min(len(buffer), len(self._first))
            buffer[:n] = self._first[:n]
            self._first = self._first[n:]
            return n
        return self._rest.readinto(buffer)


def produce(path: str, categories: set[str] | None, out: BinaryIO, ahead_fd: int | None = None) -> None:
    """The child: every batch as (field tuples, problems, bytes read so far, records),
    then None. An error is sent as its one-line message. The papers are stamped as the
    import would stamp them, so that their records are the ones it would write.
    ``path`` ``-`` is standard input, whose first bytes come through ``ahead_fd``."""
    from reader.sources.files import stamp
    from reader.storage.catalogue import prepared_records

    def send(batch, done: int) -> None:
        stamp(batch)
        _send(out, ([_values(p) for p in batch], batch.problems, done, prepared_records(batch)))

    try:
        if path == STDIN:
            with open(ahead_fd, "rb") as ahead:
                first = ahead.read()
            _send(out, _READY)
            out.flush()
            held: list = []  # a batch waits for its count of bytes, told right after it

            def told(done: int) -> None:
                if held:
                    send(held.pop(), done)

            stream = io.BufferedReader(_Joined(first, open(0, "rb", buffering=0, closefd=False)), 1 << 20)
            for batch in iter_snapshot(stream, categories, source="stdin", progress=told):
                held.append(batch)
        else:
            with open_snapshot(path) as (fh, tell):
                for batch in iter_snapshot(fh, categories, source=Path(path).name):
                    send(batch, tell())
        _send(out, None)
        out.flush()
    except (BrokenPipeError, KeyboardInterrupt):  # the importer ended, or was stopped
        return
    except Exception as exc:
        try:
            _send(out, problem(exc))
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


def _start(path: Path | str, categories: set[str] | None, stdin: tuple[int, int] | None = None) -> subprocess.Popen | None:
    """The child, started with this interpreter and this copy of reader; None if it
    cannot be. Reading standard input (``path`` ``-``), ``stdin`` is (the descriptor it
    reads on from, as its own standard input; the one it gets the look-ahead through)."""
    here = str(Path(__file__).resolve().parents[2])  # the directory that holds reader/
    cats = ",".join(sorted(categories)) if categories else ""
    extra = [str(stdin[1])] if stdin else []
    try:
        return subprocess.Popen([sys.executable, "-I", "-c", _BOOT, here, str(path), cats, *extra],
                                stdin=stdin[0] if stdin else subprocess.DEVNULL, pass_fds=stdin[1:] if stdin else (),
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=1 << 20)
    except OSError:
        return None


def iter_snapshot_file(path: Path, categories: set[str] | None = None,
                       progress: Callable[[int], None] | None = None) -> Iterator[Parsed]:
    """The batches of :func:`iter_snapshot` for the file at ``path``, parsed in a child
    process when the file is big enough and a second core can take it."""
    child = None
    big = IN_CHILD_FROM // 4 if compression(path) else IN_CHILD_FROM  # (the snapshot compresses about 4:1)
    if path.stat().st_size >= big and (os.cpu_count() or 1) >= 2:
        child = _start(path, categories)
    if child is None:
        yield from _in_process(path, categories, progress)
        return
    yield from _from_child(child, lambda: _in_process(path, categories, progress), progress)


def _from_child(child: subprocess.Popen, here: Callable[[], Iterator[Parsed]],
                progress: Callable[[int], None] | None) -> Iterator[Parsed]:
    """The batches the child sends; ``here()``'s if it ends before its first message
    (reading standard input, that is the one saying it has the look-ahead)."""
    received = 0
    try:
        while True:
            try:
                message = _receive(child.stdout)
            except EOFError:
                if not received:  # it never got going (no interpreter, no module): read it here
                    child.wait()
                    yield from here()
                    return
                raise ChildFailed(f"the reading process ended early (exit status {child.wait()})") from None
            received += 1
            if message is None:
                return
            if message == _READY:
                continue
            if isinstance(message, str):
                raise ChildFailed(message)
            values, problems, done, records = message
            yield Prepared([Paper(*v) for v in values], problems, records)
            if progress:
                progress(done)
    finally:
        child.stdout.close()
        if child.poll() is None:
            child.terminate()
        child.wait()


def _in_process(path: Path, categories: set[str] | None, progress: Callable[[int], None] | None) -> Iterator[Parsed]:
    try:
        with open_snapshot(path) as (fh, tell):
            told = (lambda _done: progress(tell())) if progress else None
            yield from iter_snapshot(fh, categories, source=path.name, progress=told)
    except COMPRESSION_ERRORS as exc:
        raise ChildFailed(problem(exc)) from None


def iter_snapshot_stdin(head: bytes, stream: BinaryIO, categories: set[str] | None = None,
                        progress: Callable[[int], None] | None = None) -> Iterator[Parsed]:
    """The batches of :func:`iter_snapshot` for standard input, of which ``head`` was read
    to recognise it and ``stream`` is the whole (:func:`reader.parsers.decode.stdin_with_head`).
    ``progress`` hears the bytes read so far. Parsed in a child process when more than
    :data:`LOOK_AHEAD` bytes come, standard input is a file descriptor and a second core
    can take it."""
    inner = getattr(sys.stdin, "buffer", None)
    if isinstance(stream, io.BytesIO) or not isinstance(inner, io.BufferedReader) or (os.cpu_count() or 1) < 2:
        yield from iter_snapshot(stream, categories, source="stdin", progress=progress)  # all of it read already
        return
    try:
        fd = inner.fileno()
    except (OSError, ValueError):
        yield from iter_snapshot(stream, categories, source="stdin", progress=progress)
        return
    ahead = head + inner.read(LOOK_AHEAD)
    if len(ahead) < len(head) + LOOK_AHEAD:  # it ended within: small, read here
        yield from iter_snapshot(io.BytesIO(ahead), categories, source="stdin", progress=progress)
        return
    ahead += inner.read(len(inner.peek(1)))  # what its buffer holds: the child reads on from where the descriptor is
    here = lambda: iter_snapshot(io.BufferedReader(_Joined(ahead, inner), 1 << 20), categories,  # noqa: E731
                                 source="stdin", progress=progress)
    read_end, write_end = os.pipe()
    try:
        child = _start(STDIN, categories, (fd, read_end))
    finally:
        os.close(read_end)
    if child is None:
        os.close(write_end)
        yield from here()
        return
    try:
        with open(write_end, "wb") as pipe:
            pipe.write(ahead)  # the child reads all of it before it writes anything
    except OSError:  # it ended without taking it: it has read nothing of standard input
        pass
    yield from _from_child(child, here, progress)


def main(args: list[str]) -> None:
    """The child's entry: ``PATH CATEGORIES [AHEAD_FD]`` (categories comma-separated, may be
    empty; AHEAD_FD when PATH is ``-``, standard input)."""
    produce(args[0], {c for c in args[1].split(",") if c} or None, sys.stdout.buffer,
            int(args[2]) if len(args) > 2 else None)
