"""Processes as Linux's /proc shows them (None where there is no /proc, or no such
process): who a process's parents are (the clipboard's multiplexer), whether the one
that wrote a draft still runs (note drafts). No textual."""

from __future__ import annotations

from typing import NamedTuple


class ProcStat(NamedTuple):
    name: str  # the command name ("tmux: server", "screen", "python3")
    state: str  # "R", "S", ... "Z": ended, not yet collected by its parent
    parent: int
    started: str  # clock ticks since boot: with the pid, it tells a process from a later one


def proc_stat(pid: int) -> ProcStat | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read().decode("utf-8", "replace")
    except OSError:
        return None
    end = stat.rindex(")")
    rest = stat[end + 2:].split()
    return ProcStat(stat[stat.index("(") + 1:end], rest[0], int(rest[1]), rest[19])
