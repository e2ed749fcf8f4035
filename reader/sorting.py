"""Orders for a view's papers (``S`` cycles them; the choice is remembered in the config).

``added`` keeps the view's own order (library order; the Later view by queue time).
The others are stable sorts on one paper field, each of which a catalogue can do
with an index and the ORDER BY in :data:`SQL_ORDER`.
"""

from __future__ import annotations

from reader.model import Paper

SORTS: dict[str, str] = {
    "added": "added",
    "published": "newest first",
    "upvotes": "most upvoted",
    "title": "title A-Z",
}

SQL_ORDER: dict[str, str] = {
    "added": "rowid",
    "published": "published = '', published DESC, rowid",
    "upvotes": "upvotes IS NULL, upvotes DESC, rowid",
    "title": "title_sort, rowid",
}


def next_sort(current: str) -> str:
    names = list(SORTS)
    return names[(names.index(current) + 1) % len(names)] if current in SORTS else names[0]


def title_sort_key(paper: Paper) -> str:
    return paper.title.casefold().lstrip("\"'“‘([{$\\ ")


def sort_rows(rows: list[int], papers: list[Paper], sort: str) -> list[int]:
    """``rows`` (indices into ``papers``) in the order ``sort`` names; ties keep their order."""
    if sort == "published":  # ISO dates sort as text; papers without a date go last
        return sorted(rows, key=lambda i: papers[i].published, reverse=True)
    if sort == "upvotes":
        return sorted(rows, key=lambda i: -1 if papers[i].upvotes is None else papers[i].upvotes, reverse=True)
    if sort == "title":
        return sorted(rows, key=lambda i: title_sort_key(papers[i]))
    return rows
