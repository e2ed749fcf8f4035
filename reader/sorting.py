"""Orders for a view's papers (``S`` cycles them; the choice is remembered in the config).

``added`` keeps the view's own order (library order; the Later view by queue time).
The others are the catalogue's ``ORDER BY`` on one column (:data:`COLUMNS`, ties in
library order), computed once per library version and applied to a view by
:func:`in_order`.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

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
    inside = members if isinstance(members, range | Complement) else set(members)
    return array("q", (p for p in order if p in inside))
