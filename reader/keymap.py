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
                pair = sorted(rs, key=lambda r: r.id)[:2]
                names = " and ".join(f"{r.id} ({r.description})" for r in pair)
                warnings.append(f"[keymap] key {key!r} is bound to both {names}; {_who_gets(key, pair)}")
    return rows, warnings


# Textual looks for a key's binding in the focused widget, then the screen, then the app
PRECEDENCE = {"list": 2, "detail": 2, "main": 1, "app": 0}


def _who_gets(key: str, pair: list[KeyRow]) -> str:
    """Which of two bindings of a key acts, as Textual decides it, and what to do about it."""
    a, b = sorted(pair, key=lambda r: (PRECEDENCE[r.scope], r.remapped), reverse=True)
    if PRECEDENCE[a.scope] == PRECEDENCE[b.scope]:
        if a.remapped and b.remapped:
            return "only one of them will work: give one another key"
        # in one scope, a [keymap] entry takes the key from a default binding
        rest = [k for k in b.keys if k != key]
        left = f"{b.id} keeps {', '.join(rest)}" if rest else f"{b.id} has no key left: give it one in [keymap]"
        return f"{a.id} gets it; {left}"
    return (f"{a.id} gets it (its binding is looked up first): give {a.id} another key in [keymap] "
            f"for {key!r} to do {b.id}")
