"""SIGTERM and SIGHUP (terminal closed): pending changes are saved and the app exits cleanly."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from reader.storage.store import Store

CHILD = r"""
import time
from reader.storage.store import Store
from reader.tui.app import ReaderApp

original = Store.apply
def slow_apply(self, changes):
    time.sleep(0.7)          # the change is still pending when the signal arrives
    return original(self, changes)
Store.apply = slow_apply

class App(ReaderApp):
    def _after_load(self, *args):
        super()._after_load(*args)
        self.triage.toggle([self.triage.keys[0]], "starred")
        print("ready", flush=True)

app = App()
app.owns_process = True  # as `reader` runs it: the watchdog ends a stuck shutdown (one CI run in ~50 waited 30 s here)
app.run(headless=True, size=(80, 24))  # without a size, the headless driver and the app disagree (25 vs 24 rows) and Textual resizes the screen back and forth
raise SystemExit(app.return_code or 0)
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_signal_saves_pending_changes(paths, sig):
    proc = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    proc.send_signal(sig)
    code = proc.wait(timeout=30)
    assert code == 0, proc.stderr.read()
    store = Store(paths)
    key = store.papers()[0].key
    assert store.states()[key].starred
