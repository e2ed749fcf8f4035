"""Making text safe inside a BibTeX field value.

TeX that is already there (``$\\infty$``, ``\\emph{x}``) is kept as TeX; plain
text gets its specials escaped; accented Latin letters become TeX accents (so
the .bib compiles with classic BibTeX too); acronyms are protected with braces.
"""

from __future__ import annotations

import re
import unicodedata

from reader.text import clean

_ACCENTS = {
    "\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0308": '"', "\u0304": "=",
    "\u0307": ".", "\u030a": "r", "\u030b": "H", "\u030c": "v", "\u0306": "u", "\u0327": "c",
    "\u0328": "k",
}
_LETTERS = {
    "ß": r"{\ss}", "ø": r"{\o}", "Ø": r"{\O}", "æ": r"{\ae}", "Æ": r"{\AE}", "œ": r"{\oe}",
    "Œ": r"{\OE}", "å": r"{\aa}", "Å": r"{\AA}", "ł": r"{\l}", "Ł": r"{\L}", "ı": r"{\i}",
}
_SIMPLE = {"&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}

# $...$ math, or a TeX command with optional braced argument
_TEX_SPAN = re.compile(r"\$[^$]+\$|\\[a-zA-Z]+\*?(?:\{[^{}]*\})?|\\[^a-zA-Z\s]")


def _accent(ch: str) -> str:
    if ch in _LETTERS:
        return _LETTERS[ch]
    decomposed = unicodedata.normalize("NFD", ch)
    if len(decomposed) == 2 and decomposed[1] in _ACCENTS:
        base, mark = decomposed
        cmd = _ACCENTS[mark]
        if base == "i":
            base = r"\i"
        sep = " " if cmd.isalpha() else ""
        return "{\\" + cmd + sep + base + "}"
    return ch


def _braces_balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _escape_plain(text: str, keep_braces: bool) -> str:
    out = []
    for ch in text:
        if ch in _SIMPLE:
            out.append(_SIMPLE[ch])
        elif ch == "\\":
            out.append(r"\textbackslash{}")
        elif ch == "$":
            out.append(r"\$")
        elif ch in "{}" and not keep_braces:
            out.append("\\" + ch)
        elif ord(ch) > 127:
            out.append(_accent(ch))
        else:
            out.append(ch)
    return "".join(out)


def escape_bibtex(text: str, protect_acronyms: bool = False) -> str:
    text = clean(text)
    keep_braces = _braces_balanced(text)
    out = []
    pos = 0
    for m in _TEX_SPAN.finditer(text):
        out.append(_escape_plain(text[pos : m.start()], keep_braces))
        out.append(m.group(0))
        pos = m.end()
    out.append(_escape_plain(text[pos:], keep_braces))
    result = "".join(out)
    if protect_acronyms:
        result = _protect(result)
    if not _braces_balanced(result):  # never emit a field that breaks the .bib
        result = result.replace("{", "").replace("}", "")
    return result


_WORD = re.compile(r"(?<![\\{\w$])([A-Za-z][\w\-]*[A-Z][\w\-]*|[A-Z][A-Z0-9]+\w*)")


def _protect(text: str) -> str:
    """Wrap words with capitals beyond the first letter in braces: {LLM}, {CodeGen2}."""
    out = []
    pos = 0
    for m in _TEX_SPAN.finditer(text):
        out.append(_WORD.sub(r"{\1}", text[pos : m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(_WORD.sub(r"{\1}", text[pos:]))
    return "".join(out)
