"""The named views of the list (All, Unread, ..., Archived), tag views, and their ordering.

An archived paper is in the Archived view only. A tag view is named ``tag:NAME``.
Each view is a predicate on the paper's state, so a catalogue can turn it into a
WHERE clause (see :data:`SQL_WHERE`).
"""

from __future__ import annotations

from collections.abc import Callable

from reader.state import PaperState
from reader.text import clean

VIEWS: dict[str, str] = {
    "all": "All",
    "unread": "Unread",
    "starred": "Starred",
    "later": "Later",
    "read": "Read",
    "noted": "With notes",
    "archived": "Archived",
}
TAG = "tag:"

PREDICATES: dict[str, Callable[[PaperState], bool]] = {
    "all": lambda s: not s.archived,
    "unread": lambda s: not s.read and not s.archived,
    "starred": lambda s: s.starred and not s.archived,
    "later": lambda s: bool(s.later) and not s.archived,
    "read": lambda s: s.read and not s.archived,
    "noted": lambda s: bool(s.note.strip()) and not s.archived,
    "archived": lambda s: bool(s.archived),
}

# the same views for a SQL catalogue of states (missing state = all defaults)
SQL_WHERE: dict[str, str] = {
    "all": "archived = ''",
    "unread": "NOT read AND archived = ''",
    "starred": "starred AND archived = ''",
    "later": "later != '' AND archived = ''",
    "read": "read AND archived = ''",
    "noted": "trim(note) != '' AND archived = ''",
    "archived": "archived != ''",
}


def tag_view(tag: str) -> str:
    return TAG + tag


def is_view(view: str) -> bool:
    return view in VIEWS or (view.startswith(TAG) and len(view) > len(TAG))


def view_label(view: str) -> str:
    return f"#{clean(view[len(TAG):])}" if view.startswith(TAG) else VIEWS.get(view, view)


def predicate(view: str) -> Callable[[PaperState], bool]:
    if view.startswith(TAG):
        tag = view[len(TAG):]
        return lambda s: tag in s.tags and not s.archived
    return PREDICATES[view]


def select(view: str, keys: list[str], states: dict[str, PaperState], by_key: dict[str, int] | None = None) -> list[int]:
    """Indices into ``keys`` that belong to ``view``, in the view's order.

    The Later view is ordered by when each paper was queued (oldest first), the
    others keep library order. States are sparse, so marked views are built from
    the marked papers (via ``by_key``) rather than by testing every paper.
    """
    if by_key is None:
        by_key = {k: i for i, k in enumerate(keys)}
    if view in ("all", "unread"):
        hidden = {
            by_key[k] for k, s in states.items()
            if (s.archived or (view == "unread" and s.read)) and k in by_key
        }
        if not hidden:
            return list(range(len(keys)))
        return [i for i in range(len(keys)) if i not in hidden]
    pred = predicate(view)
    idx = sorted(by_key[k] for k, s in states.items() if k in by_key and pred(s))
    if view == "later":
        idx.sort(key=lambda i: states[keys[i]].later)
    return idx


def counts(total: int, states: dict[str, PaperState]) -> dict[str, int]:
    c = {"all": total, "unread": total, "starred": 0, "later": 0, "read": 0, "noted": 0, "archived": 0}
    for s in states.values():
        if s.archived:
            c["archived"] += 1
            c["all"] -= 1
            c["unread"] -= 1
            continue
        if s.read:
            c["read"] += 1
            c["unread"] -= 1
        c["starred"] += s.starred
        c["later"] += bool(s.later)
        c["noted"] += bool(s.note.strip())
    return c


def tag_counts(states: dict[str, PaperState], by_key: dict[str, int]) -> dict[str, int]:
    """How many papers (not archived) carry each tag, by tag name."""
    c: dict[str, int] = {}
    for k, s in states.items():
        if s.tags and not s.archived and k in by_key:
            for t in s.tags:
                c[t] = c.get(t, 0) + 1
    return dict(sorted(c.items(), key=lambda kv: kv[0].casefold()))
