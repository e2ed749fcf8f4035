"""Orders for a view's papers (``S`` cycles them; the choice is remembered in the config).

``added`` keeps the view's own order (library order; the Later view by queue time).
The others are the catalogue's ``ORDER BY`` on one column (:data:`COLUMNS`, ties in
library order), computed once per library version and applied to a view by
:func:`in_order`.
"""

from __future__ import annotations

import re
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


# -- dates in order --------------------------------------------------------------------
#
# A stored date is ISO (2019, 2019-05, 2019-05-03), a season as EDTF writes it (2019-21 ..
# 2019-24: spring, summer, autumn, winter) or either with EDTF's approximate marks (1900~).
# As text, 2019-21 came after 2019-12-31 and 1900~ after every dated 1900: the sort uses
# the key below instead. A season goes where its months are, as the less precise date goes
# before the precise ones (CSL's rule: 2000 before 2000-12 before 2000-12-31): spring
# (March-May) after the last of March, before April; summer after June; autumn after
# September; winter (December-February, named by its December) after the last of December.
# An approximate date sorts as the date. (citeproc-js ignores a season when it sorts: its
# key is the bare year, month 00. Measured with citeproc 1.4.61: see tests/test_s8_cite_sort.py.)

_SEASON_DATE = re.compile(r"^(.{4})-(2[1-4])[~%?]*$", re.DOTALL)
_SEASON_KEY = {"21": "03~", "22": "06~", "23": "09~", "24": "12~"}  # "~" sorts after "-31"


def published_key(date: str) -> str:
    """The text a stored date sorts by (ascending = oldest first): a season as its months
    (``2019-21`` -> ``2019-03~``, between March and April), an approximate date as the date."""
    m = _SEASON_DATE.match(date)
    if m:
        return f"{m.group(1)}-{_SEASON_KEY[m.group(2)]}"
    return date.rstrip("~%?")


# published_key in SQL, for the catalogue's ORDER BY and its index on that expression
# (the two must agree: tests/test_s8_cite_sort.py checks them on every form)
PUBLISHED_KEY_SQL = (
    "(CASE WHEN substr(published, 5, 3) IN ('-21', '-22', '-23', '-24') "
    "AND rtrim(substr(published, 8), '~%?') = '' "
    "THEN substr(published, 1, 5) || CASE substr(published, 6, 2) "
    "WHEN '21' THEN '03~' WHEN '22' THEN '06~' WHEN '23' THEN '09~' ELSE '12~' END "
    "ELSE rtrim(published, '~%?') END)"
)


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
