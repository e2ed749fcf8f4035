"""Pausing Python's cyclic garbage collector around work that makes many objects and no
cycles (parsing a page, marking a hundred thousand papers at once): its passes over
objects that all live on cost a sixth of the time or more, and find nothing."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_gc(when: bool = True) -> Iterator[None]:
    """No collections in this block (when ``when``); the collector as it was after it."""
    was = gc.isenabled()
    if when:
        gc.disable()
    try:
        yield
    finally:
        if when and was:
            gc.enable()
