"""Garbage collection between keys, not in the middle of one.

Every line Textual draws is a new Strip with seven small caches, so a frame that redraws a
pane makes a few thousand container objects. With Python's default threshold (a collection
every 700 new ones) the frame of a view switch ran 4-7 young collections (3-4 ms of it),
and now and then one of the older generations (1-13 ms at a million papers) landed in the
middle of a key. So while the app runs, the young generation's threshold is raised (a burst
of held keys still collects, only less often), and the collections are made here, when no
key has come for a moment.

The library itself is out of every collection already (``gc.freeze()`` after loading).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

YOUNG = 20_000  # new objects that make Python collect on its own while keys keep coming
QUIET = 0.08  # s without a key before collecting here
EVERY = 0.05  # s between two looks (a timer of the app)
WORTH = 1_000  # new objects worth a young collection


class IdleCollector:
    """``start`` raises the threshold, ``tick`` (every ``EVERY`` s) collects what is due when
    keys have paused, ``stop`` gives Python its thresholds back."""

    def __init__(self, last_key: Callable[[], float], clock: Callable[[], float] = time.monotonic):
        self.last_key = last_key
        self.clock = clock
        self._saved: tuple[int, ...] | None = None
        self.collections = [0, 0, 0]  # made here, by generation

    def start(self) -> None:
        if self._saved is None:
            self._saved = gc.get_threshold()
            young, *older = self._saved
            gc.set_threshold(max(young, YOUNG), *older)

    def stop(self) -> None:
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def due(self) -> int | None:
        """The generation to collect now (the oldest one due), or None."""
        if self._saved is None or not gc.isenabled():  # a load or a smooth scroll has it paused
            return None
        if self.clock() - self.last_key() < QUIET:
            return None
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        # a generation is due after `threshold` collections of the one below it, as in Python
        for generation in (2, 1):
            if generation < len(counts) and counts[generation] >= thresholds[generation]:
                return generation
        return 0 if counts[0] >= WORTH else None

    def tick(self) -> int | None:
        generation = self.due()
        if generation is not None:
            gc.collect(generation)
            self.collections[generation] += 1
        return generation
