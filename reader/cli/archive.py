"""``reader archive KEY...``: hide papers from every view but Archived (undo: ``reader unarchive``)."""

from __future__ import annotations

from reader.cli.common import err, open_store


def register(sub) -> None:
    s = sub.add_parser("archive", help="archive papers (hidden from every view but Archived)")
    s.add_argument("keys", nargs="+", metavar="KEY", help="key, cite key or unique title substring")
    s.set_defaults(handler=run, archive=True)


def run(args) -> int:
    return set_archived(args.keys, args.archive)


def set_archived(queries: list[str], on: bool) -> int:
    from reader.cli.cite import find
    from reader.storage.store import StoreError
    from reader.triage import Triage, now_iso

    triage = Triage(open_store(), background=False)
    keys = []
    for q in queries:
        found = find(triage, q)
        if len(found) != 1:
            err(f"{q!r} matches {'no paper' if not found else f'{len(found)} papers; be more specific'}")
            return 2
        keys.append(found[0])
    todo = [k for k in keys if bool(triage.state(k).archived) != on]
    try:
        triage.set(todo, "archived", now_iso() if on else "")
    except StoreError as exc:
        err(str(exc))
        return 1
    verb = "archived" if on else "unarchived"
    for k in keys:
        print(f"{verb if k in todo else 'already ' + verb}: {k}  {triage.paper(k).title}")
    return 0
