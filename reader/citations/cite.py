"""Citing papers from the library: unique keys, pinned on first use, then rendered."""

from __future__ import annotations

from reader.citations import FORMAT_LABELS, Annotation, incomplete_fields, render
from reader.citations.keys import assign_key
from reader.model import Paper
from reader.triage import Triage


def keyed(triage: Triage, keys: list[str]) -> list[tuple[Paper, str]]:
    """(paper, citation key) for ``keys``; keys not yet pinned are assigned and pinned."""
    taken = {s.cite_key for s in triage.states.values() if s.cite_key}
    out = []
    for key in keys:
        paper = triage.paper(key)
        cite_key = triage.state(key).cite_key
        if not cite_key:
            cite_key = assign_key(paper, taken)
            taken.add(cite_key)
            triage.pin_cite_key(key, cite_key)
        out.append((paper, cite_key))
    return out


def citation(triage: Triage, keys: list[str], fmt: str, with_notes: bool = False) -> tuple[str, str, list[str]]:
    """(text, label like "BibTeX for 3 papers", warnings about incomplete metadata).
    ``with_notes`` adds the user's notes and tags where the format has fields for them."""
    items = keyed(triage, keys)
    anns = None
    if with_notes:
        anns = [Annotation(triage.state(k).note, tuple(triage.state(k).tags)) for k in keys]
    text = render(items, fmt, anns)
    n = len(items)
    label = f"{FORMAT_LABELS[fmt]} for {n} paper{'s' if n != 1 else ''}"
    incomplete = [p for p, _ in items if incomplete_fields(p)]
    warnings = []
    if incomplete:
        missing = sorted({f for p in incomplete for f in incomplete_fields(p)})
        warnings.append(
            f"{len(incomplete)} of {n} citation{'s' if n != 1 else ''} incomplete "
            f"({', '.join(missing)} unknown): press R (or run `reader resolve`) to look them up"
        )
    return text, label, warnings
