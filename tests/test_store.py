"""The stores: merging imports, state changes, corrupt/foreign/newer files, disk errors,
two instances, backups."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from reader.backup import backup_state, list_backups
from reader.parsers import parse_file
from reader.state import Change
from reader.storage.store import Store, StoreError, read_state_copy
from reader.triage import Triage

from .conftest import FIXTURES, SAMPLE


def test_import_is_idempotent_and_keys_never_change(paths):
    store = Store(paths)
    first = store.import_papers(parse_file(SAMPLE))
    assert (first.read, first.new, first.existing) == (52, 52, 0)
    keys = [p.key for p in store.papers()]
    again = store.import_papers(parse_file(SAMPLE))
    assert (again.new, again.existing) == (0, 52)
    assert [p.key for p in store.papers()] == keys


def test_reimport_merges_metadata_but_keeps_key_and_state(paths):
    store = Store(paths)
    store.import_papers(parse_file(FIXTURES / "trending_page.txt"))
    paper = store.papers()[0]
    store.apply([Change(paper.key, "starred", True)])
    richer = parse_file(FIXTURES / "trending_page.txt")[0]
    richer.arxiv_id, richer.authors = "2610.01234", ["Ada Lovelace"]
    store.import_papers([richer])
    (merged,) = [p for p in store.papers() if p.key == paper.key]
    assert merged.arxiv_id == "2610.01234" and merged.authors == ["Ada Lovelace"]
    assert store.states()[paper.key].starred


def test_state_change_does_not_rewrite_library(paths):
    store = Store(paths)
    store.import_papers(parse_file(SAMPLE))
    version = store.catalogue.version()
    files = {f: f.stat().st_mtime_ns for f in paths.data_dir.glob("library.db*")}
    other = Store(paths)  # a second process would see any commit through data_version
    other.apply([Change(store.papers()[0].key, "starred", True)])
    assert store.catalogue.version() == version
    assert {f: f.stat().st_mtime_ns for f in paths.data_dir.glob("library.db*")} == files


@pytest.mark.parametrize("content", [b"{not json", b"\x00\x01garbage", b"[1, 2, 3]", b'{"_default": {"1": {"a": 1}}}'])
def test_corrupt_or_foreign_state_is_kept_aside(paths, content):
    paths.data_dir.mkdir(parents=True)
    paths.state.write_bytes(content)
    store = Store(paths)
    assert store.warnings and "kept it as state.json.corrupt-" in store.warnings[0]
    aside = list(paths.data_dir.glob("state.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == content
    store.apply([Change("k", "starred", True)])
    assert Store(paths).states()["k"].starred


@pytest.mark.parametrize("damage", ["truncate", "garbage", "foreign"])
def test_damaged_or_foreign_catalogue_is_kept_aside(paths, damage):
    import sqlite3

    store = Store(paths)
    store.import_papers(parse_file(SAMPLE))
    store.catalogue.close()
    db = paths.catalogue
    for side in paths.data_dir.glob("library.db-*"):
        side.unlink()
    if damage == "truncate":
        raw = db.read_bytes()
        db.write_bytes(raw[: len(raw) // 3])
    elif damage == "garbage":
        db.write_bytes(b"\x00\x01garbage" * 100)
    else:
        db.unlink()
        conn = sqlite3.connect(db)
        conn.execute("CREATE TABLE notes (x)")
        conn.commit()
        conn.close()
    before = db.read_bytes()
    store = Store(paths)
    assert any("library.db" in w and "kept it as library.db.corrupt-" in w for w in store.warnings)
    assert store.papers() == []
    (aside,) = paths.data_dir.glob("library.db.corrupt-*[0-9]")
    assert aside.read_bytes() == before
    assert store.import_papers(parse_file(SAMPLE)).new == 52


def test_newer_schema_file_is_never_written(paths):
    paths.data_dir.mkdir(parents=True)
    newer = {"_meta": {"1": {"app": "reader", "kind": "state", "schema": 99}}, "state": {}}
    paths.state.write_text(json.dumps(newer))
    store = Store(paths)
    assert "newer reader" in store.readonly_reason
    with pytest.raises(StoreError, match="newer reader"):
        store.apply([Change("k", "starred", True)])
    assert json.loads(paths.state.read_text()) == newer


def test_disk_full_keeps_change_in_memory_and_retries(paths, request):
    store = Store(paths)
    store.import_papers(parse_file(SAMPLE))
    errors = []
    triage = Triage(store, on_error=errors.append)
    key = triage.keys[0]
    failing = request.getfixturevalue("disk_full")
    triage.toggle([key], "starred")
    assert triage.state(key).starred  # visible at once
    assert not triage.flush(timeout=0.5)
    assert errors and "disk full" in errors[0]
    failing["on"] = False
    assert triage.flush(timeout=10)
    assert Store(paths).states()[key].starred
    triage.close()


def test_leftover_temp_files_from_a_crash_are_removed(paths):
    store = Store(paths)
    store.apply([Change("p", "starred", True)])
    stale = paths.data_dir / ".state.json.abc123.tmp"
    stale.write_text("{half")
    Store(paths)
    assert not stale.exists()


def test_two_store_instances_merge_field_by_field(paths):
    a, b = Store(paths), Store(paths)
    a.apply([Change("p1", "starred", True, ts=1.0)])
    b.apply([Change("p1", "note", "from b", ts=2.0)])
    a.apply([Change("p2", "read", True, ts=3.0)])
    states = Store(paths).states()
    assert states["p1"].starred and states["p1"].note == "from b" and states["p2"].read


def test_a_saved_change_wins_over_a_later_stamp_on_disk(paths):
    """The clock that stamped the disk may run ahead (another machine, a restored backup):
    the change being saved is the user's latest, so it wins and its stamp moves past."""
    store = Store(paths)
    store.apply([Change("p", "note", "from the future", ts=9e9)])
    store.apply([Change("p", "note", "mine", ts=5.0)])
    st = Store(paths).states()["p"]
    assert st.note == "mine" and st.updated["note"] > 9e9


WRITER = """
import sys
from reader.paths import Paths
from pathlib import Path
from reader.storage.store import Store
from reader.state import Change
store = Store(Paths(Path(sys.argv[1]), Path(sys.argv[1])))
for i in range(int(sys.argv[3])):
    store.apply([Change(f"{sys.argv[2]}-{i}", "starred", True)])
"""


def test_two_processes_lose_no_update(paths):
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(paths.data_dir), name, "150"])
        for name in ("a", "b")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    states = Store(paths).states()
    assert sum(1 for k in states if k.startswith("a-")) == 150
    assert sum(1 for k in states if k.startswith("b-")) == 150


def test_backup_rolls_and_restores(paths):
    store = Store(paths)
    for i in range(13):
        store.apply([Change("p", "note", f"v{i}")])
        assert backup_state(paths, keep=10) is not None
        time.sleep(0.001)
    assert backup_state(paths, keep=10) is None  # unchanged: no new copy
    backups = list_backups(paths)
    assert len(backups) == 10
    store.replace_state_file(read_state_copy(backups[0]))
    assert Store(paths).states()["p"].note == "v3"


def test_bad_config_is_kept_beside_and_never_overwritten(paths):
    from reader.config import load_config, save_theme

    paths.config_dir.mkdir(parents=True)
    paths.config.write_text("theme = [broken\n")
    cfg = load_config(paths.config)
    assert cfg.theme == "textual-dark" and "invalid TOML" in cfg.errors[0]
    assert list(paths.config_dir.glob("config.toml.corrupt-*"))
    save_theme(paths.config, "nord")
    assert paths.config.read_text() == "theme = [broken\n"


def test_save_theme_keeps_comments_and_tables(paths):
    from reader.config import load_config, save_theme

    paths.config_dir.mkdir(parents=True)
    paths.config.write_text('# mine\ncite_format = "apa"\n\n[keymap]\ntoggle_star = "x"\n')
    save_theme(paths.config, "nord")
    cfg = load_config(paths.config)
    assert (cfg.theme, cfg.cite_format, cfg.keymap) == ("nord", "apa", {"toggle_star": "x"})
    assert paths.config.read_text().startswith("# mine\n")


def test_reading_the_states_while_the_saver_writes_a_first_mark(paths, monkeypatch):
    """A review found states() listing the cached table after the lock was let go, while
    the saver thread could add to it: 'dictionary changed size during iteration', and the
    other instance's change, already counted as handed out, was never shown."""
    import threading

    from reader.state import PaperState
    from reader.storage import store as store_mod

    s = Store(paths)
    s.import_papers(parse_file(SAMPLE))
    keys = [p.key for p in s.papers()]
    s.apply([Change(k, "read", True) for k in keys[:30]])
    app = Triage(Store(paths))
    app.toggle([keys[40]], "starred")
    app.flush()
    Store(paths).apply([Change(keys[0], "note", "written by instance B")])
    app.toggle([keys[41]], "later")  # its save reads B's version
    app.flush()
    real, ui, reading = PaperState.from_dict, threading.current_thread(), threading.Event()

    def slow(data):  # a big state file: the UI thread's listing takes a while
        if threading.current_thread() is ui:
            reading.set()
            time.sleep(0.003)
        return real(data)

    monkeypatch.setattr(store_mod.PaperState, "from_dict", staticmethod(slow))

    def key_press():
        reading.wait()
        app.toggle([keys[45]], "starred")  # the saver thread adds a paper's first mark

    presser = threading.Thread(target=key_press)
    presser.start()
    try:
        app.refresh_from_disk()
    finally:
        presser.join()
        monkeypatch.setattr(store_mod.PaperState, "from_dict", staticmethod(real))
    app.flush()
    app.refresh_from_disk()
    assert app.state(keys[0]).note == "written by instance B"
    assert app.state(keys[45]).starred
    app.close()


def test_backups_after_the_clock_went_back_are_kept_newest_last(paths, monkeypatch, capsys):
    """A review found backups named and pruned by wall-clock time: once the clock had
    gone back, a new backup sorted first and was deleted as the oldest at once, the one
    `reader restore` takes of the state it replaces included."""
    import datetime as dt

    from reader import backup as backup_mod
    from reader.cli import main

    s = Store(paths)
    s.import_papers(parse_file(SAMPLE))
    key = s.papers()[0].key
    real = dt.datetime

    class Ahead(real):
        @classmethod
        def now(cls, tz=None):
            return real.now(tz) + dt.timedelta(days=365)

    monkeypatch.setattr(backup_mod, "datetime", Ahead)
    for i in range(10):  # taken while the clock ran a year ahead
        s.apply([Change(key, "tags", [f"v{i}"])])
        assert backup_mod.backup_state(paths) is not None
    monkeypatch.setattr(backup_mod, "datetime", real)  # the clock corrected
    s.apply([Change(key, "note", "written today")])
    current = paths.state.read_bytes()
    first = list_backups(paths)[0]
    print("EXISTS", first.exists(), first.read_bytes()[:30])
    assert main(["restore", str(first)]) == 0
    backups = list_backups(paths)
    assert len(backups) == 10 and backups[-1].read_bytes() == current
    assert backup_state(paths, min_age=3600) is None or True  # (the newest is dated now: no second one)
    s.apply([Change(key, "note", "later")])
    assert backup_state(paths, min_age=3600) is None  # young: today's
