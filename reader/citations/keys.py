"""Citation keys: ``vaswani2017attention``, unique in the library, pinned once used.

Like arXiv's and Better BibTeX's default: first author's family name, year,
first non-stopword of the title, lowercase ASCII. With no authors: the first
two title words and ``nd``. A key, once copied or exported, is stored in the
state and never changes again, even when metadata improves.
"""

from __future__ import annotations

import re
import string

from reader.citations.names import key_word, parse_name
from reader.model import Paper

STOPWORDS = {
    "a", "an", "the", "on", "of", "in", "for", "to", "and", "or", "with", "by", "via", "from",
    "at", "as", "is", "are", "be", "do", "does", "how", "what", "why", "when", "which", "who",
    "towards", "toward", "into", "through", "we", "our", "can", "its", "it", "this", "that",
    "not", "no", "more", "all", "than", "using", "about", "between",
}
_TEX = re.compile(r"\\[a-zA-Z]+|[${}]")


def title_words(title: str) -> list[str]:
    words = [key_word(w) for w in _TEX.sub(" ", title).replace("-", " ").split()]
    return [w for w in words if w and w not in STOPWORDS]


def base_key(paper: Paper) -> str:
    words = title_words(paper.title) or ["paper"]
    first = paper.authors or paper.editors  # an edited book goes under its first editor
    if first:
        family = key_word(parse_name(first[0]).full_family) or "anon"
        return f"{family}{paper.year or 'nd'}{words[0]}"
    return "".join(words[:2]) + (paper.year or "nd")


class KeyAllocator:
    """Keys for papers, none in ``taken`` nor given twice (base, then suffix a, b, ...,
    aa, ab ...). Each base remembers the first suffix it has not tried, so a library
    where thousands of papers share a base (``wang2023large``) costs one step a paper,
    not one a paper per paper before it."""

    def __init__(self, taken: set[str]):
        self.taken = taken  # grows with every key given
        self._next: dict[str, int] = {}

    def assign(self, paper: Paper) -> str:
        base = base_key(paper)
        key = base
        if key in self.taken:
            i = self._next.get(base, 0)
            while (key := base + _suffix(i)) in self.taken:
                i += 1
            self._next[base] = i + 1
        self.taken.add(key)
        return key


_LETTERS = string.ascii_lowercase


def _suffix(i: int) -> str:
    """a..z, then aa..zz, then x1, x2, ..."""
    if i < 26:
        return _LETTERS[i]
    i -= 26
    if i < 26 * 26:
        return _LETTERS[i // 26] + _LETTERS[i % 26]
    return f"x{i - 26 * 26 + 1}"
