"""Reading an input file into text, or saying clearly why it cannot be read."""

from __future__ import annotations

from pathlib import Path

MAX_BYTES = 512 * 1024 * 1024


class InputError(Exception):
    """A file the user asked to import cannot be used. ``str()`` is the one-line message."""

    def __init__(self, path: str | Path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


# Bytes undefined in CP1252: their presence means the file is not CP1252 text.
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def decode_bytes(data: bytes, path: str | Path = "<input>") -> str:
    if not data.strip():
        raise InputError(path, "file is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(path, "broken UTF-16 text") from exc
    sample = data[:65536]
    if b"\x00" in sample:
        raise InputError(path, "looks like a binary file (contains NUL bytes), not text")
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if controls > len(sample) * 0.05:
        raise InputError(path, "looks like a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        high = [b for b in data if b >= 0x80]
        # Plainly Latin-1/CP1252: no undefined bytes and accented letters are a
        # small share of the text (binary junk is dense in high bytes).
        if not any(b in _CP1252_UNDEFINED for b in high) and len(high) <= len(data) * 0.3:
            return data.decode("cp1252")
        raise InputError(
            path, f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from exc


def read_text(path: Path) -> str:
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, "is a directory, not a file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(path, f"file too large ({size // 2**20} MiB; limit 512 MiB)")
        data = path.read_bytes()
    except PermissionError as exc:
        raise InputError(path, "permission denied") from exc
    except OSError as exc:
        raise InputError(path, exc.strerror or str(exc)) from exc
    return decode_bytes(data, path)
