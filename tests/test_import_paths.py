"""The fast paths of an import give the catalogue the slow paths gave."""

from __future__ import annotations

import random

from reader.text import _normalize, clean, normalize_title

ODD = ['"', "\\", "\n", "\t", "\x00", "\x1f", "\x7f", "\x85", "\u2028", "\u202e", "é", "ß", "ǅ", "ﬁ",
       "Σ", "\u00a0", "　", "$", "{", "_", "-", ":", "\\'e", "\\textbf", "  "]


def _text(rng: random.Random, n: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 "
    return "".join(rng.choice(ODD) if rng.random() < 0.08 else rng.choice(letters) for _ in range(n))


def test_ascii_titles_normalize_as_every_title_does():
    rng = random.Random(4)
    ascii_chars = [chr(i) for i in range(128)]
    for _ in range(20_000):
        title = "".join(rng.choice(ascii_chars) for _ in range(rng.randint(0, 40)))
        assert normalize_title(title) == _normalize(clean(title)), repr(title)
    assert normalize_title("Self-Attention: {R}evisited_\\emph{Again}!") == "self attention r evisited again"
