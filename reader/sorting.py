"""Orders for a view's papers (``S`` cycles them; the choice is remembered in the config).

``added`` keeps the view's own order (library order; the Later view by queue time).
The others are the catalogue's ``ORDER BY`` on one column (:data:`COLUMNS`, ties in
library order), computed once per library version and applied to a view by
:func:`in_order`.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
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
