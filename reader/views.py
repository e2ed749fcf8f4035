"""The named views of the list (All, Unread, ...) and their ordering.

A view is a sequence of positions (0-based, library order) sized for a million
papers: All is a ``range``; views of marked papers are built from the marks, which
are sparse; Unread is "everything but the read ones", computed per row by binary
search rather than listed (:class:`Complement`). Nothing here is proportional to the
library's size in time or memory, only to the number of marked papers.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence

from reader.state import PaperState

VIEWS: dict[str, str] = {
    "all": "All",
    "unread": "Unread",
    "starred": "Starred",
    "later": "Later",
    "read": "Read",
    "noted": "With notes",
}

PREDICATES: dict[str, Callable[[PaperState], bool]] = {
    "all": lambda s: True,
    "unread": lambda s: not s.read,
    "starred": lambda s: s.starred,
    "later": lambda s: bool(s.later),
    "read": lambda s: s.read,
    "noted": lambda s: bool(s.note.strip()),
}


class Complement(Sequence[int]):
    """0..n-1 without the (sorted, distinct) ``excluded`` positions, as a sequence.

    Item i is found by binary search over ``excluded[k] - k`` (how many positions are
    free before each excluded one), so it costs O(log m) for m excluded papers."""

    def __init__(self, n: int, excluded: Sequence[int]):
        self.n = n
        self.excluded = array("q", excluded)
        self._gaps = array("q", (e - k for k, e in enumerate(self.excluded)))

    def __len__(self) -> int:
        return self.n - len(self.excluded)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return i + bisect_right(self._gaps, i)

    def __contains__(self, pos) -> bool:
        if not isinstance(pos, int) or not 0 <= pos < self.n:
            return False
        k = bisect_left(self.excluded, pos)
        return k == len(self.excluded) or self.excluded[k] != pos

    def index(self, pos, start: int = 0, stop: int | None = None) -> int:
        if pos not in self:
            raise ValueError(pos)
        i = pos - bisect_left(self.excluded, pos)
        if i < start or (stop is not None and i >= stop):
            raise ValueError(pos)
        return i

    def __iter__(self) -> Iterator[int]:
        ex = iter(self.excluded)
        nxt = next(ex, self.n)
        for p in range(self.n):
            if p == nxt:
                nxt = next(ex, self.n)
                continue
            yield p


def select(view: str, n: int, states: dict[str, PaperState], pos: dict[str, int]) -> Sequence[int]:
    """Positions (of ``n`` papers) in ``view``, in the view's order. ``pos`` gives the
    position of every paper that has a state.

    The Later view is ordered by when each paper was queued (oldest first), the
    others keep library order."""
    if view == "all":
        return range(n)
    if view == "unread":
        read = sorted(pos[k] for k, s in states.items() if s.read and k in pos)
        return Complement(n, read) if read else range(n)
    pred = PREDICATES[view]
    if view == "later":
        marked = sorted((s.later, pos[k]) for k, s in states.items() if k in pos and pred(s))
        return array("q", (p for _t, p in marked))
    return array("q", sorted(pos[k] for k, s in states.items() if k in pos and pred(s)))


def counts(total: int, states: dict[str, PaperState]) -> dict[str, int]:
    c = {"all": total, "unread": total, "starred": 0, "later": 0, "read": 0, "noted": 0}
    for s in states.values():
        if s.read:
            c["read"] += 1
            c["unread"] -= 1
        c["starred"] += s.starred
        c["later"] += bool(s.later)
        c["noted"] += bool(s.note.strip())
    return c
