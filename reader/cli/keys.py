"""``reader keys``: the effective key map (defaults with the config's [keymap] applied)."""

from __future__ import annotations

from reader.cli.common import err
from reader.config import load_config
from reader.paths import default_paths

SCOPES = {"app": "anywhere", "main": "main screen", "list": "list", "detail": "detail pane"}


def register(sub) -> None:
    s = sub.add_parser("keys", help="print the effective key map (ids for [keymap] in the config)")
    s.set_defaults(handler=run)


def run(args) -> int:
    from reader.tui.keys import effective_keymap  # the bindings live with the TUI

    config = load_config(default_paths().config)
    for e in config.errors:
        err(e)
    rows, warnings = effective_keymap(config.keymap)
    width = max(len(r.id) for r in rows)
    for r in rows:
        keys = ", ".join(r.keys)
        mark = "  (from [keymap])" if r.remapped else ""
        print(f"{r.id:<{width}}  {keys:<22} {r.description} [{SCOPES[r.scope]}]{mark}")
    for w in warnings:
        err(w)
    return 0
