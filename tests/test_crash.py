"""SIGKILL during a burst of writes, hundreds of times: both files always load and every
change the child reported as saved is there."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from reader.storage.store import Store

CHILD = r"""
import sys
from pathlib import Path
from reader.paths import Paths
from reader.parsers import parse_file
from reader.storage.store import Store
from reader.state import Change
d = Path(sys.argv[1]); run = sys.argv[2]
store = Store(Paths(d, d))
i = 0
while True:
    if i % 25 == 0:
        store.import_papers(parse_file(sys.argv[3]))
    store.apply([Change(f"{run}-{i}", "note", "x" * (i % 300))])
    print(i, flush=True)   # reported only after apply() returned: durable
    i += 1
"""


@pytest.mark.slow
def test_sigkill_during_writes_never_loses_or_corrupts(paths):
    from .conftest import SAMPLE

    paths.data_dir.mkdir(parents=True)
    rng = random.Random(7)
    kills = int(os.environ.get("READER_KILLS", "200"))
    confirmed: dict[str, int] = {}
    for run in range(kills):
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(paths.data_dir), f"r{run}", str(SAMPLE)],
            stdout=subprocess.PIPE, text=True,
        )
        # wait for the first confirmed write, then kill at a random moment
        first = proc.stdout.readline()
        assert first, "child died before writing"
        time.sleep(rng.uniform(0, 0.03))
        proc.send_signal(signal.SIGKILL)
        out = first + proc.stdout.read()
        proc.wait()
        done = [int(x) for x in out.split()]
        confirmed[f"r{run}"] = max(done)
        store = Store(paths)  # both files must load, nothing moved aside
        assert store.warnings == []
        states = store.states()
        assert len(store.papers()) == 52
        for name, last in confirmed.items():
            assert f"{name}-{last}" in states, f"lost a confirmed change of {name}"
    assert not list(paths.data_dir.glob("*.corrupt-*"))
