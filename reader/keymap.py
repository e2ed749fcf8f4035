"""The effective key map: the default bindings with the config's ``[keymap]`` applied,
and the clashes a remap creates (a key bound to two actions that are active at once).

A key the ``[keymap]`` gives to an action is that action's in every scope: a default
binding of the same key that is active with it (the app's, the main screen's, the list's
or the detail pane's) loses the key, whichever of them Textual would look up first, and
keeps its other keys; one left with no key is still in the command palette (ctrl+p).

Pure data in, rows and warnings out; the TUI supplies its bindings
(``reader.tui.keys``) and ``reader keys`` prints the result.
"""

from __future__ import annotations

from dataclasses import dataclass

# which binding scopes are active together: the list or the detail pane has the focus
CONTEXTS = (("app", "main", "list"), ("app", "main", "detail"))
# the key a binding left with none is given in Textual's keymap (which cannot unbind): no
# terminal sends it, and the footer and the help screen leave it out
NO_KEY = "reader_no_key"


@dataclass(slots=True)
class KeyRow:
    scope: str  # app, main, list, detail
    id: str
    keys: tuple[str, ...]
    description: str
    remapped: bool = False
    displaced: bool = False  # lost a default key to a [keymap] entry


def split_keys(keys: str) -> tuple[str, ...]:
    return tuple(k.strip() for k in keys.split(",") if k.strip())


def _together(a: KeyRow, b: KeyRow) -> bool:
    return any(a.scope in context and b.scope in context for context in CONTEXTS)


def effective(defaults: list[KeyRow], keymap: dict[str, str]) -> tuple[list[KeyRow], list[str]]:
    """The rows with ``keymap`` applied, and one warning per clash or unknown id."""
    known = {r.id for r in defaults}
    rows = [
        KeyRow(r.scope, r.id, split_keys(keymap[r.id]), r.description, True) if r.id in keymap else r
        for r in defaults
    ]
    warnings = [f"[keymap] {name}: no such action (see `reader keys`)" for name in keymap if name not in known]
    mapped = [r for r in rows if r.remapped]
    # the user's key wins: each default binding active with a remapped one loses its keys
    lost: dict[str, list[tuple[str, KeyRow]]] = {}  # id -> (key, the row that took it)
    for i, r in enumerate(rows):
        if r.remapped:
            continue
        for key in r.keys:
            winner = next((m for m in mapped if key in m.keys and _together(m, r)), None)
            if winner is not None:
                lost.setdefault(r.id, []).append((key, winner))
        if r.id in lost:
            gone = {key for key, _ in lost[r.id]}
            rows[i] = KeyRow(r.scope, r.id, tuple(k for k in r.keys if k not in gone), r.description, displaced=True)
    by_id = {r.id: r for r in rows}
    for loser_id, taken in lost.items():
        loser = by_id[loser_id]
        for key, winner in taken:
            pair = sorted((winner, loser), key=lambda r: r.id)
            names = " and ".join(f"{r.id} ({r.description})" for r in pair)
            left = (f"{loser.id} keeps {', '.join(loser.keys)}" if loser.keys else
                    f"{loser.id} has no key left: it stays in the command palette (ctrl+p); give it one in [keymap]")
            warnings.append(f"[keymap] key {key!r} is bound to both {names}; {winner.id} gets it; {left}")
    # two [keymap] entries with one key, active at once: Textual runs one of them
    seen: set[tuple[str, str, str]] = set()
    for a in mapped:
        for b in mapped:
            if a.id >= b.id or not _together(a, b):
                continue
            for key in a.keys:
                if key in b.keys and (key, a.id, b.id) not in seen:
                    seen.add((key, a.id, b.id))
                    names = f"{a.id} ({a.description}) and {b.id} ({b.description})"
                    warnings.append(f"[keymap] key {key!r} is bound to both {names}; {_who_gets(key, [a, b])}")
    return rows, warnings


def textual_keymap(rows: list[KeyRow], keymap: dict[str, str]) -> dict[str, str]:
    """The keymap to give Textual (``App.set_keymap``): the user's entries, and the keys each
    displaced binding has left (``NO_KEY`` when none: Textual applies a keymap to each
    scope's bindings apart, so a key taken in another scope would still be there)."""
    out = dict(keymap)
    for r in rows:
        if r.displaced:
            out[r.id] = ",".join(r.keys) or NO_KEY
    return out


# Textual looks for a key's binding in the focused widget, then the screen, then the app
PRECEDENCE = {"list": 2, "detail": 2, "main": 1, "app": 0}


def _who_gets(key: str, pair: list[KeyRow]) -> str:
    """Which of two [keymap] bindings of a key acts, as Textual decides it."""
    a, b = sorted(pair, key=lambda r: PRECEDENCE[r.scope], reverse=True)
    if PRECEDENCE[a.scope] == PRECEDENCE[b.scope]:
        return "only one of them will work: give one another key"
    return (f"{a.id} gets it (its binding is looked up first): give {a.id} another key in [keymap] "
            f"for {key!r} to do {b.id}")
