"""Splitting author names into family and given parts, and ASCII folding."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "dos", "das", "ter", "ten", "bin", "al"}
SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


@dataclass(frozen=True)
class Name:
    family: str
    given: str = ""
    literal: bool = False  # an organisation or single name: never abbreviated

    def initials(self) -> str:
        """``"Ashish Kumar"`` -> ``"A. K."``; hyphenated given names keep the hyphen."""
        out = []
        for part in self.given.split():
            pieces = [p for p in part.split("-") if p]
            out.append("-".join(p[0].upper() + "." for p in pieces))
        return " ".join(out)

    def given_family(self) -> str:
        return f"{self.given} {self.family}".strip()

    def family_given(self) -> str:
        return f"{self.family}, {self.given}" if self.given else self.family


def parse_name(raw: str) -> Name:
    raw = " ".join(raw.split())
    if "," in raw:
        family, _, given = raw.partition(",")
        return Name(family.strip(), given.strip())
    parts = raw.split(" ")
    if len(parts) == 1:
        return Name(parts[0], "", literal=True)
    suffix = ""
    if parts[-1].lower() in SUFFIXES and len(parts) > 2:
        suffix = " " + parts.pop()
    i = len(parts) - 1
    while i > 1 and parts[i - 1].lower() in PARTICLES:
        i -= 1
    return Name(" ".join(parts[i:]) + suffix, " ".join(parts[:i]))


def ascii_fold(text: str) -> str:
    special = {"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L", "đ": "d", "þ": "th", "ı": "i"}
    text = "".join(special.get(c, c) for c in text)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def key_word(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", ascii_fold(text).lower())
