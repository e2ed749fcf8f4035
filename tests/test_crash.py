"""SIGKILL during a burst of writes, hundreds of times: the catalogue (SQLite) and the state
file always open, and every new paper and every change the child reported as saved is there."""

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
from reader.model import Paper, title_key
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
    title = f"Crash paper {run} number {i}"
    new = [Paper(key=title_key(title), title=title, abstract="words " * (i % 200))]
    if i % 7 == 0:  # now and then a bigger batch
        new += [Paper(key=title_key(f"{title} extra {j}"), title=f"{title} extra {j}") for j in range(50)]
    assert store.import_papers(new).new == len(new)
    store.apply([Change(f"{run}-{i}", "note", "x" * (i % 300))])
    print(i, flush=True)   # reported only after both returned: durable
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
        papers = store.papers()
        titles = {p.title for p in papers}
        # an import is all or nothing: the paper in flight and its batch are there whole or
        # not at all, and every paper stored is in the full-text index
        mine = f"Crash paper r{run} number "
        for i in range(max(done) + 2):
            batch = [f"{mine}{i}"] + ([f"{mine}{i} extra {j}" for j in range(50)] if i % 7 == 0 else [])
            there = sum(t in titles for t in batch)
            assert there in (0, len(batch)), f"half an import of r{run}-{i}: {there} of {len(batch)} papers"
        indexed = {papers[pos].title for pos in store.catalogue.search([f"r{run}"])[0]}
        assert {t for t in titles if t.startswith(mine)} <= indexed, f"papers of r{run} missing from the index"
        assert store.catalogue.count() == len(titles)  # positions stay dense: 1..N
        assert sum(1 for t in titles if not t.startswith("Crash paper")) == 52
        for name, last in confirmed.items():
            assert f"{name}-{last}" in states, f"lost a confirmed change of {name}"
            assert f"Crash paper {name} number {last}" in titles, f"lost a confirmed paper of {name}"
        assert store.catalogue.search(["crash", "number"], limit=5)[0]
        store.catalogue.close()
    assert not list(paths.data_dir.glob("*.corrupt-*"))
