"""The fast paths of an import give the catalogue the slow paths gave: the paper's JSON
written without the json module, ASCII titles normalized in one pass."""

from __future__ import annotations

import random

from reader.model import Paper
from reader.storage.catalogue import _encode, paper_json
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


def test_paper_json_is_what_the_json_module_writes():
    rng = random.Random(5)
    for _ in range(20_000):
        p = Paper(key=_text(rng, 8), title=_text(rng, 30), abstract=_text(rng, rng.choice([0, 5, 200])),
                  authors=rng.choice([[], [_text(rng, 10) for _ in range(3)], [""], ["a", 1], ("x",)]),
                  upvotes=rng.choice([None, 0, 7, -1, True, False, 2.5, 0.0, 10**30]), doi=_text(rng, 5),
                  comments=rng.choice([None, 0, 3]), github_stars=rng.choice([None, 0]),
                  edited=rng.choice([[], ["title"]]), url=rng.choice(["", "u", None, 0]))
        assert paper_json(p) == _encode(p.to_dict()), p
    assert paper_json(Paper(key="", title="")) == "{}"
