"""Making text safe inside a BibTeX field value.

TeX that is already there (``$\\infty$``, ``\\emph{x}``) is kept as TeX; plain
text gets its specials escaped; accented Latin letters become TeX accents (so
the .bib compiles with classic BibTeX too); acronyms are protected with braces.
"""

from __future__ import annotations

import re
import unicodedata

from reader.text import MATH_WORDS, clean

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
        elif ch in "{}" and not keep_braces:  # BibTeX counts even escaped braces
            out.append(r"\textbraceleft{}" if ch == "{" else r"\textbraceright{}")
        elif ord(ch) > 127:
            out.append(_accent(ch))
        else:
            out.append(ch)
    return "".join(out)


_LIGATURE = re.compile(r"([-`'])(?=\1)")


def escape_bibtex(text: str, protect_acronyms: bool = False, literal: bool = False) -> str:
    """``text`` as a BibTeX field value. Balanced braces are TeX grouping (a title's ``{LLM}``)
    unless ``literal`` (the user's note: every character is itself, TeX's specials escaped)."""
    text = clean(text)
    if literal:  # "--" and "``" would read back as TeX's dash and quote: an empty group between
        result = _LIGATURE.sub(lambda m: m.group(1) + "{}", _escape_plain(text, keep_braces=False))
        return _protect(result) if protect_acronyms else result
    keep_braces = _braces_balanced(text)
    out = []
    pos = 0
    for m in _TEX_SPAN.finditer(text):
        if m.group(0).startswith("$") and not _is_math(m.group(0)[1:-1]):
            continue
        if _math_only(m.group(0)):  # \backslash in a plain title: text (LaTeX stops on it outside math)
            continue
        out.append(_escape_plain(text[pos : m.start()], keep_braces))
        out.append(m.group(0))
        pos = m.end()
    out.append(_escape_plain(text[pos:], keep_braces))
    result = "".join(out)
    if protect_acronyms:
        result = _protect(result)
    if not _braces_balanced(result):  # never a field that breaks the .bib: then every character is itself
        return escape_bibtex(text, protect_acronyms, literal=True)
    return result


_MATH_SPAN = re.compile(r"((?<!\\)\$[^$]*(?<!\\)\$)")  # as reader.sources.tex reads math
_BARE_SPECIAL = re.compile(r"(?<!\\)[&%#_]")


def tex_field(tex: str) -> str:
    """A title that is TeX already (a BibTeX file's own, its case-protecting braces kept) as
    a field value: outside math, a bare ``&%#_`` escaped (LaTeX would stop on it) and
    letters beyond ASCII as TeX accents, as :func:`escape_bibtex` writes them; acronyms
    protected. "" when its braces do not balance (BibTeX counts even escaped ones)."""
    parts = _MATH_SPAN.split(clean(tex))
    for i in range(0, len(parts), 2):
        text = _BARE_SPECIAL.sub(lambda m: "\\" + m.group(0), parts[i])
        parts[i] = "".join(_accent(ch) if ord(ch) > 127 else ch for ch in text)
    result = _protect("".join(parts))
    return result if _braces_balanced(result) else ""


_EDGE = re.compile(r"^([(\[\"'`-]*)(.*?)([)\]\"'.,:;!?-]*)$")
_ESCAPED = re.compile(r"\\[#&_%]")


def _needs_protection(core: str) -> bool:
    """Capitals a lowercasing style must keep: LLM, CodeGen2, a single N or I, 100B, C#."""
    plain = _ESCAPED.sub(lambda m: m.group(0)[1], core)
    if not plain or any(c in plain for c in "\\{}$"):
        return False  # TeX, or already braced: leave it as written
    if "#" in plain and any(c.isalnum() for c in plain):
        return True
    if plain[0].isdigit() and any(c.isalpha() for c in plain):
        return True
    if len(plain) == 1:
        return plain.isupper() and plain != "A"
    return any(c.isupper() for c in plain[1:])


def _protect(text: str) -> str:
    """Wrap words whose capitals must survive a lowercasing style in braces: {LLM}, {N}, {C\\#}.
    Math is left as written (a brace in it would be read back as part of it)."""
    def one(m: re.Match) -> str:
        lead, core, trail = _EDGE.match(m.group(0)).groups()
        return f"{lead}{{{core}}}{trail}" if _needs_protection(core) else m.group(0)

    parts = _MATH_SPAN.split(text)
    # a word is cut at square brackets and slashes: "[b]Bold[/b]" is three ("[{b]Bold[/b}]" was one)
    return "".join(p if i % 2 else re.sub(r"[^\s\[\]/]+", one, p) for i, p in enumerate(parts))


# -- TeX to Unicode, for the human-readable styles and CSL-JSON -----------------------

_SYMBOLS = {
    "infty": "∞", "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε",
    "varepsilon": "ε", "zeta": "ζ", "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ",
    "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ",
    "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ", "Phi": "Φ",
    "Psi": "Ψ", "Omega": "Ω", "times": "×", "cdot": "·", "pm": "±", "leq": "≤", "le": "≤",
    "geq": "≥", "ge": "≥", "neq": "≠", "approx": "≈", "sim": "∼", "to": "→", "rightarrow": "→",
    "leftarrow": "←", "in": "∈", "partial": "∂", "nabla": "∇", "sum": "∑", "ell": "ℓ",
    "ldots": "…", "dots": "…", "circ": "∘", "star": "⋆", "ast": "∗", "mid": "|",
    "ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å",
    "AA": "Å", "l": "ł", "L": "Ł", "i": "ı", "textendash": "–", "textemdash": "—",
    "textbraceleft": "{", "textbraceright": "}",
    "textasciitilde": "~", "textasciicircum": "^", "textbackslash": "\\",
}
# the commands of _SYMBOLS that work outside math too; the rest (and \backslash, \mathcal, ...) do not
_TEXT_SAFE = frozenset({"ss", "o", "O", "ae", "AE", "oe", "OE", "aa", "AA", "l", "L", "i", "ldots", "dots",
                        "textendash", "textemdash", "textbraceleft", "textbraceright", "textasciitilde",
                        "textasciicircum", "textbackslash"})
_MATH_ONLY = (frozenset(_SYMBOLS) - _TEXT_SAFE) | MATH_WORDS | {
    "backslash", "mathcal", "mathrm", "mathbf", "mathit", "mathbb", "mathsf", "mathtt", "operatorname",
    "boldsymbol", "frac", "sqrt", "hat", "widehat", "bar", "overline", "tilde", "widetilde", "vec", "ddot",
    "forall", "exists", "cup", "cap", "subset", "subseteq", "propto", "mapsto", "cdots"} - _TEXT_SAFE


def _math_only(span: str) -> bool:
    """A TeX command that works only in math mode (``\\backslash``, ``\\alpha``): outside
    ``$...$`` it is text that looks like TeX (a CSL-JSON or RIS title's), not TeX."""
    m = re.match(r"\\([a-zA-Z]+)", span)
    return bool(m) and m.group(1) in _MATH_ONLY


_SUPER = str.maketrans("0123456789+-n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ⁿ")
_SUB = str.maketrans("0123456789+-", "₀₁₂₃₄₅₆₇₈₉₊₋")
_MARKS = {v: k for k, v in _ACCENTS.items()}
_MATH = re.compile(r"(?<!\\)\$([^$\s](?:[^$]*?[^$\s\\])?)\$")
_ACCENT_CMD = re.compile(r"\\([`'^\"~=.]|[cvuHkr](?![a-zA-Z]))\s*(?:\{\s*(\\?[a-zA-Z])\s*\}|(\\?[a-zA-Z]))")
_STYLE_CMD = re.compile(r"\\(?:emph|textit|textbf|texttt|textsc|textrm|textsf|text|mathrm|mathbf|mathit|mathcal|mathbb|mathsf|mathtt|operatorname|boldsymbol|mbox)\s*\{([^{}]*)\}")
_SCRIPT = re.compile(r"([\^_])(?:\{([^{}]*)\}|(\w))")


def _script(m: re.Match) -> str:
    """x^2 -> x², x_1 -> x₁; what has no such character keeps its mark, and a group its
    parentheses: e^{i\\pi} -> e^(iπ), Softmax_\\tau -> Softmax_τ (Greek letters were taken
    for mapped characters: Softmaxτ)."""
    body = m.group(2) if m.group(2) is not None else m.group(3)
    table = _SUPER if m.group(1) == "^" else _SUB
    if body and all(ord(c) in table for c in body):
        return body.translate(table)
    return m.group(1) + (f"({body})" if len(body) > 1 else body)


def _is_math(body: str) -> bool:
    """``$\\infty$``, ``$x^2$``, ``$n$`` are math; "$5 and $10" is not."""
    body = body.strip()
    return bool(body) and ("\\" in body or "^" in body or "_" in body or len(body) <= 3)


_MATH_ACCENT = re.compile(r"\\(hat|widehat|bar|overline|tilde|widetilde|dot|ddot|vec|check|breve|acute|grave)\s*(?:\{(\\[a-zA-Z]+|\w)\}|(\w))")
_MATH_MARKS = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0305", "tilde": "\u0303",
               "widetilde": "\u0303", "dot": "\u0307", "ddot": "\u0308", "vec": "\u20d7", "check": "\u030c",
               "breve": "\u0306", "acute": "\u0301", "grave": "\u0300"}


def _math_accent(m: re.Match) -> str:
    """``\\hat{y}`` -> ŷ (it was \\haty: a command no one knows, which matching then dropped)."""
    base = m.group(2) or m.group(3)
    if base.startswith("\\"):
        base = _SYMBOLS.get(base[1:], base[1:])
    return unicodedata.normalize("NFC", base + _MATH_MARKS[m.group(1)])


_SQRT = re.compile(r"\\sqrt\s*\{([^{}]*)\}")


def _math_symbol(c: re.Match) -> str:
    """A math command: its symbol (\\infty -> ∞), an operator's name followed by a space
    (\\log n -> log n), else as written."""
    name = c.group(1)
    if name in MATH_WORDS:
        return name + " "
    return _SYMBOLS[name] + c.group(2) if name in _SYMBOLS else c.group(0)


def _math(m: re.Match) -> str:
    body = m.group(1)
    if not _is_math(body):
        return m.group(0)
    body = _STYLE_CMD.sub(r"\1", body)
    body = _MATH_ACCENT.sub(_math_accent, body)
    body = _SQRT.sub(lambda r: "√" + (r.group(1) if len(r.group(1)) == 1 else f"({r.group(1)})"), body)
    body = re.sub(r"\\([a-zA-Z]+)(\s?)", _math_symbol, body)
    body = _SCRIPT.sub(_script, body)
    return body


def _accented(m: re.Match) -> str:
    cmd = m.group(1)
    base = m.group(2) or m.group(3)
    base = {"\\i": "i", "\\j": "j"}.get(base, base)
    mark = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
            "=": "\u0304", ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306",
            "H": "\u030b", "k": "\u0328", "r": "\u030a"}[cmd]
    return unicodedata.normalize("NFC", base + mark)


_HELD = str.maketrans({"{": "\ue000", "}": "\ue001"})  # a literal brace, past the dropping of groups
_FREED = str.maketrans({"\ue000": "{", "\ue001": "}"})


def tex_to_unicode(text: str, literal_braces: bool = False) -> str:
    """Simple TeX as Unicode: ``$\\infty$`` -> ∞, ``\\emph{x}`` -> x, ``{\\"u}`` -> ü, ``\\&`` -> &,
    ``\\{`` -> {. Braces that only group or protect case are dropped (when they balance),
    unless ``literal_braces`` (a title whose braces are characters: see Paper.title_tex)."""
    if not any(c in text for c in "\\${}"):
        return text
    text = re.sub(r"\\([{}])|\\text(brace(?:left|right))\b(?:\{\})?",
                  lambda m: (m.group(1) or _SYMBOLS["text" + str(m.group(2))]).translate(_HELD), text)
    text = _MATH.sub(_math, text)
    for _ in range(3):  # nested \emph{\textbf{x}}
        text = _STYLE_CMD.sub(r"\1", text)
    text = _ACCENT_CMD.sub(_accented, text)
    text = re.sub(r"\\([&%#_$])", r"\1", text)
    text = re.sub(r"\\([a-zA-Z]+)(?:\{\})?",
                  lambda c: _SYMBOLS.get(c.group(1), c.group(0)), text)
    if not literal_braces and _braces_balanced(text):
        text = re.sub(r"[{}]", "", text)
    return text.translate(_FREED)
