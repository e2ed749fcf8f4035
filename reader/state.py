"""The user's own marks on a paper, and the change records that update them.

Each field carries its own ``updated`` stamp so two running instances can merge
their changes field by field. Stamps come from a hybrid logical clock
(:data:`CLOCK`): a new stamp is ``max(wall clock, highest stamp seen + a tiny
step)``, so a change made here is always later than anything this process has
read, even when another machine's clock runs ahead, a backup from the future
is restored, or this clock steps back.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

FIELDS = ("read", "starred", "later", "note", "tags", "cite_key", "read_at", "archived")
TYPES: dict[str, type] = {
    "read": bool, "starred": bool, "later": str, "note": str, "tags": list, "cite_key": str, "read_at": str,
    "archived": str,
}
MAX_STAMP = 1e11  # year 5138: anything above (or inf/nan) is not a stamp this program wrote


class HybridClock:
    """Monotonic stamps that never fall behind a stamp already seen."""

    def __init__(self) -> None:
        self._last = 0.0
        self._lock = threading.Lock()

    def observe(self, stamp: float) -> None:
        if stamp > self._last:
            with self._lock:
                if stamp > self._last:
                    self._last = stamp

    def now(self) -> float:
        with self._lock:
            last = self._last
            stamp = max(time.time(), last + max(1e-6, math.ulp(last) * 2))
            self._last = stamp
            return stamp


CLOCK = HybridClock()


def valid_stamp(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and 0 <= value < MAX_STAMP


@dataclass(slots=True)
class PaperState:
    read: bool = False
    read_at: str = ""
    starred: bool = False
    later: str = ""  # ISO time it was queued; "" when not queued
    note: str = ""
    tags: list[str] = field(default_factory=list)
    cite_key: str = ""  # pinned the first time a citation is copied or exported
    archived: str = ""  # ISO time it was archived (hidden from every view but Archived)
    updated: dict[str, float] = field(default_factory=dict)

    def to_dict(self, key: str) -> dict:
        data: dict = {"key": key}
        for name in FIELDS:
            value = getattr(self, name)
            if value not in ("", False, [], None):
                data[name] = value
        if self.updated:
            data["updated"] = dict(self.updated)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> PaperState:
        """Lenient: fields of the wrong type are dropped (see :func:`parse_state_doc`)."""
        st = cls()
        for name in FIELDS:
            if name in data and _type_ok(name, data[name]):
                setattr(st, name, list(data[name]) if name == "tags" else data[name])
        upd = data.get("updated")
        if isinstance(upd, dict):
            st.updated = {k: float(v) for k, v in upd.items() if k in TYPES and valid_stamp(v)}
        return st

    @property
    def empty(self) -> bool:
        return not (self.read or self.starred or self.later or self.note or self.tags or self.cite_key or self.archived)

    def newest(self) -> float:
        return max(self.updated.values(), default=0.0)


def tag_id(tag: str) -> str:
    """What makes two tags one: ``NLP`` and ``nlp`` (and ``Straße``, ``STRASSE``) are the same tag."""
    return tag.strip().casefold()


def unique_tags(tags: Iterable[str]) -> list[str]:
    """One spelling of each tag (the first), blanks dropped, in order. A state file written
    before tags ignored case may hold two spellings on one paper: shown as one, and
    stored as one the next time that paper's tags change."""
    seen: set[str] = set()
    out: list[str] = []
    for t in tags:
        t, tid = t.strip(), tag_id(t)
        if t and tid not in seen:
            seen.add(tid)
            out.append(t)
    return out


def sort_tags(tags: Iterable[str]) -> list[str]:
    return sorted(tags, key=lambda t: (t.casefold(), t))


def common_tags(lists: Iterable[list[str]]) -> list[str]:
    """The tags every list has, whatever their case (spelt as the first list spells them)."""
    lists = [unique_tags(t) for t in lists]
    if not lists:
        return []
    shared = set.intersection(*({tag_id(t) for t in tags} for tags in lists))
    return sort_tags(t for t in lists[0] if tag_id(t) in shared)


def tag_edits(typed: Iterable[str], shown: Iterable[str]) -> tuple[list[str], list[str]]:
    """(added, removed): what an editor that showed ``shown`` and got ``typed`` back changes,
    case ignored (``nlp`` typed over ``NLP`` changes nothing)."""
    typed, shown = unique_tags(typed), unique_tags(shown)
    typed_ids, shown_ids = {tag_id(t) for t in typed}, {tag_id(t) for t in shown}
    return [t for t in typed if tag_id(t) not in shown_ids], [t for t in shown if tag_id(t) not in typed_ids]


def _type_ok(name: str, value: object) -> bool:
    kind = TYPES[name]
    if kind is bool:
        return isinstance(value, bool)
    if kind is list:
        return isinstance(value, list) and all(isinstance(t, str) for t in value)
    return isinstance(value, kind)


def parse_state_doc(doc: object) -> tuple[str, PaperState] | str:
    """A state document as (key, state), or a one-line reason it is not one."""
    if not isinstance(doc, dict):
        return f"not an object ({type(doc).__name__})"
    key = doc.get("key")
    if not isinstance(key, str) or not key:
        return "no paper key"
    for name in FIELDS:
        if name in doc and not _type_ok(name, doc[name]):
            return f"{key}: {name} is {type(doc[name]).__name__}, expected {TYPES[name].__name__}"
    upd = doc.get("updated", {})
    if not isinstance(upd, dict):
        return f"{key}: updated is not an object"
    return key, PaperState.from_dict(doc)


@dataclass(slots=True)
class Change:
    """One field of one paper set to a value at a stamp.

    ``expect``: apply only while the field still holds this value (undo reverts a
    field only if nobody changed it since; a citation key is pinned only once).
    """

    key: str
    field: str
    value: object
    ts: float = field(default_factory=CLOCK.now)
    expect: object = None
    conditional: bool = False
    rejected: bool = False  # set when saving found a conditional change's field moved on

    def apply_to(self, st: PaperState) -> bool:
        """Merge: apply unless the state already has a newer change of this field."""
        if st.updated.get(self.field, 0.0) > self.ts:
            return False
        setattr(st, self.field, self.value)
        st.updated[self.field] = self.ts
        return True

    def apply_over(self, st: PaperState) -> bool:
        """Save: a change the user made wins over what is on disk for its field (its stamp
        moves past the disk's), unless it is conditional and the field moved on."""
        if self.conditional and getattr(st, self.field) != self.expect:
            self.rejected = True
            return False
        disk = st.updated.get(self.field, 0.0)
        if disk >= self.ts:
            CLOCK.observe(disk)
            self.ts = CLOCK.now()
        setattr(st, self.field, self.value)
        st.updated[self.field] = self.ts
        return True
