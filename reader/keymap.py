"""The effective key map: the default bindings with the config's ``[keymap]`` applied,
and the clashes a remap creates (a key bound to two actions that are active at once).

Pure data in, rows and warnings out; the TUI supplies its bindings
(``reader.tui.keys``) and ``reader keys`` prints the result.
"""

from __future__ import annotations

from dataclasses import dataclass

# which binding scopes are active together: the list or the detail pane has the focus
CONTEXTS = (("app", "main", "list"), ("app", "main", "detail"))


@dataclass(slots=True)
class KeyRow:
    scope: str  # app, main, list, detail
    id: str
    keys: tuple[str, ...]
    description: str
    remapped: bool = False


def split_keys(keys: str) -> tuple[str, ...]:
    return tuple(k.strip() for k in keys.split(",") if k.strip())


def effective(defaults: list[KeyRow], keymap: dict[str, str]) -> tuple[list[KeyRow], list[str]]:
    """The rows with ``keymap`` applied, and one warning per clash or unknown id."""
    known = {r.id for r in defaults}
    rows = [
        KeyRow(r.scope, r.id, split_keys(keymap[r.id]), r.description, True) if r.id in keymap else r
        for r in defaults
    ]
    warnings = [f"[keymap] {name}: no such action (see `reader keys`)" for name in keymap if name not in known]
    seen: set[tuple[str, str, str]] = set()
    for context in CONTEXTS:
        owners: dict[str, list[KeyRow]] = {}
        for r in rows:
            if r.scope in context:
                for key in r.keys:
                    owners.setdefault(key, []).append(r)
        for key, rs in owners.items():
            ids = sorted({r.id for r in rs})
            if len(ids) > 1 and any(r.remapped for r in rs):
                a, b = ids[0], ids[1]
                if (key, a, b) in seen:
                    continue
                seen.add((key, a, b))
                names = " and ".join(f"{r.id} ({r.description})" for r in sorted(rs, key=lambda r: r.id)[:2])
                warnings.append(f"[keymap] key {key!r} is bound to both {names}; only one of them will work")
    return rows, warnings
