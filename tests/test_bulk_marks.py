"""Marking a big view at once (``A``): a trial marked 119,497 papers read and the app did
not answer a key for 9 seconds; a `reader list` meanwhile failed with "writing the output:
... another reader holds the lock". (Speed itself is measured by hand and in bench/.)"""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from reader import state
from reader.cli import main
from reader.model import Paper
from reader.storage.atomic import encode_in_slices
from reader.storage.lock import FileLock
from reader.storage.store import Store
from reader.triage import Triage
from reader.tui.app import ReaderApp
from reader.tui.screens import triage_moves

from .conftest import started

values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
                      max_leaves=8)
documents = st.dictionaries(st.text(max_size=6), st.dictionaries(st.text(max_size=4), values, max_size=3), max_size=12)


@given(st.dictionaries(st.text(max_size=8), documents | values, max_size=4), st.integers(1, 4))
def test_a_state_file_encoded_in_slices_is_the_same_text(data, size):
    """The state file is encoded a slice of documents at a time (the GIL offered between
    slices): exactly the text ``json.dumps`` would write."""
    assert encode_in_slices(data, size) == json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _big(paths, n: int) -> None:
    Store(paths).import_papers([Paper(key=f"t:{i:05d}", title=f"Paper {i}") for i in range(n)])


def test_marking_many_papers_takes_no_stamp_or_lookup_per_paper(paths, monkeypatch):
    """An undo is stamped when it is made, so the changes it keeps take no stamp of their
    own; the view's rows say where the papers are, so none is looked up."""
    _big(paths, 300)
    triage = Triage.open(paths, background=False)
    keys = triage.keys_at(range(triage.size))
    stamps = []
    real = state.CLOCK.now
    monkeypatch.setattr(state.CLOCK, "now", lambda: stamps.append(1) or real())
    looked_up = []
    real_positions = triage.catalogue.positions
    monkeypatch.setattr(triage.catalogue, "positions", lambda ks: looked_up.extend(ks) or real_positions(ks))
    triage.set(keys, "read", True, where=dict(zip(keys, range(triage.size), strict=True)))
    assert len(stamps) <= 2 and looked_up == []
    kept = triage.history.undo_steps[-1].before  # what undo will restore: stamped once, with the change
    assert len(kept) == 600 and len({c.ts for c in kept}) == 1
    assert all(triage.state(k).read for k in keys)
    triage.undo()
    assert not any(triage.state(k).read for k in keys)
    triage.flush()
    assert not any(s.read for s in Store(paths).states().values())


async def test_marking_a_big_view_read_says_so_first_and_undoes(paths, monkeypatch):
    monkeypatch.setattr(triage_moves, "BIG_CHANGE", 50)
    _big(paths, 120)
    app = ReaderApp(paths)
    said: list[str] = []
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await started(app, pilot)
        real_notify = screen.notify
        monkeypatch.setattr(screen, "notify", lambda message, **kw: said.append(message) or real_notify(message, **kw))
        await pilot.press("A")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause(0.2)
        assert said[:2] == ["Marking 120 papers read…", "Marked 120 papers read · u undoes"]
        assert all(app.triage.state(k).read for k in app.triage.keys_at(range(120)))
        await pilot.press("u")
        await pilot.pause()
        assert not any(app.triage.state(k).read for k in app.triage.keys_at(range(120)))
        app.triage.flush()
    assert not any(s.read for s in Store(paths).states().values())


def test_a_command_waiting_on_a_busy_lock_says_so(paths, capsys, monkeypatch):
    """Not "writing the output:" (nothing was being written)."""
    _big(paths, 3)
    monkeypatch.setattr(FileLock.__init__, "__defaults__", (0.2,))
    with FileLock(paths.state.with_name(paths.state.name + ".lock"), timeout=1):
        status = main(["list"])
    err = capsys.readouterr().err
    assert status == 1 and "another reader holds the lock" in err and "writing the output" not in err, err
