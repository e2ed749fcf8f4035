"""Undo and redo of the user's changes, each step with a label that says what it was
("note on “Attention Is All You Need”", "read on 14 papers")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reader.state import Change
from reader.text import clean, truncate

LIMIT = 500
WHAT = {
    "read": "read", "starred": "star", "later": "later", "note": "note", "tags": "tags",
    "archived": "archive", "read_at": "read",
}


@dataclass(slots=True)
class Step:
    label: str
    before: list[Change]  # the old values (undo applies these)
    after: list[Change]  # the new values (redo applies these)


def describe(changes: list[Change], title: Callable[[str], str]) -> str:
    """``read on “Title”`` or ``read on 3 papers``: the first field changed and on what."""
    fields = []
    for c in changes:
        name = WHAT.get(c.field, c.field)
        if name not in fields:
            fields.append(name)
    keys = {c.key for c in changes}
    if len(keys) == 1:
        target = f"“{truncate(clean(title(changes[0].key)), 50)}”"
    else:
        target = f"{len(keys)} papers"
    return f"{' and '.join(fields)} on {target}"


class History:
    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self.undo_steps: list[Step] = []
        self.redo_steps: list[Step] = []

    def record(self, step: Step) -> None:
        """A new change: it can be undone, and what was undone can no longer be redone."""
        self.undo_steps.append(step)
        del self.undo_steps[: -self.limit]
        self.redo_steps.clear()

    def undo(self) -> Step | None:
        if not self.undo_steps:
            return None
        step = self.undo_steps.pop()
        self.redo_steps.append(step)
        return step

    def redo(self) -> Step | None:
        if not self.redo_steps:
            return None
        step = self.redo_steps.pop()
        self.undo_steps.append(step)
        return step
