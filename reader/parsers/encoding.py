"""Which encoding a text file is in, from its first bytes, and its line ends made one.

A BOM says it (UTF-8, UTF-16, UTF-32). Without one, NUL bytes in a text file mean UTF-16
or UTF-32 (Windows tools, EndNote and Zotero exports write UTF-16 without a BOM): the
first KiB is decoded as each of them, and one is taken only when it reads as text, most
of it letters of the Latin-1 range, as a bibliography, a page or an id list is (read
with the other byte order, the same bytes are CJK; read as UTF-16, UTF-32 has NULs).
UTF-8 and Latin-1 files have no NUL byte, so they are never taken for UTF-16."""

from __future__ import annotations

import codecs
import re

_BOMS = (  # longest first: UTF-32 LE's BOM starts with UTF-16 LE's
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDE = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
SAMPLE = 1024  # bytes looked at for UTF-16/32 without a BOM
LATIN_SHARE = 0.3  # of the characters, at least, in U+0001-U+00FF (not control characters)
_NEWLINE = re.compile(r"\r\n?")


def encoding_of(head: bytes) -> str:
    """The codec to read a file starting with ``head`` with: by its BOM, UTF-16/32 without
    one (see the module), else "utf-8" (which may yet turn out to be CP1252)."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if b"\x00" in head[:SAMPLE]:
        return _wide(head[:SAMPLE]) or "utf-8"
    return "utf-8"


def _wide(sample: bytes) -> str:
    best, most = "", 0
    for name in _WIDE:
        try:
            text = codecs.getincrementaldecoder(name)("strict").decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        if not text or "\x00" in text or sum(ch < " " and ch not in "\t\n\r\f" for ch in text) > len(text) * 0.02:
            continue
        latin = sum(" " <= ch <= "\xff" and not "\x7f" <= ch <= "\x9f" for ch in text)
        if latin >= LATIN_SHARE * len(text) and latin > most:
            best, most = name, latin
    return best


def head_text(head: bytes) -> str:
    """The first bytes of a file as text, to recognise its format (a character cut at
    their end is left out)."""
    return codecs.getincrementaldecoder(encoding_of(head))("replace").decode(head, final=False)


def newlines(text: str) -> str:
    """``text`` with its line ends, CR LF or CR alone (old Mac files), as LF."""
    return _NEWLINE.sub("\n", text) if "\r" in text else text
