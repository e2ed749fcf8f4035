"""``reader cite`` and ``reader export``."""

from __future__ import annotations

import sys

from reader.citations import FORMATS
from reader.cite import citation
from reader.config import load_config
from reader.paths import default_paths
from reader.storage.atomic import atomic_write_text
from reader.storage.store import StoreError
from reader.triage import Triage


def _format(fmt: str | None) -> str | None:
    fmt = fmt or load_config(default_paths().config).cite_format
    if fmt not in FORMATS:
        print(f"reader: unknown format {fmt!r} (choose from {', '.join(FORMATS)})", file=sys.stderr)
        return None
    return fmt


def find(triage: Triage, query: str) -> list[str]:
    q = query.strip()
    if q in triage.by_key:
        return [q]
    by_cite = [k for k, s in triage.states.items() if s.cite_key == q and k in triage.by_key]
    if by_cite:
        return by_cite
    low = q.casefold()
    return [p.key for p in triage.papers if low in p.title.casefold()]


def cite(store, query: str, fmt: str | None) -> int:
    fmt = _format(fmt)
    if fmt is None:
        return 2
    triage = Triage(store, background=False)
    keys = find(triage, query)
    if not keys:
        print(f"reader: no paper matches {query!r}", file=sys.stderr)
        return 2
    if len(keys) > 1:
        print(f"reader: {len(keys)} papers match {query!r}; be more specific:", file=sys.stderr)
        for k in keys[:8]:
            print(f"  {k}  {triage.paper(k).title}", file=sys.stderr)
        return 2
    try:
        text, _label, warnings = citation(triage, keys, fmt)
    except StoreError as exc:
        print(f"reader: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(text)
    for w in warnings:
        print(f"reader: {w}", file=sys.stderr)
    return 0


def export(store, view: str, fmt: str | None, output: str | None) -> int:
    fmt = _format(fmt)
    if fmt is None:
        return 2
    triage = Triage(store, background=False)
    keys = [triage.keys[i] for i in triage.view(view)]
    if not keys:
        print(f"reader: the {view} view is empty, nothing to export", file=sys.stderr)
        return 1
    try:
        text, label, warnings = citation(triage, keys, fmt)
        if output:
            atomic_write_text(output, text)
    except StoreError as exc:
        print(f"reader: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"reader: {output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if output:
        print(f"wrote {label} to {output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    for w in warnings:
        print(f"reader: {w}", file=sys.stderr)
    return 0
