"""Saving changes in the background, so the UI never waits for the disk.

The UI applies a change to memory (it shows at once) and hands it here. One
thread batches what is pending and writes it through the store. A failed write
(disk full, read-only directory, a file gone bad, any exception at all) keeps
the changes pending, reports the reason once per kind of failure, and retries
with backoff: the thread never dies. ``flush()`` on exit waits (boundedly);
what still could not be saved is available from :meth:`Saver.unsaved`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from reader.state import Change
from reader.storage.store import Store, StoreError

RETRY_DELAYS = (0.2, 0.5, 1.0, 2.0, 5.0)
# Wait this long after a change before writing: the UI draws the frame that shows the
# change without competing for the GIL, and key repeats (j s j s ...) share one write.
BATCH_DELAY = 0.025


class Saver:
    def __init__(
        self,
        store: Store,
        on_error: Callable[[str], None] | None = None,
        on_saved: Callable[[dict], None] | None = None,
    ):
        self.store = store
        self.on_error = on_error
        self.on_saved = on_saved
        self.last_error = ""
        self._pending: list[Change] = []
        self._cond = threading.Condition()
        self._busy = False
        self._closed = False
        self._failures = 0
        self._flushing = 0
        self._writing: list[Change] = []
        self._thread = threading.Thread(target=self._run, name="reader-saver", daemon=True)
        self._thread.start()

    def unsaved(self) -> list[Change]:
        """The changes not on disk yet (including a batch being written right now)."""
        with self._cond:
            return list(self._writing) + list(self._pending)

    @property
    def pending(self) -> int:
        with self._cond:
            return len(self._pending) + (1 if self._busy else 0)

    def submit(self, changes: list[Change]) -> None:
        with self._cond:
            self._pending.extend(changes)
            self._cond.notify_all()

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything submitted is on disk. False if it could not be saved in time."""
        deadline = time.monotonic() + timeout
        with self._cond:
            self._failures = 0
            self._flushing += 1
            self._cond.notify_all()
            try:
                while self._pending or self._busy:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return False
                    self._cond.wait(min(left, 0.05))
            finally:
                self._flushing -= 1
        return True

    def close(self, timeout: float = 10.0) -> bool:
        ok = self.flush(timeout)
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        return ok

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._closed:
                    self._cond.wait()
                if self._closed and not self._pending:
                    return
                end = time.monotonic() + BATCH_DELAY
                while not self._closed and not self._flushing and (left := end - time.monotonic()) > 0:
                    self._cond.wait(left)
                batch, self._pending = self._pending, []
                self._writing = batch
                self._busy = True
            try:
                merged = self.store.apply(batch)
            except Exception as exc:  # noqa: BLE001 - whatever it is, the changes stay pending
                self._failed(batch, describe_failure(exc))
                if self._closed:  # the last try after close: what is left stays in unsaved()
                    return
                continue
            with self._cond:
                self._busy = False
                self._writing = []
                self._failures = 0
                self._cond.notify_all()
            recovered = bool(self.last_error)
            self.last_error = ""
            self._call(self.on_saved, {
                "merged": merged, "recovered": recovered, "batch": batch,
                "warnings": self._notices(),
            })

    def _failed(self, batch: list[Change], message: str) -> None:
        with self._cond:
            self._pending = batch + self._pending
            self._writing = []
            self._busy = False
            delay = RETRY_DELAYS[min(self._failures, len(RETRY_DELAYS) - 1)]
            self._failures += 1
            self._cond.notify_all()
        notices = self._notices()
        if notices:
            message = "; ".join([*notices, message])
        if message != self.last_error:
            self._call(self.on_error, message)
        self.last_error = message
        with self._cond:
            if not self._closed:
                self._cond.wait(delay)

    def _notices(self) -> list[str]:
        try:
            return self.store.take_notices()
        except Exception:  # noqa: BLE001
            return []

    @staticmethod
    def _call(callback, arg) -> None:
        if callback is None:
            return
        try:
            callback(arg)
        except Exception:  # noqa: BLE001 - e.g. the app already closed; saving goes on
            pass


def describe_failure(exc: BaseException) -> str:
    """One line for the user: a StoreError already is one; anything else is named."""
    if isinstance(exc, StoreError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"{getattr(exc, 'filename', None) or 'state file'}: {exc.strerror or exc}"
    text = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"could not save ({type(exc).__name__}{': ' + text if text else ''})"
