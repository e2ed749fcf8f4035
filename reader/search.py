"""Substring search over title, abstract, note and tags, fast at 100k papers.

Titles and abstracts do not change while the app runs, so they are lowered
once into a single string; a query is then a handful of ``str.find`` calls (C
speed) plus a bisect to map offsets back to papers. Notes and tags change, so
they are searched directly (few papers have them).
"""

from __future__ import annotations

from bisect import bisect_right

from reader.model import Paper
from reader.state import PaperState

SEP = "\x00"


class SearchIndex:
    def __init__(self, papers: list[Paper]):
        parts = []
        starts = []
        pos = 0
        for p in papers:
            text = f"{p.title} {p.abstract} {' '.join(p.authors)}".lower()
            starts.append(pos)
            parts.append(text)
            pos += len(text) + 1
        self.corpus = SEP.join(parts)
        self.starts = starts
        self.keys = [p.key for p in papers]
        self._pos: dict[str, int] | None = None

    def search(self, query: str, states: dict[str, PaperState]) -> set[int]:
        """Indices of papers whose text contains every word of ``query`` (case-insensitive)."""
        words = [w for w in query.lower().split() if w]
        if not words:
            return set(range(len(self.keys)))
        result: set[int] | None = None
        extra = self._extra_index(states)
        for word in words:
            hits = self._find(word)
            for i, text in extra:
                if word in text:
                    hits.add(i)
            result = hits if result is None else result & hits
            if not result:
                break
        return result or set()

    def _find(self, word: str) -> set[int]:
        hits: set[int] = set()
        corpus, starts = self.corpus, self.starts
        find = corpus.find
        pos = find(word)
        while pos != -1:
            i = bisect_right(starts, pos) - 1
            hits.add(i)
            nxt = starts[i + 1] if i + 1 < len(starts) else len(corpus)
            pos = find(word, nxt)
        return hits

    def _extra_index(self, states: dict[str, PaperState]) -> list[tuple[int, str]]:
        if not states:
            return []
        if self._pos is None:
            self._pos = {k: i for i, k in enumerate(self.keys)}
        pos = self._pos
        out = []
        for key, st in states.items():
            if (st.note or st.tags) and key in pos:
                out.append((pos[key], f"{st.note} {' '.join(st.tags)}".lower()))
        return out

    def extend(self, papers: list[Paper]) -> None:
        """Add papers imported while the app runs."""
        add = SearchIndex(papers)
        base = len(self.corpus) + 1 if self.keys else 0
        self.corpus = (self.corpus + SEP + add.corpus) if self.keys else add.corpus
        self.starts += [s + base for s in add.starts]
        self.keys += add.keys
        self._pos = None
