"""Citing papers from the library: unique keys, pinned once the metadata is complete,
then rendered.

A key is built from the first author's family name, the year and a title word. A paper
without authors or a year gets a provisional key (``ergotropycapacitynd``) that is *not*
pinned: it changes to ``ali2024ergotropy`` once the paper is resolved. Before citing,
:func:`complete` gives the resolver a few seconds to fill what is missing.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable

from reader.citations import FORMAT_LABELS, Annotation, incomplete_fields, render
from reader.citations.keys import KeyAllocator
from reader.model import Paper
from reader.state import unique_tags
from reader.triage import Triage

LOOKUP_SECONDS = 5.0  # default time `y` / `reader export` spend completing papers first


def key_complete(paper: Paper) -> bool:
    """The paper has what its key is built from (authors and a year): the key may be pinned."""
    return bool(paper.authors and paper.year)


def lookup_seconds() -> float:
    """Seconds to spend completing papers before citing (READER_LOOKUP_SECONDS; 0 = never)."""
    try:
        return max(0.0, float(os.environ.get("READER_LOOKUP_SECONDS", LOOKUP_SECONDS)))
    except ValueError:
        return LOOKUP_SECONDS


def to_complete(triage: Triage, keys: list[str]) -> list[Paper]:
    """The papers among ``keys`` whose key could still change (no pinned key, no authors/year)."""
    papers = (triage.paper(k) for k in keys if not triage.state(k).cite_key)
    return [p for p in papers if not key_complete(p)]


def complete(triage: Triage, keys: list[str], budget: float | None = None,
             cancelled: Callable[[], bool] = lambda: False) -> str:
    """Let the resolver fill authors/years of ``keys``' incomplete papers for at most
    ``budget`` seconds (stored like ``reader resolve``). Returns '' or a short note on why
    some stay incomplete (offline, time up, cancelled)."""
    budget = lookup_seconds() if budget is None else budget
    papers = to_complete(triage, keys)
    if not papers or budget <= 0:
        return ""
    from reader.resolve.resolver import Resolver, make_client

    deadline = time.monotonic() + budget
    client = make_client(triage.store.paths.data_dir / "cache" / "http", timeout=max(0.5, budget / 2), retries=0)
    summary = Resolver(client).run(
        papers, apply=triage.update_papers, cancelled=lambda: cancelled() or time.monotonic() > deadline
    )
    if summary.offline:
        return "offline, cited what the library has"
    if summary.cancelled:
        return "cancelled, cited what was found" if cancelled() else f"lookup stopped after {budget:g}s"
    return ""


def keyed(triage: Triage, keys: list[str]) -> list[tuple[Paper, str]]:
    """(paper, citation key) for ``keys``. A key not yet pinned is assigned, and pinned
    only when the paper is complete (authors and year): until then it may still change."""
    keys_given = KeyAllocator({s.cite_key for s in triage.states.values() if s.cite_key})
    out = []
    for key in keys:
        paper = triage.paper(key)
        cite_key = triage.state(key).cite_key
        if not cite_key:
            cite_key = keys_given.assign(paper)
            if key_complete(paper):
                triage.pin_cite_key(key, cite_key)
        out.append((paper, cite_key))
    return out


def cite_keys(triage: Triage, papers: Iterable[Paper]) -> dict[str, str]:
    """The citation key of each paper as a citation would use it now (the pinned key, or
    the one it would get), without pinning anything. Give the whole library in library
    order for keys that agree between `reader list` and `reader cite`."""
    keys_given = KeyAllocator({s.cite_key for s in triage.states.values() if s.cite_key})
    out = {}
    for paper in papers:
        cite_key = triage.state(paper.key).cite_key
        if not cite_key:
            cite_key = keys_given.assign(paper)
        out[paper.key] = cite_key
    return out


def provisional(triage: Triage, items: list[tuple[Paper, str]]) -> list[str]:
    """The keys in ``items`` that are not pinned (they may still change)."""
    return [ck for p, ck in items if triage.state(p.key).cite_key != ck]


def citation(triage: Triage, keys: list[str], fmt: str, with_notes: bool = False) -> tuple[str, str, list[str]]:
    """(text, label like "BibTeX for 3 papers", warnings about incomplete metadata).
    ``with_notes`` adds the user's notes and tags where the format has fields for them."""
    items = keyed(triage, keys)
    anns = None
    if with_notes:
        anns = [Annotation(triage.state(k).note, tuple(unique_tags(triage.state(k).tags))) for k in keys]
    text = render(items, fmt, anns)
    n = len(items)
    label = f"{FORMAT_LABELS[fmt]} for {n} paper{'s' if n != 1 else ''}"
    incomplete = [p for p, _ in items if incomplete_fields(p)]
    loose = provisional(triage, items)  # keys from incomplete metadata are not pinned
    warnings = []
    if incomplete:
        detail = ", ".join(sorted({f for p in incomplete for f in incomplete_fields(p)})) + " unknown"
        if loose:  # short: the warning fits two lines of a toast at 80x24
            detail += "; key may change" if len(loose) == 1 else "; keys may change"
        warnings.append(
            f"{len(incomplete)} of {n} citation{'s' if n != 1 else ''} incomplete ({detail}): "
            "press R or run `reader resolve`"
        )
    return text, label, warnings
