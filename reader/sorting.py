"""Orders for a view's papers (``S`` cycles them; the choice is remembered in the config).

``added`` keeps the view's own order (library order; the Later view by queue time).
The others are the catalogue's ``ORDER BY`` on one column (:data:`COLUMNS`, ties in
library order), computed once per library version and applied to a view by
:func:`in_order`.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import deque
from collections.abc import Iterator, Sequence
from itertools import compress

from reader.views import Complement

SORTS: dict[str, str] = {
    "added": "added",
    "published": "newest first",
    "upvotes": "most upvoted",
    "title": "title A-Z",
}
# sort -> (catalogue column, descending); papers without a date or upvotes come last
COLUMNS: dict[str, tuple[str, bool]] = {
    "published": ("published", True),
    "upvotes": ("upvotes", True),
    "title": ("title", False),
}


def next_sort(current: str) -> str:
    names = list(SORTS)
    return names[(names.index(current) + 1) % len(names)] if current in SORTS else names[0]


def in_order(members: Sequence[int], order: Sequence[int]) -> Sequence[int]:
    """``members`` (positions) rearranged as they come in ``order`` (every position, sorted)."""
    if isinstance(members, range) and len(members) == len(order):
        return order
    # one byte a paper says whether it is a member; the pass over the order runs in C
    if isinstance(members, Complement):
        keep = bytearray(b"\x01") * len(order)
        for p in members.excluded:
            keep[p] = 0
    else:
        keep = bytearray(len(order))
        for p in members:
            keep[p] = 1
    # in slices: a C loop holds the GIL until it returns, and this runs in a worker while
    # the UI thread draws; a slice of 16k positions takes a few milliseconds
    out = array("q")
    for i in range(0, len(order), SLICE):
        part = order[i:i + SLICE]
        out.extend(compress(part, bytes(map(keep.__getitem__, part))))
    return out


SLICE = 16_384


def ranks(order: Sequence[int]) -> array:
    """The inverse of an order of every position: ``rank[p]`` is where ``p`` comes."""
    rank = array("q", bytes(8 * len(order)))
    for i in range(0, len(order), SLICE):  # in slices, as in_order (the UI thread waits for the GIL)
        deque(map(rank.__setitem__, order[i:i + SLICE], range(i, i + SLICE)), maxlen=0)
    return rank


class Ranked(Sequence[int]):
    """Positions in the order whose ranks are ``rank`` (a view sorted by :func:`in_order`),
    where finding a paper is a binary search over the ranks: the list looks for the paper
    being read after every sort, and ``array.index`` scanned a million positions for it on
    the UI thread (18 ms)."""

    __slots__ = ("rows", "rank")

    def __init__(self, rows: Sequence[int], rank: Sequence[int]):
        self.rows = rows
        self.rank = rank

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i):  # type: ignore[override]
        return self.rows[i]

    def __iter__(self) -> Iterator[int]:
        return iter(self.rows)

    def __contains__(self, pos) -> bool:
        try:
            self.index(pos)
        except ValueError:
            return False
        return True

    def index(self, pos, start: int = 0, stop: int | None = None) -> int:
        rows, rank = self.rows, self.rank
        if not isinstance(pos, int) or not 0 <= pos < len(rank):
            raise ValueError(pos)
        i = bisect_left(rows, rank[pos], key=rank.__getitem__)
        if i == len(rows) or rows[i] != pos or i < start or (stop is not None and i >= stop):
            raise ValueError(pos)
        return i
