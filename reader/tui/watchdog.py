"""Making sure the process ends once it has been told to stop.

Closing the terminal window (SIGHUP) or losing the tty can leave Textual's
shutdown blocked for good: the main thread waits to hand its last frame to an
output thread that will never drain it. So stopping does not depend on that
shutdown: a watchdog thread saves what is pending (bounded), then calls
``os._exit`` once the time limit is up, whatever the main thread is doing.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable

LIMIT = 2.0  # seconds from the stop request to the end of the process, at most
POLL = 0.25


class Watchdog:
    def __init__(self, finish: Callable[[float], str], report: Callable[[], None], limit: float = LIMIT) -> None:
        """``finish(timeout)`` saves what is pending within ``timeout`` s and returns what
        could not be saved ("" when all was); ``report()`` says so on stderr just before
        the end. Both must be safe to call from any thread and more than once."""
        self.finish = finish
        self.report = report
        self.limit = limit
        self.reason = ""
        self._armed = threading.Lock()
        self._armed_once = False

    def arm(self, reason: str, code: int = 0, *, exit_when_saved: bool = False) -> None:
        """Start the countdown (once). ``exit_when_saved``: the terminal is gone, so do
        not wait for the normal shutdown either: end as soon as the state is saved."""
        with self._armed:
            if self._armed_once:
                return
            self._armed_once = True
        self.reason = reason
        start = time.monotonic()

        def run() -> None:
            note = "?"
            try:
                note = self.finish(max(0.1, self.limit - 0.4))
            finally:
                if not exit_when_saved:
                    time.sleep(max(0.0, start + self.limit - time.monotonic()))
                try:
                    self.report()
                    sys.stderr.flush()
                except Exception:  # noqa: BLE001 - the terminal may be gone
                    pass
                os._exit(1 if note else code)

        threading.Thread(target=run, name="reader-watchdog", daemon=True).start()

    def monitor(self, tty_alive: Callable[[], bool]) -> None:
        """Watch the terminal: once output to it fails, stop as after SIGHUP."""

        def run() -> None:
            while not self._armed_once:
                time.sleep(POLL)
                try:
                    alive = tty_alive()
                except Exception:  # noqa: BLE001
                    alive = True
                if not alive:
                    self.arm("the terminal went away", exit_when_saved=True)
                    return

        threading.Thread(target=run, name="reader-tty-watch", daemon=True).start()
