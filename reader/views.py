"""The named views of the list (All, Unread, ...) and their ordering."""

from __future__ import annotations

from collections.abc import Callable

from reader.state import PaperState

VIEWS: dict[str, str] = {
    "all": "All",
    "unread": "Unread",
    "starred": "Starred",
    "later": "Later",
    "read": "Read",
    "noted": "With notes",
}

_EMPTY = PaperState()

PREDICATES: dict[str, Callable[[PaperState], bool]] = {
    "all": lambda s: True,
    "unread": lambda s: not s.read,
    "starred": lambda s: s.starred,
    "later": lambda s: bool(s.later),
    "read": lambda s: s.read,
    "noted": lambda s: bool(s.note.strip()),
}


def select(view: str, keys: list[str], states: dict[str, PaperState], by_key: dict[str, int] | None = None) -> list[int]:
    """Indices into ``keys`` that belong to ``view``, in the view's order.

    The Later view is ordered by when each paper was queued (oldest first), the
    others keep library order. States are sparse, so marked views are built from
    the marked papers (via ``by_key``) rather than by testing every paper.
    """
    if view == "all":
        return list(range(len(keys)))
    if by_key is None:
        by_key = {k: i for i, k in enumerate(keys)}
    if view == "unread":
        read = {by_key[k] for k, s in states.items() if s.read and k in by_key}
        if not read:
            return list(range(len(keys)))
        return [i for i in range(len(keys)) if i not in read]
    pred = PREDICATES[view]
    idx = sorted(by_key[k] for k, s in states.items() if k in by_key and pred(s))
    if view == "later":
        idx.sort(key=lambda i: states[keys[i]].later)
    return idx


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
