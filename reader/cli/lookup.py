"""Before `reader export` / `reader cite`: complete incomplete papers for a few seconds
(ctrl+c skips the lookup and cites what the library has)."""

from __future__ import annotations

import signal
import sys

from reader.citations.cite import complete, lookup_seconds, to_complete
from reader.triage import Triage


def complete_first(triage: Triage, keys: list[str]) -> None:
    todo = to_complete(triage, keys)
    seconds = lookup_seconds()
    if not todo or seconds <= 0:
        return
    n = len(todo)
    print(f"reader: looking up {n} incomplete paper{'s' if n != 1 else ''} first "
          f"(at most {seconds:g}s; ctrl+c skips)", file=sys.stderr)
    stop = {"now": False}

    def on_sigint(signum, frame):
        stop["now"] = True

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        note = complete(triage, keys, seconds, cancelled=lambda: stop["now"])
    finally:
        signal.signal(signal.SIGINT, previous)
    if note:
        print(f"reader: lookup: {note}", file=sys.stderr)
