"""``reader purge``: remove the archived papers from the library for good, after asking."""

from __future__ import annotations

import sys

from reader.cli.common import err, open_store
from reader.text import clean, plural


def register(sub) -> None:
    s = sub.add_parser("purge", help="remove archived papers from the library for good")
    s.add_argument("--yes", action="store_true", help="do not ask (for scripts)")
    s.set_defaults(handler=run)


def run(args) -> int:
    from reader.storage.store import StoreError
    from reader.triage import Triage

    triage = Triage(open_store(), background=False)
    keys = triage.keys_at(triage.view("archived"))
    if not keys:
        print("no archived papers: nothing to purge")
        return 0
    from reader.citations.cite import cite_keys

    shown = cite_keys(triage, triage.catalogue.papers())  # the whole library: the keys `reader list` shows
    for k in keys[:10]:
        print(f"  {clean(shown.get(k, k))}  {clean(triage.paper(k).title)}")
    if len(keys) > 10:
        print(f"  … and {len(keys) - 10} more")
    if not args.yes:
        if not sys.stdin.isatty():
            err("purge asks for confirmation; use --yes when not at a terminal")
            return 2
        answer = input(f"Remove {plural(len(keys), 'archived paper')} for good? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("nothing removed")
            return 1
    try:
        removed = triage.purge()
    except StoreError as exc:
        err(str(exc))
        return 1
    print(f"removed {plural(len(removed), 'paper')} (importing them again keeps them archived)")
    return 0
