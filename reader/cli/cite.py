"""``reader cite``: print the citation of one paper."""

from __future__ import annotations

import sys

from reader.citations import FORMATS
from reader.citations.cite import citation
from reader.cli.common import open_store
from reader.cli.formats import choose_format
from reader.cli.lookup import complete_first
from reader.storage.store import StoreError
from reader.text import clean
from reader.triage import Triage


def register(sub) -> None:
    s = sub.add_parser("cite", help="print the citation of one paper")
    s.add_argument("query", metavar="KEY|TITLE-SUBSTRING")
    s.add_argument("--format", default=None, help=f"{', '.join(FORMATS)} (default: cite_format in config.toml)")
    s.set_defaults(handler=run)


def run(args) -> int:
    return cite(open_store(), args.query, args.format)


SHOWN = 8  # matches listed when a query is ambiguous


def find(triage: Triage, query: str, shown: dict[str, str] | None = None) -> list[str]:
    """The keys of the papers ``query`` names: a key, a cite key (pinned, or as `reader
    list` shows it), else every paper whose title holds it. ``shown`` (a dict), when
    given, is filled with the cite keys `reader list` shows, when they had to be worked out."""
    q = query.strip()
    if not q:  # (it matched every paper with a mark and no pinned key)
        return []
    if triage.has(q):
        return [q]
    by_cite = [k for k, s in triage.states.items() if s.cite_key == q and k in triage.pos]
    if by_cite:
        return by_cite
    from reader.citations.cite import cite_keys  # a key shown by `reader list`, not pinned yet

    listed = cite_keys(triage, triage.catalogue.papers())
    if shown is not None:
        shown.update(listed)
    by_shown = [k for k, ck in listed.items() if ck == q]
    if by_shown:
        return by_shown
    low = q.casefold()
    return [key for key, title, *_ in triage.catalogue.titles(0, triage.size) if low in title.casefold()]


def ambiguous(triage: Triage, query: str, keys: list[str], shown: dict[str, str]) -> None:
    """The first matches by the cite key `reader list` shows (which `reader cite` takes), and
    how many more there are."""
    if not shown:
        from reader.citations.cite import cite_keys

        shown.update(cite_keys(triage, triage.catalogue.papers()))
    print(f"reader: {len(keys)} papers match {clean(query)!r}; be more specific:", file=sys.stderr)
    for k in keys[:SHOWN]:
        print(f"  {clean(shown.get(k, k)):<24} {clean(triage.paper(k).title)}", file=sys.stderr)
    if len(keys) > SHOWN:
        print(f"  …and {len(keys) - SHOWN} more", file=sys.stderr)


def cite(store, query: str, fmt: str | None) -> int:
    fmt = choose_format(fmt)
    if fmt is None:
        return 2
    triage = Triage(store, background=False)
    shown: dict[str, str] = {}
    keys = find(triage, query, shown)
    if not keys:
        print(f"reader: no paper matches {clean(query)!r}", file=sys.stderr)
        return 2
    if len(keys) > 1:
        ambiguous(triage, query, keys, shown)
        return 2
    complete_first(triage, keys)
    try:
        text, _label, warnings = citation(triage, keys, fmt)
    except StoreError as exc:
        print(f"reader: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(text)
    for w in warnings:
        print(f"reader: {w}", file=sys.stderr)
    return 0
