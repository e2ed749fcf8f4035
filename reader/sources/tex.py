"""TeX in bibliography fields decoded to Unicode: accents (``{\\"o}``, ``\\'e``,
``\\c{c}``), special letters (``\\ss``, ``\\o``), escaped specials, dashes, quotes and
grouping braces. Math (``$...$``) is kept as written. Linear time, no nesting limits."""

from __future__ import annotations

import re
import unicodedata

_COMBINING = {
    "`": "\u0300", "'": "\u0301", "^": "\u0302", "~": "\u0303", '"': "\u0308", "=": "\u0304",
    ".": "\u0307", "r": "\u030a", "H": "\u030b", "v": "\u030c", "u": "\u0306", "c": "\u0327",
    "k": "\u0328", "b": "\u0331", "d": "\u0323",
}
_LETTERS = {
    "ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å",
    "AA": "Å", "l": "ł", "L": "Ł", "i": "i", "j": "j",
}
_WORDS = {
    "textendash": "–", "textemdash": "—", "textquoteright": "’", "textquoteleft": "‘",
    "textquotedblleft": "“", "textquotedblright": "”", "ldots": "…", "dots": "…", "textellipsis": "…",
    "S": "§", "P": "¶", "copyright": "©", "textregistered": "®", "texttrademark": "™", "LaTeX": "LaTeX",
    "TeX": "TeX", "textasciitilde": "~", "textasciicircum": "^", "textbackslash": "\\", "&": "&",
    "textbraceleft": "{", "textbraceright": "}",
}
# what a command spells that the later steps would take for TeX (a tie, a group): held
# in private-use characters until the end (what reader's own BibTeX writes comes back)
_HELD = str.maketrans({"{": "\ue000", "}": "\ue001", "~": "\ue002"})
_FREED = str.maketrans({"\ue000": "{", "\ue001": "}", "\ue002": "~"})
_X = r"(\\[ij](?![a-zA-Z])|[A-Za-z])"
_ACCENT = re.compile(
    r"\\([`'^\"~=.])\s*(?:\{\s*" + _X + r"\s*\}|" + _X + r")"
    r"|\\([uvHckrbd])(?:\s*\{\s*" + _X + r"\s*\}|\s+" + _X + r")"
)
_LETTER = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i|j)(?![a-zA-Z])\s?")
_WORD = re.compile(r"\\([a-zA-Z]+)(?![a-zA-Z])\s?(?:\{\})?")
_STYLE = re.compile(r"\\(?:emph|textbf|textit|textsc|texttt|textrm|textsf|textup|textnormal|textsubscript|textsuperscript|mbox|text|url|href\{[^{}]*\})\s*(?=\{)")
_SPECIAL = re.compile(r"\\([&%$#_{}\\ ,;])")
_MATH = re.compile(r"((?<!\\)\$[^$]*(?<!\\)\$)")


def _accent(m: re.Match) -> str:
    cmd = m.group(1) or m.group(4)
    base = next(g for g in (m.group(2), m.group(3), m.group(5), m.group(6)) if g)
    base = base[1] if base.startswith("\\") else base
    return unicodedata.normalize("NFC", base + _COMBINING[cmd])


def _special(m: re.Match) -> str:
    """An escaped special: itself (an escaped brace held past the brace stripping), a space
    for TeX's spacing commands."""
    ch = m.group(1)
    if ch in "{}":
        return ch.translate(_HELD)
    return " " if ch in "\\ ,;" else "\x00" + ch


def _plain(text: str) -> str:
    if "\\" in text:
        text = _STYLE.sub("", text)
        text = _ACCENT.sub(_accent, text)
        text = _LETTER.sub(lambda m: _LETTERS[m.group(1)], text)
        text = _SPECIAL.sub(_special, text)
        text = _WORD.sub(lambda m: _WORDS[m.group(1)].translate(_HELD) if m.group(1) in _WORDS else m.group(0), text)
    text = text.replace("---", "—").replace("--", "–").replace("``", "“").replace("''", "”").replace("~", " ")
    text = text.replace("{", "").replace("}", "")
    return text.replace("\x00", "").translate(_FREED)  # escaped specials survive brace stripping


def decode_tex(text: str) -> str:
    """``G{\\"o}del's {BERT} -- $O(n)$`` -> ``Gödel's BERT – $O(n)$``."""
    if not text or ("\\" not in text and "{" not in text and "-" not in text and "~" not in text and "`" not in text and "'" not in text):
        return text
    parts = _MATH.split(text)
    return "".join(p if i % 2 else _plain(p) for i, p in enumerate(parts))
