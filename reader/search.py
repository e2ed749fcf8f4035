"""Substring search over title, abstract, authors, note and tags, fast at 100k papers.

Titles and abstracts do not change while the app runs, so each paper's text is
lowered once. As the user types, each query usually extends the previous one, so
the search narrows the previous hits instead of scanning everything again; the
first keystroke is a single letter, which every paper matches early. Notes and
tags change, so they are searched directly (few papers have them).
"""

from __future__ import annotations

from itertools import compress, repeat
from operator import contains

from reader.model import Paper
from reader.state import PaperState


class SearchIndex:
    def __init__(self, papers: list[Paper]):
        self.texts: list[str] = [f"{p.title} {p.abstract} {' '.join(p.authors)}".lower() for p in papers]
        self.keys = [p.key for p in papers]
        self._pos: dict[str, int] | None = None
        self._last: tuple[list[str], list[int]] | None = None  # (words, hits) of the previous query

    def search(self, query: str, states: dict[str, PaperState]) -> list[int]:
        """Indices (ascending) of papers whose text contains every word of ``query``,
        case-insensitive."""
        words = query.lower().split()
        if not words:
            return list(range(len(self.keys)))
        extra = self._extra_text(states)
        candidates = self._narrow_from(words)
        texts = self.texts
        for word in words:
            # map/compress keep the per-paper loop in C: ~3x faster than a comprehension
            if candidates is None:
                hits = list(compress(range(len(texts)), map(contains, texts, repeat(word))))
            else:
                hits = [i for i in candidates if word in texts[i]]
            if extra:
                allowed = None if candidates is None else set(candidates)
                more = [i for i, t in extra.items() if word in t and (allowed is None or i in allowed)]
                if more:
                    hits = sorted(set(hits).union(more))
            candidates = hits
        self._last = (words, candidates)
        return candidates

    def _narrow_from(self, words: list[str]) -> list[int] | None:
        """The previous hits, when every previous word is contained in the new word at
        its place (the user kept typing): the new hits can only be among them."""
        if self._last is None:
            return None
        old, hits = self._last
        if len(old) <= len(words) and all(o in n for o, n in zip(old, words, strict=False)):
            return hits
        return None

    def invalidate(self) -> None:
        """Notes or tags changed: the next query starts from scratch."""
        self._last = None

    def _extra_text(self, states: dict[str, PaperState]) -> dict[int, str]:
        if not states:
            return {}
        if self._pos is None:
            self._pos = {k: i for i, k in enumerate(self.keys)}
        pos = self._pos
        return {
            pos[key]: f"{st.note} {' '.join(st.tags)}".lower()
            for key, st in states.items()
            if (st.note or st.tags) and key in pos
        }

    def extend(self, papers: list[Paper]) -> None:
        """Add papers imported while the app runs."""
        add = SearchIndex(papers)
        self.texts += add.texts
        self.keys += add.keys
        self._pos = None
        self._last = None

