"""Author names: parsing the library's name convention, and ASCII folding.

The convention (see :class:`reader.model.Paper`), as BibTeX and citeproc-js read names:

- plain "Given Family": ``Ashish Vaswani``, ``Ulrike von Luxburg`` (lowercase words
  before the family name are its particle), ``Guy L. Steele Jr.`` (a trailing Jr./Sr./II/III/IV
  is a suffix);
- BibTeX's comma form, which keeps every part: ``van der Waals, Johannes``,
  ``Steele, Jr., Guy L.``; lowercase words that end the given part are a *dropping*
  particle (``Beethoven, Ludwig van``: "Ludwig van Beethoven", sorted under B);
- braces for a name that must never be split: ``{World Health Organization}``;
- a last ``others`` (:data:`OTHERS`) is BibTeX's "and others": more authors than the list
  names (Google Scholar ends long lists with it). It is no person: the citation formats
  write it as their form of "et al." (BibTeX ``and others``, CSL-JSON ``{"literal": "others"}``).

:func:`format_name` writes a :class:`Name` back in that convention, so a CSL-JSON name
(family, given, suffix, particles, literal) survives the trip through the model.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v"}
OTHERS = "others"  # the last name of a list that names only some of the authors (BibTeX's "and others")
# what other tools write for it: BibTeX's word (braced too), CSL's et-al term
_OTHERS_FORMS = frozenset({"others", "{others}", "et al.", "et al", "et. al.", "{et al.}", "{et al}", "et alii"})
_INITIALS = re.compile(r"^(?:\w\.)+\w?\.?$")


@dataclass(frozen=True)
class Name:
    family: str
    given: str = ""
    literal: bool = False  # an organisation or a name never split: printed as written
    suffix: str = ""  # "Jr.", "III"
    particle: str = ""  # non-dropping particle, part of the family name: "van der" (Waals)
    dropping: str = ""  # dropping particle, follows the given name: (Ludwig) "van"

    @property
    def full_family(self) -> str:
        """The family name with its non-dropping particle: "van der Waals"."""
        return f"{self.particle} {self.family}".strip()

    @property
    def spaced_given(self) -> str:
        """Given names with initials spaced the way citeproc-js prints them: "J. R. R."."""
        return " ".join(_space_initials(w) for w in self.given.split())

    def initials(self) -> str:
        """``"Ashish Kumar"`` -> ``"A. K."``; ``"Jean-Paul"`` -> ``"J.-P."``; ``"J.R.R."`` -> ``"J. R. R."``."""
        out = []
        for word in self.spaced_given.split():
            pieces = [p for p in word.split("-") if p]
            inits = [p[0].upper() + "." for p in pieces if p[0].isalpha()]
            if inits:
                out.append("-".join(inits) if word[0].isupper() and "-" in word else "".join(inits))
        return " ".join(out)

    def given_family(self) -> str:
        """Display order: "Johannes van der Waals", "Guy L. Steele Jr."."""
        if self.literal:
            return self.family
        parts = [self.spaced_given, self.dropping, self.full_family, self.suffix]
        return " ".join(p for p in parts if p)

    def family_given(self) -> str:
        """Sort order as the styles print it: "van der Waals, Johannes", "Steele, Guy L., Jr."."""
        if self.literal or not (self.given or self.dropping):
            return " ".join(p for p in [self.full_family, self.suffix] if p)
        given = " ".join(p for p in [self.spaced_given, self.dropping] if p)
        out = f"{self.full_family}, {given}"
        return f"{out}, {self.suffix}" if self.suffix else out

    def bibtex(self) -> str:
        """BibTeX's form: "van der Waals, Johannes", "Steele, Jr., Guy L.", "Beethoven, Ludwig van"."""
        if self.literal:
            return "{" + self.family + "}"
        given = " ".join(p for p in [self.given, self.dropping] if p)
        if self.suffix:
            return f"{self.full_family}, {self.suffix}, {given}"
        if given:
            return f"{self.full_family}, {given}"
        return f"{self.full_family}," if " " in self.full_family else self.full_family  # "van Gogh,"

    def csl(self) -> dict:
        if self.literal:
            return {"literal": self.family}
        out = {"family": self.family}
        if self.given:
            out["given"] = self.given
        if self.particle:
            out["non-dropping-particle"] = self.particle
        if self.dropping:
            out["dropping-particle"] = self.dropping
        if self.suffix:
            out["suffix"] = self.suffix
        return out


ET_AL = Name(OTHERS, literal=True)  # the marker among parsed names


def is_others(raw: str) -> bool:
    """``raw`` (a name as a source wrote it) says "and others", not a person."""
    return " ".join(raw.split()).lower() in _OTHERS_FORMS


def mark_others(names: list[str], more: bool) -> list[str]:
    """``names`` (the library's form) followed by the marker :data:`OTHERS` when the source
    said "and others" after them (never alone: "others" by itself names no one)."""
    return [*names, OTHERS] if more and names else names


def split_others(names: list[Name]) -> tuple[list[Name], bool]:
    """(the named people, whether the list ends with "and others")."""
    if len(names) > 1 and names[-1] == ET_AL:
        return names[:-1], True
    return names, False


def _space_initials(word: str) -> str:
    if _INITIALS.match(word) and word.count(".") > 1:
        return " ".join(p + "." for p in word.rstrip(".").split("."))
    return word


def _split_top(text: str, sep: str) -> list[str]:
    """Split on ``sep`` outside braces."""
    out, depth, cur = [], 0, []
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        if ch == sep and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def _is_lower(word: str) -> bool:
    return word[:1].islower()


def _unbrace(text: str) -> str:
    return text.replace("{", "").replace("}", "")


def _family_parts(words: list[str]) -> tuple[str, str]:
    """("van der", "Waals") from ["van", "der", "Waals"]: leading lowercase words, never the last."""
    i = 0
    while i < len(words) - 1 and _is_lower(words[i]):
        i += 1
    return " ".join(words[:i]), " ".join(words[i:])


def _one_group(raw: str) -> bool:
    """``raw`` is one brace group, whole: its first brace closes at its end."""
    if not (raw.startswith("{") and raw.endswith("}")):
        return False
    depth = 0
    for i, ch in enumerate(raw):
        depth += (ch == "{") - (ch == "}")
        if depth == 0:
            return i == len(raw) - 1
    return False


def parse_name(raw: str) -> Name:
    raw = " ".join(raw.split())
    if not raw:
        return Name("")
    if _one_group(raw):  # "{World Health Organization}"; "{ACME & Sons {Ltd}}" (a CSL literal with braces)
        return Name(" ".join(_unbrace(raw[1:-1]).split()), literal=True)
    parts = [p.strip() for p in _split_top(raw, ",")]
    if len(parts) == 2 and parts[1].lower() in SUFFIXES and " " in parts[0]:
        plain = parse_name(parts[0])  # "Martin Luther King, Jr."
        return Name(plain.family, plain.given, suffix=parts[1], particle=plain.particle)
    if len(parts) >= 2:
        family_words = _unbrace(parts[0]).split()
        suffix = parts[1] if len(parts) >= 3 else ""
        given_words = _unbrace(", ".join(parts[2:] if len(parts) >= 3 else parts[1:])).split()
        j = len(given_words)
        while j > 1 and _is_lower(given_words[j - 1]):
            j -= 1
        particle, family = _family_parts(family_words)
        return Name(family, " ".join(given_words[:j]), suffix=suffix, particle=particle,
                    dropping=" ".join(given_words[j:]))
    words = _unbrace(raw).split()
    suffix = ""
    if len(words) > 2 and words[-1].lower() in SUFFIXES:
        suffix = words.pop()
    if len(words) == 1:
        return Name(words[0], suffix=suffix)
    # BibTeX's "First von Last": the first lowercase word (not the last word) starts "von"
    i = next((k for k in range(len(words) - 1) if _is_lower(words[k])), len(words) - 1)
    given = " ".join(words[:i])
    particle, family = _family_parts(words[i:])
    return Name(family, given, suffix=suffix, particle=particle)


def format_name(name: Name) -> str:
    """The library's convention for ``name`` (the inverse of :func:`parse_name`)."""
    if name.literal:
        return "{" + name.family + "}"
    if not name.given and not name.dropping and not name.particle and not name.suffix and " " not in name.family:
        return name.family
    plain = f"{name.given} {name.family}"
    if (name.given and not name.particle and not name.dropping and not name.suffix and " " not in name.family
            and (reads_back_plainly(name.given, name.family) or parse_name(plain) == Name(name.family, name.given))):
        return plain
    return name.bibtex()


def reads_back_plainly(given: str, family: str) -> bool:
    """"Given Family" certainly parses back to these parts: capitalised given words, one
    family word, nothing BibTeX reads as a separator, particle or suffix. Decided without
    parsing (the arXiv snapshot formats millions of names; parsing each back took the
    time of reading the rest of its paper)."""
    return (bool(family) and " " not in family and given == " ".join(given.split()) and not _is_lower(family)
            and family.lower() not in SUFFIXES and not any(c in given or c in family for c in ",{}")
            and not any(_is_lower(w) for w in given.split()))


def ascii_fold(text: str) -> str:
    special = {"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L", "đ": "d", "þ": "th", "ı": "i"}
    text = "".join(special.get(c, c) for c in text)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def key_word(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", ascii_fold(text).lower())
