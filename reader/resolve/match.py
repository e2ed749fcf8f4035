"""Deciding whether an API's paper is the paper the user has.

Only an exact match of normalized titles is accepted. Variants cover what APIs do
to titles: LaTeX stripped ("1920times1080" for "1920$\\times$1080"), hyphens and
colons dropped, accents folded. Anything merely similar is a near miss: reported,
never applied.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from reader.text import normalize_title

_TEX_WORD = re.compile(r"\\([a-zA-Z]+)")


def variants(title: str) -> set[str]:
    """Compact (space-free) normalized forms of a title."""
    plain = normalize_title(title)
    worded = normalize_title(_TEX_WORD.sub(r"\1", title))  # \times -> times
    return {plain.replace(" ", ""), worded.replace(" ", "")} - {""}


def same_title(a: str, b: str) -> bool:
    return bool(variants(a) & variants(b))


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, normalize_title(a), normalize_title(b)).ratio()


NEAR = 0.85
