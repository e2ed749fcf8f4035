"""``reader unarchive KEY...``: bring archived papers back into their views."""

from __future__ import annotations

from reader.cli.archive import set_archived


def register(sub) -> None:
    s = sub.add_parser("unarchive", help="bring archived papers back")
    s.add_argument("keys", nargs="+", metavar="KEY", help="key, cite key or unique title substring")
    s.set_defaults(handler=run)


def run(args) -> int:
    return set_archived(args.keys, False)
