"""Cleaning untrusted text.

Paper titles and abstracts come from copied web pages and other people's files.
Anything shown in the terminal or copied to the clipboard goes through
:func:`clean` first so an embedded escape sequence can never move the cursor,
retitle the window or write to the clipboard behind the user's back.
"""

from __future__ import annotations

import re
import unicodedata

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC (ESC P/X/^/_ ... ST),
# two-character ESC sequences, and their 8-bit C1 forms.
_ESCAPES = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]            # CSI
  | (?:\x1b\]|\x9d).*?(?:\x07|\x1b\\|\x9c|$)    # OSC
  | (?:\x1b[PX^_]|[\x90\x98\x9e\x9f]).*?(?:\x1b\\|\x9c|$)  # DCS, SOS, PM, APC
  | \x1b[@-Z\\-_]?                               # other ESC sequences / lone ESC
    """,
    re.VERBOSE | re.DOTALL,
)
# C0 controls except tab and newline, DEL, C1 controls, and bidi overrides that
# can make a title render differently from what is copied.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"[ \t\u00a0]+")


def clean(text: str | None, *, keep_newlines: bool = False) -> str:
    """Remove escape sequences and control characters; normalise line endings.

    With ``keep_newlines`` false (titles, names) all whitespace runs become one space.
    """
    if not text:
        return ""
    if text.isprintable():  # fast path: no controls, escapes or line breaks at all
        if "  " not in text and text[0] != " " and text[-1] != " ":
            return text
        return _SPACES.sub(" ", text).strip()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPES.sub("", text)
    if keep_newlines:
        text = _CONTROLS.sub("", text.replace("\t", " "))
        lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
        return "\n".join(lines).strip("\n")
    text = _CONTROLS.sub(" ", text.replace("\n", " ").replace("\t", " "))
    return _SPACES.sub(" ", text).strip()


def strip_controls(text: str | None) -> str:
    """Remove escape sequences and control characters except newline and tab, and
    change nothing else: spaces, indentation and line structure stay byte for byte."""
    if not text:
        return ""
    if text.isprintable():
        return text
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


_TEX_COMMAND = re.compile(r"\\[a-zA-Z]+\*?|\\.")
_NON_WORD = re.compile(r"[^\w\s]+")
_WS = re.compile(r"\s+")
# ASCII that is neither a letter nor a digit -> space (clean() left no control characters:
# what _NON_WORD, the "_" replacement and _WS make of an ASCII title)
_ASCII_NON_WORD = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})


_MATH_SPAN = re.compile(r"(?<!\\)\$([^$\s](?:[^$]*?[^$\s\\])?)\$")  # "$5 and $10" holds none
_MATH_COMMAND = re.compile(r"\\([A-Za-z]+)")
_MATH_SCRIPT = re.compile(r"([\^_])(?:\{([^{}]*)\}|(\w))")
# what has a Unicode superscript / subscript, which NFKC reads as itself
_SCRIPTED = {"^": frozenset("0123456789+-n"), "_": frozenset("0123456789+-")}
# styles around a letter, written out as the letter: $\mathbb{R}$ as R
_MATH_STYLES = frozenset("mathrm mathbf mathit mathcal mathbb mathsf mathtt mathfrak boldsymbol operatorname text".split())


# math operators written as words (\\log n is "log n" in any rendering)
MATH_WORDS = frozenset("log ln lg exp sin cos tan sec csc cot arcsin arccos arctan sinh cosh tanh coth min max sup inf "
                       "lim liminf limsup det dim ker arg deg gcd hom Pr mod bmod pmod argmin argmax".split())


def _math_command(m: re.Match) -> str:
    """``\\alpha`` -> α, ``\\Omega`` -> Ω, ``\\varphi`` -> φ, ``\\ell`` -> l, ``\\log`` -> log, a style
    -> nothing (its argument stays); any other command -> a space, as outside math."""
    name = m.group(1)
    if name in _MATH_STYLES:
        return ""
    if name in MATH_WORDS:
        return f" {name} "
    letter = name.removeprefix("var")
    try:
        return unicodedata.lookup(f"GREEK {'CAPITAL' if letter[0].isupper() else 'SMALL'} LETTER {letter.upper()}")
    except (KeyError, IndexError):
        return "l" if name == "ell" else " "


def _math_script(s: re.Match) -> str:
    inner = s.group(2) if s.group(2) is not None else s.group(3)
    return inner if inner and set(inner) <= _SCRIPTED[s.group(1)] else s.group(0)


def _math_as_written_out(m: re.Match) -> str:
    """TeX math as the same title reads written in Unicode (another source's, or reader's
    own CSL-JSON and text exports): ``$\\alpha$`` as α, ``$x_1^2$`` as x₁² (which NFKC
    reads as x12), so that both are one paper."""
    body = _MATH_SCRIPT.sub(_math_script, _MATH_COMMAND.sub(_math_command, m.group(1)))
    return body.replace("{", "").replace("}", "")


def read_math(text: str) -> str:
    """Each TeX math span of ``text`` as :func:`_math_as_written_out` reads it."""
    return _MATH_SPAN.sub(_math_as_written_out, text) if "$" in text else text


def normalize_title(title: str) -> str:
    """The form used to recognise the same paper across sources.

    TeX math read as its Unicode form (Greek letters, digit scripts), NFKC, casefold,
    TeX commands / braces / ``$`` and punctuation stripped, whitespace collapsed.
    Hyphens and colons become spaces so "Self-Attention" and "Self Attention" match.
    """
    text = read_math(clean(title))
    if text.isascii():  # the common case, in one pass: what _normalize does to ASCII
        if "\\" in text:
            text = _TEX_COMMAND.sub(" ", text)
        return " ".join(text.translate(_ASCII_NON_WORD).lower().split())
    return _normalize(text)


def _normalize(text: str) -> str:
    """normalize_title of a cleaned text, any text."""
    text = unicodedata.normalize("NFKC", text)
    text = _TEX_COMMAND.sub(" ", text)
    text = text.replace("_", " ")
    text = _NON_WORD.sub(" ", text.casefold())
    # strip accents so "Gödel" and "Godel" (LaTeX-stripped sources) match
    if not text.isascii():
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    return _WS.sub(" ", text).strip()


def truncate(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` characters, ending with an ellipsis when cut."""
    if width <= 0:
        return ""
    if len(text) <= width:
        return text
    return text[: width - 1] + "…"


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """``1 paper``, ``14 papers``, ``2 matches``."""
    if n == 1:
        return f"1 {noun}"
    return f"{n:,} {nouns or (noun + 'es' if noun.endswith(('s', 'sh', 'ch', 'x')) else noun + 's')}"


# JSON already escapes C0 controls; these are the characters it leaves raw that a
# terminal or an editor would act on (DEL, C1 controls, bidi overrides, line separators).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]")


def json_safe(text: str) -> str:
    """A JSON text with every terminal-active character written as a ``\\uXXXX`` escape
    (the JSON value is unchanged; only its spelling is)."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
