"""The named views of the list (All, Unread, ..., Archived), tag views, and their ordering.

An archived paper is in the Archived view only. A tag view is named ``tag:NAME``; a tag
is the same tag whatever its case (``tag:nlp`` shows the papers tagged ``NLP``).

A view is a sequence of positions (0-based, library order) sized for a million
papers: All is a ``range``; views of marked papers are built from the marks, which
are sparse; Unread is "everything but the read ones", computed per row by binary
search rather than listed (:class:`Complement`). Nothing here is proportional to the
library's size in time or memory, only to the number of marked papers.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence

from reader.state import PaperState, sort_tags, tag_id
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


def tag_view(tag: str) -> str:
    return TAG + tag


def is_view(view: str) -> bool:
    return view in VIEWS or (view.startswith(TAG) and len(view) > len(TAG))


def view_label(view: str) -> str:
    return f"#{clean(view[len(TAG):])}" if view.startswith(TAG) else VIEWS.get(view, view)


def predicate(view: str) -> Callable[[PaperState], bool]:
    if view.startswith(TAG):
        tag = tag_id(view[len(TAG):])
        return lambda s: not s.archived and any(tag_id(t) == tag for t in s.tags)
    return PREDICATES[view]


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
    if view in ("all", "unread"):  # everything but the archived (and, for Unread, the read)
        hidden = sorted(pos[k] for k, s in states.items() if k in pos and not PREDICATES[view](s))
        return Complement(n, hidden) if hidden else range(n)
    pred = predicate(view)
    if view == "later":
        marked = sorted((s.later, pos[k]) for k, s in states.items() if k in pos and pred(s))
        return array("q", (p for _t, p in marked))
    return array("q", sorted(pos[k] for k, s in states.items() if k in pos and pred(s)))


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


def tag_spellings(states: Iterable[PaperState]) -> dict[str, str]:
    """Each tag (its :func:`tag_id`) and the spelling most of ``states`` use (a tie: the one
    that sorts first, ``NLP`` before ``nlp``): how the library names it."""
    uses: dict[str, dict[str, int]] = {}
    for s in states:
        for t in s.tags:
            if t.strip():
                by = uses.setdefault(tag_id(t), {})
                by[t.strip()] = by.get(t.strip(), 0) + 1
    return {i: min(by, key=lambda t: (-by[t], t)) for i, by in uses.items()}


def tag_counts(states: dict[str, PaperState], pos: dict[str, int]) -> dict[str, int]:
    """How many papers (not archived) carry each tag, one entry per tag whatever its case,
    named as :func:`tag_spellings` says, A-Z."""
    shown = [s for k, s in states.items() if s.tags and not s.archived and k in pos]
    names = tag_spellings(shown)
    c: dict[str, int] = {}
    for s in shown:
        for i in {tag_id(t) for t in s.tags if t.strip()}:
            c[names[i]] = c.get(names[i], 0) + 1
    return {t: c[t] for t in sort_tags(c)}
