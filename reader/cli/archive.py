"""``reader archive KEY...``: hide papers from every view but Archived (undo: ``reader unarchive``)."""

from __future__ import annotations

from reader.cli.common import err, open_store
from reader.text import clean


def register(sub) -> None:
    s = sub.add_parser("archive", help="archive papers (hidden from every view but Archived)")
    s.add_argument("keys", nargs="+", metavar="KEY", help="key, cite key or unique title substring")
    s.set_defaults(handler=run, archive=True)


def run(args) -> int:
    return set_archived(args.keys, args.archive)


def set_archived(queries: list[str], on: bool) -> int:
    from reader.cli.cite import ambiguous, find
    from reader.storage.store import StoreError
    from reader.triage import Triage, now_iso

    triage = Triage(open_store(), background=False)
    keys = []
    shown: dict[str, str] = {}  # the cite keys `reader list` shows, once worked out
    unmatched: list[str] = []
    for q in queries:
        found = find(triage, q, shown)
        if not found:
            unmatched.append(q)
        elif len(found) > 1:  # listed by the keys `reader list` shows, as `reader cite` does
            ambiguous(triage, q, found, shown)
            err(f"nothing {'archived' if on else 'unarchived'}: {clean(q)!r} names {len(found)} papers")
            return 2
        else:
            keys.append(found[0])
    if unmatched:  # all or nothing: say so, naming every key that stopped it
        named = ", ".join(repr(clean(q)) for q in unmatched)
        err(f"nothing {'archived' if on else 'unarchived'}: {named} {'matches' if len(unmatched) == 1 else 'match'} no paper")
        return 2
    todo = [k for k in keys if bool(triage.state(k).archived) != on]
    try:
        triage.set(todo, "archived", now_iso() if on else "")
    except StoreError as exc:
        err(str(exc))
        return 1
    verb = "archived" if on else "unarchived"
    if not shown:
        from reader.citations.cite import cite_keys

        shown.update(cite_keys(triage, triage.catalogue.papers()))  # the whole library: the keys `reader list` shows
    for k in keys:  # named by the key `reader list` shows (helper E: the internal t:4407… key)
        print(f"{verb if k in todo else 'already ' + verb}: {clean(shown.get(k, k))}  {clean(triage.paper(k).title)}")
    return 0
