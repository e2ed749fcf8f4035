"""Reading an input file as a stream of decoded lines, or saying clearly why it cannot be read.

Files are never read whole: :func:`with_lines` hands the parser an iterator of lines
(UTF-8, UTF-16 or UTF-32 with a BOM or without (:mod:`reader.parsers.encoding`), or
Latin-1/CP1252 when the bytes say so), so memory stays
bounded by what the parser keeps, whatever the file's size. ``-`` is standard input:
its first lines are read ahead to recognise the format (:func:`stdin_with_head`; the
arXiv snapshot is then streamed from it), otherwise it is spooled to a temporary file so
it can be re-read when the encoding turns out not to be UTF-8. A line longer than :data:`MAX_LINE` characters is refused: no copied page has one.
"""

from __future__ import annotations

import io
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, TypeVar

from reader.parsers.encoding import encoding_of

MAX_BYTES = 512 * 1024 * 1024  # page copies and id lists; a real page is well under 1 MiB
MAX_LINE = 1 << 20  # characters
STDIN = "-"
STDIN_LABEL = "<stdin>"
_SNIFF = 65536
_CHUNK = 1 << 18  # characters read at a time
T = TypeVar("T")


class InputError(Exception):
    """A file the user asked to import cannot be used. ``str()`` is the one-line message."""

    def __init__(self, path: str | Path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


# Bytes undefined in CP1252: their presence means the file is not CP1252 text.
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def decode_bytes(data: bytes, path: str | Path = "<input>") -> str:
    """Decode a whole (small) byte string with the same rules as :func:`with_lines`."""
    if not data.strip():
        raise InputError(path, "file is empty")
    return "\n".join(with_lines_from(io.BytesIO(data), path, list))


def replace_bad_utf8(data: bytes) -> tuple[bytes, str]:
    """``data`` with every sequence that is not UTF-8 replaced by U+FFFD, and a one-line warning
    naming the first bad byte ("" when there was none). For input that says it is UTF-8 (a
    feed's XML declaration): a text file says nothing, so :func:`with_lines` guesses CP1252
    instead, but guessing against a declaration garbles the text without a word."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return (data.decode("utf-8", "replace").encode("utf-8"),
                f"not valid UTF-8 at byte {exc.start} (0x{data[exc.start]:02x}); bad bytes replaced")
    return data, ""


def label(path: str | Path) -> str:
    return STDIN_LABEL if str(path) == STDIN else str(path)


def read_head(fh: BinaryIO, enough: Callable[[bytes], bool]) -> tuple[bytes, bool]:
    """The first bytes of ``fh``, read until ``enough(head)``, and whether they are all of it."""
    head = bytearray()
    while not enough(head):
        chunk = fh.read(_SNIFF)
        head += chunk
        if len(chunk) < _SNIFF:
            return bytes(head), True
    return bytes(head), False


class _Replay(io.RawIOBase):
    """``head`` again, then the rest of ``rest``."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._head[: len(buffer)]
        if data:
            self._head = self._head[len(data):]
        else:
            data = self._rest.read1(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def stdin_with_head(enough: Callable[[bytes], bool]) -> tuple[bytes, BinaryIO]:
    """Standard input's first bytes (read until ``enough(head)``, to recognise its format)
    and standard input from its start, as a binary stream. Once at its end, standard input
    is not read again (a terminal would wait for a second ctrl+d)."""
    head, whole = read_head(sys.stdin.buffer, enough)
    return head, io.BytesIO(head) if whole else io.BufferedReader(_Replay(head, sys.stdin.buffer), _SNIFF)


def with_lines(path: str | Path, consume: Callable[[Iterator[str]], T], stdin: BinaryIO | None = None) -> T:
    """Open ``path`` (``-``: standard input, read from ``stdin`` when given) and return
    ``consume(lines)``.

    ``lines`` yields decoded lines without their line ending (universal newlines). Any problem
    with the file itself is an :class:`InputError` naming it."""
    if str(path) == STDIN:
        with _spool_stdin(stdin or sys.stdin.buffer) as raw:
            return with_lines_from(raw, STDIN_LABEL, consume)
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, "is a directory, not a file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(path, f"file too large ({size // 2**20} MiB; limit {MAX_BYTES // 2**20} MiB)")
        raw = path.open("rb")
    except PermissionError as exc:
        raise InputError(path, "permission denied") from exc
    except OSError as exc:
        raise InputError(path, exc.strerror or str(exc)) from exc
    with raw:
        try:
            return with_lines_from(raw, path, consume)
        except OSError as exc:
            raise InputError(path, exc.strerror or str(exc)) from exc


def _spool_stdin(source: BinaryIO) -> BinaryIO:
    spool = tempfile.SpooledTemporaryFile(max_size=8 << 20)
    total = 0
    while chunk := source.read(1 << 20):
        total += len(chunk)
        if total > MAX_BYTES:
            spool.close()
            raise InputError(STDIN_LABEL, f"input too large (over {MAX_BYTES // 2**20} MiB)")
        spool.write(chunk)
    spool.seek(0)
    return spool


class _NotUtf8(Exception):
    def __init__(self, byte: int, offset: int):
        self.byte, self.offset = byte, offset


def with_lines_from(raw: BinaryIO, path: str | Path, consume: Callable[[Iterator[str]], T]) -> T:
    """Like :func:`with_lines` on an open, seekable binary file."""
    head = raw.read(_SNIFF)
    encoding = _sniff(head, path)
    raw.seek(0)
    try:
        return _consume(consume, _lines(raw, path, encoding))
    except _NotUtf8 as bad:
        raw.seek(0)
        return _consume(consume, _lines(raw, path, "cp1252", bad))


def _consume(consume: Callable[[Iterator[str]], T], lines: Iterator[str]) -> T:
    try:
        return consume(lines)
    finally:
        lines.close()  # a parser that stopped early: release the file's wrapper now


def _sniff(head: bytes, path) -> str:
    encoding = encoding_of(head)
    if encoding != "utf-8":
        return encoding
    if b"\x00" in head:
        raise InputError(path, "looks like a binary file (contains NUL bytes), not text")
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if controls > len(head) * 0.05:
        raise InputError(path, "looks like a binary file, not text")
    return "utf-8"


def _first_bad_utf8(raw: BinaryIO) -> tuple[int, int]:
    """(byte, offset) of the first byte that is not UTF-8."""
    import codecs

    raw.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    while chunk := raw.read(1 << 20):
        carried = len(decoder.getstate()[0])  # an incomplete sequence from the last chunk
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            data = exc.object
            return data[exc.start], offset - carried + exc.start
        offset += len(chunk)
    return 0, offset


def _lines(raw: BinaryIO, path, encoding: str, bad: _NotUtf8 | None = None) -> Iterator[str]:
    text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline=None)
    nonblank = False
    high = total = 0
    latin = encoding == "cp1252"
    carry = ""
    try:
        while chunk := text.read(_CHUNK):
            if latin:
                total += len(chunk)
                high += len(chunk) - len(chunk.encode("ascii", "ignore"))
            lines = (carry + chunk if carry else chunk).split("\n")
            carry = lines.pop()
            if len(carry) > MAX_LINE or (lines and max(map(len, lines)) > MAX_LINE):
                raise InputError(path, f"a line is over {MAX_LINE // 2**20} MiB: not a copied page or id list")
            if not nonblank:
                nonblank = any(not line.isspace() for line in lines if line) or bool(carry.strip())
            yield from lines
        if carry:
            yield carry
    except UnicodeDecodeError as exc:
        if encoding == "utf-8":
            text.detach()
            text = None
            byte, offset = _first_bad_utf8(raw)
            raise _NotUtf8(byte, offset) from exc
        if latin and bad is not None:
            raise _not_utf8(path, bad) from exc
        raise InputError(path, f"broken {encoding.upper()} text") from exc
    finally:
        if text is not None:
            text.detach()
    if not nonblank:
        raise InputError(path, "file is empty")
    if latin and bad is not None and high > total * 0.3:
        raise _not_utf8(path, bad)


def _not_utf8(path, bad: _NotUtf8) -> InputError:
    return InputError(path, f"not UTF-8 text (invalid byte 0x{bad.byte:02x} at offset {bad.offset})")
