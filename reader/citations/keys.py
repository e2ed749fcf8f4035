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
    if paper.authors:
        family = key_word(parse_name(paper.authors[0]).full_family) or "anon"
        return f"{family}{paper.year or 'nd'}{words[0]}"
    return "".join(words[:2]) + (paper.year or "nd")


def assign_key(paper: Paper, taken: set[str]) -> str:
    """A key for ``paper`` not in ``taken`` (suffix a, b, ..., aa, ab ...)."""
    base = base_key(paper)
    if base not in taken:
        return base
    for suffix in _suffixes():
        if base + suffix not in taken:
            return base + suffix
    raise AssertionError("unreachable")


def _suffixes():
    letters = string.ascii_lowercase
    yield from letters
    for a in letters:
        for b in letters:
            yield a + b
    n = 0
    while True:
        n += 1
        yield f"x{n}"
