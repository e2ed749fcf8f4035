"""The user's own marks on a paper, and the change records that update them.

Each field carries its own ``updated`` time so two running instances can merge
their changes field by field (the later change wins; an unrelated change from
the other instance is never lost).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

FIELDS = ("read", "starred", "later", "note", "tags", "cite_key", "read_at", "archived")


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
        st = cls()
        for name in FIELDS:
            if name in data:
                value = data[name]
                if name == "tags":
                    value = [str(t) for t in value] if isinstance(value, list) else []
                setattr(st, name, value)
        upd = data.get("updated")
        if isinstance(upd, dict):
            st.updated = {k: float(v) for k, v in upd.items() if isinstance(v, int | float)}
        return st

    @property
    def empty(self) -> bool:
        return not (self.read or self.starred or self.later or self.note or self.tags or self.cite_key or self.archived)


@dataclass(slots=True)
class Change:
    """One field of one paper set to a value at a time."""

    key: str
    field: str
    value: object
    ts: float = field(default_factory=time.time)

    def apply_to(self, st: PaperState) -> bool:
        """Apply unless the state already has a newer change of this field."""
        if st.updated.get(self.field, 0.0) > self.ts:
            return False
        setattr(st, self.field, self.value)
        st.updated[self.field] = self.ts
        return True
